#!/usr/bin/env bash
# Runs every JobPulse test: installs what the tests need, builds, and runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_dependencies
# The dashboard test drives a real headless Chromium.
ensure_apt chromium
export JOBPULSE_REQUIRE_BROWSER=1
echo "==> building"
swift build --build-tests
echo "==> testing"
swift test --skip-build
