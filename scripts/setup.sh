#!/usr/bin/env bash
# Installs what building and testing JobPulse needs on Debian, skipping what is already there.
# Sourced by demo.sh and test.sh.
set -euo pipefail

# apt packages whose absence we check by package name.
ensure_apt() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The embedded default needs only the Swift toolchain and the SQLite and zlib headers (zlib1g-dev
# is itself a prerequisite of the Swift toolchain on Debian).
ensure_build_dependencies() {
  command -v swift >/dev/null || { echo "the Swift toolchain (6.2 or newer) is required: https://www.swift.org/install" >&2; exit 1; }
  ensure_apt libsqlite3-dev zlib1g-dev
}
