#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test (headless).
#   ./test.sh              RelWithDebInfo build in build/dev
#   ./test.sh --sanitize   AddressSanitizer + UBSan build in build/asan
#   ./test.sh -R pattern   only the tests whose names match (passed to ctest)
set -euo pipefail
cd "$(dirname "$0")"

preset=dev
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) preset=asan ;;
    *) ctest_args+=("$1") ;;
  esac
  shift
done
[ "${CI:-}" = "true" ] && [ "$preset" = dev ] && preset=ci

./scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"

export QT_QPA_PLATFORM=offscreen
if [ "$preset" = asan ]; then
  # Qt's own allocations at exit are not ours to chase; leaks in our code still fail.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --preset "$preset" -j "$jobs" "${ctest_args[@]}"
