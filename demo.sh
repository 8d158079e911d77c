#!/usr/bin/env bash
# Installs what is missing, builds, starts rcrt-sim with its demo workload and opens
# rcrt-console connected to it. Without a display it prints a live view from rcrt-tap instead.
#   DEMO_SECONDS=N  how long the headless view runs (default 30; 0 = until Ctrl-C)
set -euo pipefail
cd "$(dirname "$0")"

./scripts/install-deps.sh
cmake --preset dev >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
have_display=""
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && have_display=1
targets=(rcrt-sim rcrt-tap)
[ -n "$have_display" ] && targets+=(rcrt-console)
cmake --build --preset dev -j "$jobs" --target "${targets[@]}"

bin=build/dev
sim_out=$(mktemp)
"$bin/tests/sim/rcrt-sim" --port 0 --workload demo >"$sim_out" 2>"$sim_out.log" &
sim_pid=$!
trap 'kill $sim_pid 2>/dev/null || true; rm -f "$sim_out" "$sim_out.log"' EXIT

url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^rcrt-sim listening on \(http:.*\)$/\1/p' "$sim_out" | head -n 1)
  [ -n "$url" ] && break
  kill -0 $sim_pid 2>/dev/null || { cat "$sim_out.log" >&2; echo "rcrt-sim failed to start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "rcrt-sim did not report its address" >&2; exit 1; }
echo "rcrt-sim (demo workload) is serving $url"

if [ -n "$have_display" ]; then
  "$bin/app/rcrt-console" --url "$url"
else
  seconds=${DEMO_SECONDS:-30}
  echo "No display: showing the live stream with rcrt-tap for ${seconds}s (DEMO_SECONDS=0 runs until Ctrl-C)."
  args=(tail --url "$url" --history 50)
  [ "$seconds" != 0 ] && args+=(--duration "$seconds" --summary)
  "$bin/app/rcrt-tap" "${args[@]}"
fi
