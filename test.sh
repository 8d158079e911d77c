#!/usr/bin/env bash
# Installs what is missing, builds everything, runs every test (headless).
#   ./test.sh              RelWithDebInfo build in build/dev
#   ./test.sh --sanitize   AddressSanitizer + UBSan build in build/asan
#   ./test.sh -R pattern   only the tests whose names match (passed to ctest)
#   ./test.sh --no-fuzz    skip the fuzz step (see below)
set -euo pipefail
cd "$(dirname "$0")"

preset=dev
fuzz=yes
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) preset=asan ;;
    --no-fuzz) fuzz=no ;;
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
# In the asan build tests/CMakeLists.txt gives each test its ASAN/LSAN/UBSAN_OPTIONS (leak
# checks on, Qt's and the system libraries' own leaks suppressed by tests/sanitizer/lsan.supp).
ctest --preset "$preset" -j "$jobs" "${ctest_args[@]}"

# Fuzz step: gcc cannot build libFuzzer targets, so a small clang build (build/fuzz, the fuzz
# preset: only the fuzz targets and the libraries they link, with ASan + UBSan) runs each
# target for RCRT_FUZZ_SECONDS (30 s) from its seed corpus (docs/fuzzing.md).
if [ "$fuzz" = yes ] && command -v clang++ >/dev/null; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  ctest --preset fuzz -j "$jobs" "${ctest_args[@]}"
fi
