#!/usr/bin/env bash
# Screenshots for the README, taken from the real rcrt-console under Xvfb against rcrt-sim's
# demo workload. Switches views with the console's own shortcuts (Ctrl+1..4) through xdotool.
#   [RUNNER_SLOTS=N] scripts/take-screenshots.sh [OUT_DIR]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out"
command -v xvfb-run >/dev/null && command -v xdotool >/dev/null && command -v import >/dev/null || {
  echo "needs xvfb, xauth, xdotool and imagemagick: apt-get install -y xvfb xauth xdotool imagemagick" >&2; exit 1; }
bin=build/dev
cmake --build --preset dev --target rcrt-sim rcrt-console >/dev/null

sim_out=$(mktemp)
"$bin/tests/sim/rcrt-sim" --port 0 --workload demo --runner-slots "${RUNNER_SLOTS:-2}" >"$sim_out" 2>/dev/null &
sim_pid=$!
home=$(mktemp -d)
trap 'kill $sim_pid 2>/dev/null || true; rm -rf "$sim_out" "$home"' EXIT
for _ in $(seq 50); do url=$(sed -n 's/^rcrt-sim listening on //p' "$sim_out"); [ -n "$url" ] && break; sleep 0.1; done

HOME="$home" xvfb-run -a -s "-screen 0 1500x900x24" bash -c '
  "$0" --url "$1" & pid=$!
  sleep 4
  wid=$(xdotool search --sync --name "RCRT Console" | head -n 1)
  xdotool windowmove "$wid" 0 0 windowsize "$wid" 1500 900
  sleep 40   # several scenarios (RUNNER_SLOTS=1: the workflow starves its own steps, the seed incident)
  shoot() { xdotool key --window "$wid" "$1"; sleep 2; import -window "$wid" "$2"; }
  xdotool mousemove 300 200 click 1; sleep 1   # select an event so the inspector shows it
  shoot ctrl+1 "$2/events.png"
  shoot ctrl+2 "$2/flows.png"
  shoot ctrl+3 "$2/pending.png"
  shoot ctrl+4 "$2/latency.png"
  kill $pid' "$bin/app/rcrt-console" "$url" "$out"
ls -la "$out"
