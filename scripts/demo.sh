#!/usr/bin/env bash
# Builds JobPulse and runs `jobpulse demo` on the embedded default (SQLite lake and warehouse).
# Extra arguments go to `jobpulse demo` (see `jobpulse demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_dependencies
echo "==> building"
swift build --product jobpulse
exec .build/debug/jobpulse demo "$@"
