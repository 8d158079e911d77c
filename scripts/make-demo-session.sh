#!/usr/bin/env bash
# Regenerates resources/demo.rcrtsession: `rcrt-tap record` of rcrt-sim's demo workload, healthy
# for 40 s, then the same port served by a sim with one runner slot for 75 s (the seed
# incident: workflow steps starve behind their own workflow, requesters time out after 60 s).
# The recording sees the restart as a disconnect, a reconnect and a backfill.
#   [BUILD=build/dev] scripts/make-demo-session.sh [OUT]   (default resources/demo.rcrtsession)
# (The committed file was last brought to the current layout, event blocks, without re-recording:
#  `rcrt-tap export demo --jsonl -o d.jsonl && rcrt-tap import d.jsonl -o new`; the export of
#  both is byte-identical.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BUILD:-build/dev}
out=${1:-resources/demo.rcrtsession}
for exe in "$bin/tests/sim/rcrt-sim" "$bin/app/rcrt-tap"; do
  [ -x "$exe" ] || { echo "missing $exe: build rcrt-sim and rcrt-tap first (BUILD=dir)" >&2; exit 1; }
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
tmp=$(mktemp -d)
sim_pid=
trap '[ -n "$sim_pid" ] && kill $sim_pid 2>/dev/null; rm -rf "$tmp"' EXIT

start_sim() {
  "$bin/tests/sim/rcrt-sim" --port "$port" --workload demo --seed "$1" --quiet "${@:2}" >"$tmp/sim.out" 2>/dev/null &
  sim_pid=$!
  for _ in $(seq 50); do grep -q listening "$tmp/sim.out" && return; sleep 0.1; done
  echo "rcrt-sim did not start" >&2; exit 1
}

start_sim 11
rm -f "$out"
"$bin/app/rcrt-tap" --url "$url" record -o "$tmp/demo.rcrtsession" --duration 115 \
  --note "rcrt-sim demo: healthy 40 s, then --runner-slots 1 (slot starvation, 60 s timeouts)" &
tap_pid=$!
sleep 40
kill $sim_pid; wait $sim_pid 2>/dev/null || true
start_sim 12 --runner-slots 1
wait $tap_pid
mv "$tmp/demo.rcrtsession" "$out"
"$bin/app/rcrt-tap" replay "$out" --speed max | wc -l | xargs echo "events printed by replay:"
ls -l "$out"
