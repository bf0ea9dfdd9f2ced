#!/usr/bin/env bash
# Runs every JobPulse test: installs what the tests need, builds, and runs the suite.
# The tests start their own servers: private MariaDB instances on free ports with temporary
# data directories, `jobpulse serve` processes, headless Chromium; each stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_build_dependencies
# MySQL backend (Connector/C) and the MariaDB server its tests run; Chromium for the dashboard test.
ensure_apt libmariadb-dev pkg-config mariadb-server openssl chromium wrk python3-yaml
export JOBPULSE_REQUIRE_BROWSER=1

echo "==> formatting (swift format, the rules in .swift-format)"
swift format lint --strict --configuration .swift-format --recursive Sources Tests Fuzz Package.swift

echo "==> building the embedded default (no MySQL library)"
swift build --product jobpulse
if ldd .build/debug/jobpulse | grep -q mariadb; then
  echo "the default build links MariaDB Connector/C; it must not" >&2
  exit 1
fi

echo "==> building with the MySQL backend"
swift build --traits MySQL --build-tests
echo "==> testing"
swift test --traits MySQL --skip-build

echo "==> fuzzing every parser of outside input (libFuzzer, bounded runs; any crash fails)"
scripts/fuzz.sh

echo "==> Spark engine (PySpark in local mode, against private MariaDB servers)"
spark/run-tests.sh

echo "==> deployment files"
python3 scripts/check-deploy.py .build/debug/jobpulse

echo "==> the HTTP API against its contract, openapi.yaml (schemathesis on live servers)"
scripts/check-api.sh .build/debug/jobpulse

echo "==> benchmark smoke run (figures printed, not judged)"
.build/debug/jobpulse bench --quick
