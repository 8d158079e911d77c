#!/usr/bin/env bash
# Runs every benchmark of issue 7 against a built tree and prints one table with the targets.
#
#   tests/bench/run.sh [BUILD_DIR]        (default: $BUILD_DIR, else build/dev)
#
# Builds nothing: build first (cmake --build --preset dev). Baseline and candidate run side by
# side, alternating, REPEAT times (default 3), and the table shows medians, because a shared
# machine is noisy; wall time and CPU time are both kept (the JSON lines land in $OUT_DIR).
# Needs python3 (the table) and node (the baseline; without it the ratio is left out).
# Environment: REPEAT, INGEST_EVENTS (500000), MEMORY_EVENTS (1000000), E2E_EVENTS (1500000),
# E2E_RATE (offered writes/s, 400000), GUI_SECONDS (10), OUT_DIR (a temporary directory),
# KEEP=1 keeps the captures.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${1:-${BUILD_DIR:-$ROOT/build/dev}}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
REPEAT=${REPEAT:-3}
INGEST_EVENTS=${INGEST_EVENTS:-500000}
MEMORY_EVENTS=${MEMORY_EVENTS:-1000000}
E2E_EVENTS=${E2E_EVENTS:-1500000}
E2E_RATE=${E2E_RATE:-400000}
GUI_SECONDS=${GUI_SECONDS:-10}
OUT_DIR=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/rcrt-bench.XXXXXX")}
mkdir -p "$OUT_DIR"

TAP=$BUILD_DIR/app/rcrt-tap
SIM=$BUILD_DIR/tests/sim/rcrt-sim
GEN=$BUILD_DIR/tests/bench/gen_capture
BENCH=$BUILD_DIR/tests/bench
for bin in "$TAP" "$SIM" "$GEN"; do
    [[ -x $bin ]] || { echo "run.sh: $bin is missing; build the tree first" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "run.sh: python3 is needed for the table" >&2; exit 2; }
NODE=$(command -v node || true)

SIM_PID=
cleanup() {
    [[ -n $SIM_PID ]] && kill "$SIM_PID" 2>/dev/null || true
    [[ ${KEEP:-0} == 1 ]] || rm -f "$OUT_DIR"/*.sse
}
trap cleanup EXIT

note() { echo "# $*" >&2; }
started=$(date +%s)

# The machine, for docs/benchmarks.md.
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    lscpu 2>/dev/null | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket|CPU max MHz|Hypervisor vendor|L3 cache)' || true
    echo "memory: $(free -m 2>/dev/null | awk '/^Mem:/ {print $2 " MiB"}')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "node: ${NODE:+$($NODE --version)}"
} > "$OUT_DIR/machine.txt"

# --- captures --------------------------------------------------------------------------------
note "generating captures ($INGEST_EVENTS and $MEMORY_EVENTS events)"
"$GEN" --events "$INGEST_EVENTS" --seed 1 --out "$OUT_DIR/ingest.sse" 2> "$OUT_DIR/gen-ingest.json"
"$GEN" --events "$MEMORY_EVENTS" --seed 2 --out "$OUT_DIR/memory.sse" 2> "$OUT_DIR/gen-memory.json"

# --- ingest: rcrt-tap ingest against the Node baseline, alternating ---------------------------
: > "$OUT_DIR/ingest.jsonl"
: > "$OUT_DIR/ingest-consumer.jsonl"
: > "$OUT_DIR/node.jsonl"
for ((i = 1; i <= REPEAT; i++)); do
    note "ingest round $i/$REPEAT"
    [[ -n $NODE ]] && "$NODE" "$ROOT/tests/bench/node-baseline.js" "$OUT_DIR/ingest.sse" >> "$OUT_DIR/node.jsonl"
    "$TAP" ingest "$OUT_DIR/ingest.sse" --json >> "$OUT_DIR/ingest.jsonl"
    # With a receiver on batchReady, as in the console: the store builds its batches.
    "$TAP" ingest "$OUT_DIR/ingest.sse" --json --consumer >> "$OUT_DIR/ingest-consumer.jsonl"
done

# --- memory: 1M events held --------------------------------------------------------------------
note "memory: $MEMORY_EVENTS events held"
"$TAP" ingest "$OUT_DIR/memory.sse" --json > "$OUT_DIR/memory.json"
[[ ${KEEP:-0} == 1 ]] || rm -f "$OUT_DIR"/*.sse

# --- end to end: rcrt-sim --workload load -> rcrt-tap tail ------------------------------------
# The sim logs what it handed each stream ("wrote N breadcrumb events in S s") when the stream
# closes; tail's summary says what arrived. Tail runs until the workload has ended and drained.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
note "end to end: rcrt-sim --workload load --rate $E2E_RATE --events $E2E_EVENTS into rcrt-tap tail"
"$SIM" --port 0 --workload load --rate "$E2E_RATE" --events "$E2E_EVENTS" --seed 3 \
    > "$OUT_DIR/sim.out" 2> "$OUT_DIR/sim.err" &
SIM_PID=$!
for _ in $(seq 100); do grep -q "listening on" "$OUT_DIR/sim.out" 2>/dev/null && break; sleep 0.1; done
SIM_URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$OUT_DIR/sim.out" | head -1)
[[ -n $SIM_URL ]] || { echo "run.sh: rcrt-sim did not start" >&2; cat "$OUT_DIR/sim.err" >&2; exit 1; }
sim_ticks0=$(cpu_ticks "$SIM_PID")
e2e_start=$(date +%s.%N)
# Long enough for the whole workload at 60k/s on a busy machine, plus draining.
tail_seconds=$(( E2E_EVENTS / 60000 + 6 ))
TIMEFORMAT='%U %S %R'
{ time "$TAP" --url "$SIM_URL" tail --tag bench:none --duration "$tail_seconds" --summary --json \
      > "$OUT_DIR/tail.json" 2> "$OUT_DIR/tail.err" ; } 2> "$OUT_DIR/tail.time"
sim_ticks1=$(cpu_ticks "$SIM_PID")
e2e_end=$(date +%s.%N)
kill -TERM "$SIM_PID"; wait "$SIM_PID" || true; SIM_PID=
read -r tail_user tail_sys tail_wall < "$OUT_DIR/tail.time"
awk -v t0="$sim_ticks0" -v t1="$sim_ticks1" -v hz="$(getconf CLK_TCK)" -v a="$e2e_start" -v b="$e2e_end" \
    -v tu="$tail_user" -v ts="$tail_sys" -v tw="$tail_wall" \
    'BEGIN { printf "{\"sim_cpu_s\":%.2f,\"sim_wall_s\":%.2f,\"tail_cpu_s\":%.2f,\"tail_wall_s\":%.2f}\n", (t1 - t0) / hz, b - a, tu + ts, tw }' \
    > "$OUT_DIR/e2e-cpu.json"

# --- GUI stall -------------------------------------------------------------------------------
if [[ -x $BENCH/bench_gui_stall ]]; then
    note "GUI: bench_gui_stall --rate 10000 --seconds $GUI_SECONDS"
    QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} timeout 120 "$BENCH/bench_gui_stall" --rate 10000 \
        --seconds "$GUI_SECONDS" > "$OUT_DIR/gui.json" 2> "$OUT_DIR/gui.err" || note "bench_gui_stall failed"
fi

# --- the other helpers' benchmarks, when built -------------------------------------------------
for b in bench_localbus bench_session bench_replay_seek; do
    if [[ -x $BENCH/$b ]]; then
        note "$b"
        args=(); [[ $b == bench_localbus ]] && args=(--count "${LOCALBUS_COUNT:-300}")
        QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} timeout 150 "$BENCH/$b" "${args[@]}" > "$OUT_DIR/$b.out" 2> "$OUT_DIR/$b.err" \
            || note "$b failed (exit $?)"
    else
        note "$b not built: left out"
    fi
done

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT_DIR/machine.txt"
echo "run.sh seconds: $(( $(date +%s) - started ))" >> "$OUT_DIR/machine.txt"
python3 "$ROOT/tests/bench/table.py" "$OUT_DIR"
note "raw figures in $OUT_DIR"
