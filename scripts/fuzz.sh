#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/Targets (Sources/Core compiled in directly, no SwiftPM)
# and runs each for a bounded number of inputs, starting from its seed corpus in Fuzz/Corpus.
#
#   scripts/fuzz.sh [runs] [target ...]     runs defaults to 200000; targets default to all
#
# Prints one line per target and exits non-zero if any target crashed, leaked, timed out or ran
# out of memory; the line names the input that did it. Nothing is written into the repository:
# binaries go to .build/fuzz, corpora and crash inputs to a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-200000}"
shift || true
if [ "$#" -gt 0 ]; then targets=("$@"); else
  targets=(); for file in Fuzz/Targets/*.swift; do targets+=("$(basename "$file" .swift)"); done
fi
command -v swiftc >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

# Larger inputs for the targets whose limits sit higher (ed: 16 KiB).
max_len() { case "$1" in details) echo 20000 ;; *) echo 4096 ;; esac; }

mkdir -p .build/fuzz
work="$(mktemp -d "${TMPDIR:-/tmp}/jobpulse-fuzz.XXXXXX")"
echo "fuzz: building ${#targets[@]} targets into .build/fuzz; work in $work"

# Two builds at a time: each is one swiftc over Core and the target.
build() {
  local name="$1"
  if ! swiftc -O -sanitize=fuzzer,address -parse-as-library Sources/Core/*.swift Fuzz/Support/*.swift "Fuzz/Targets/$name.swift" \
      -o ".build/fuzz/$name" >"$work/$name.build.log" 2>&1; then
    echo "$name: BUILD FAILED (see $work/$name.build.log)"; tail -20 "$work/$name.build.log"; return 1
  fi
}
pids=(); failed=0
for name in "${targets[@]}"; do
  build "$name" & pids+=($!)
  if [ "${#pids[@]}" -ge 2 ]; then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" -eq 0 ] || exit 1

status=0
for name in "${targets[@]}"; do
  corpus="$work/$name/corpus"; artifacts="$work/$name/artifacts/"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "Fuzz/Corpus/$name" ]; then cp -R "Fuzz/Corpus/$name/." "$corpus/"; fi
  log="$work/$name/fuzz.log"
  start=$SECONDS
  # The Swift runtime's own backtracer would stand between the crash and libFuzzer.
  if SWIFT_BACKTRACE=enable=no ".build/fuzz/$name" -runs="$runs" -max_len="$(max_len "$name")" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$artifacts" -print_final_stats=1 "$corpus" >"$log" 2>&1; then
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")"
    echo "$name: ok, $execs inputs in $((SECONDS - start)) s"
  else
    status=1
    input="$(find "$artifacts" -type f | head -1)"
    kind="$(grep -m1 -oE 'Fatal error: .*' "$log" || grep -m1 -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-zA-Z -]+' "$log" || echo "failed")"
    echo "$name: CRASH ($kind) input ${input:-none} log $log"
  fi
done
exit "$status"
