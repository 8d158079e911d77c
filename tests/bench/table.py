#!/usr/bin/env python3
"""Turns the figures tests/bench/run.sh collected in OUT_DIR into one Markdown table (issue 7)."""

import json
import re
import statistics
import sys
from pathlib import Path

MIB = 1024 * 1024


def json_lines(path):
    try:
        return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    except (OSError, ValueError):
        return []


def first_json(path):
    lines = json_lines(path)
    return lines[-1] if lines else None


def median(values):
    return statistics.median(values) if values else None


def fmt_rate(value):
    return "–" if value is None else f"{value / 1000:,.0f}k/s"


def verdict(ok):
    return "**met**" if ok else "**missed**"


def main(out):
    rows = []  # (benchmark, figure, target, verdict)

    # Ingest against the Node baseline: medians of wall rate and of CPU rate.
    ours, node = json_lines(out / "ingest.jsonl"), json_lines(out / "node.jsonl")
    if ours:
        wall = median([r["events_per_s"] for r in ours])
        cpu = median([r["events"] / r["cpu_seconds"] for r in ours if r.get("cpu_seconds")])
        figure = f"{fmt_rate(wall)} wall, {fmt_rate(cpu)} per CPU second ({ours[0]['events']:,} events, " \
                 f"{ours[0]['bytes'] / ours[0]['events']:.0f} B/event, median of {len(ours)})"
        if node:
            nwall = median([r["events_per_s"] for r in node])
            ncpu = median([r["events"] / r["cpu_seconds"] for r in node if r.get("cpu_seconds")])
            ratio_wall, ratio_cpu = wall / nwall, cpu / ncpu
            figure += f"; Node {fmt_rate(nwall)} wall, {fmt_rate(ncpu)} per CPU s; " \
                      f"ratio **{ratio_wall:.1f}×** wall, **{ratio_cpu:.1f}×** CPU"
            rows.append(("Ingest 500k, one thread (`rcrt-tap ingest`)", figure, "≥ 4× Node",
                         verdict(min(ratio_wall, ratio_cpu) >= 4)))
        else:
            rows.append(("Ingest 500k, one thread (`rcrt-tap ingest`)", figure, "≥ 4× Node", "no node: no ratio"))
    # The same with a batch consumer connected (the store then builds its 30 Hz batches).
    cons = json_lines(out / "ingest-consumer.jsonl")
    if cons:
        wall = median([r["events_per_s"] for r in cons])
        cpu = median([r["events"] / r["cpu_seconds"] for r in cons if r.get("cpu_seconds")])
        figure = f"{fmt_rate(wall)} wall, {fmt_rate(cpu)} per CPU second (median of {len(cons)})"
        target, ok = "≥ 4× Node", "see figures"
        if node:
            nwall = median([r["events_per_s"] for r in node])
            ncpu = median([r["events"] / r["cpu_seconds"] for r in node if r.get("cpu_seconds")])
            figure += f"; ratio **{wall / nwall:.1f}×** wall, **{cpu / ncpu:.1f}×** CPU"
            ok = verdict(min(wall / nwall, cpu / ncpu) >= 4)
        rows.append(("Ingest 500k with a batch consumer (`--consumer`)", figure, target, ok))

    # Memory for 1M events.
    mem = first_json(out / "memory.json")
    if mem:
        payload, rss = mem["payload_bytes"], mem["peak_rss_bytes"]
        budget = 1.3 * payload + 64 * MIB
        per_record = (rss - payload) / max(1, mem["held"])
        figure = f"peak RSS {rss / MIB:,.0f} MiB for {mem['held']:,} records, {payload / MIB:,.0f} MiB raw " \
                 f"({payload / max(1, mem['events']):.0f} B/event); {per_record:.0f} B/record beyond the raw bytes; " \
                 f"budget {budget / MIB:,.0f} MiB"
        rows.append(("Memory, 1M events held", figure, "≤ 1.3×raw + 64 MiB", verdict(rss <= budget)))

    # End to end.
    tail = first_json(out / "tail.json")
    cpu = first_json(out / "e2e-cpu.json")
    sim_log = (out / "sim.err").read_text() if (out / "sim.err").exists() else ""
    wrote = [(int(n), float(s)) for n, s in re.findall(r"wrote (\d+) breadcrumb events in ([0-9.]+) s", sim_log)]
    wrote = [w for w in wrote if w[0] > 0]
    if tail and wrote:
        s = tail["summary"]
        sent, span = wrote[-1]
        lag_max = s["lag_ms"]["max"] / 1000
        rate = sent / max(1e-9, span + lag_max)
        zero_loss = s["events"] == sent and s["duplicates"] == 0 and s["rejected"] == 0 and s["reconnects"] == 0
        limit = ""
        if cpu:
            sim_busy = cpu["sim_cpu_s"] / max(1e-9, span)
            tail_busy = cpu["tail_cpu_s"] / max(1e-9, span + lag_max)
            limit = f"; CPU while streaming: rcrt-sim {sim_busy:.0%} of a core, rcrt-tap {tail_busy:.0%}; " \
                    f"per CPU second: rcrt-sim {fmt_rate(sent / max(1e-9, cpu['sim_cpu_s']))}, " \
                    f"rcrt-tap {fmt_rate(s['events'] / max(1e-9, cpu['tail_cpu_s']))}"
        figure = f"{fmt_rate(rate)} sustained ({sent:,} events written in {span:.2f} s, tail lag p95 " \
                 f"{s['lag_ms']['p95']:.0f} ms, max {s['lag_ms']['max']:.0f} ms); received {s['events']:,} " \
                 f"(loss {sent - s['events']:,}, dup {s['duplicates']}){limit}"
        rows.append(("End to end, `rcrt-sim --workload load` → `rcrt-tap tail`", figure,
                     "≥ 200k/s, zero loss", verdict(rate >= 200_000 and zero_loss) +
                     ("" if zero_loss else " (LOSS)")))

    gui = first_json(out / "gui.json")
    if gui:
        figure = f"longest stall {gui['longest_stall_ms']:.1f} ms, stall p99 {gui['stall_p99_ms']:.1f} ms; " \
                 f"repaint p50 {gui['repaint_p50_ms']:.1f} ms, p99 {gui['repaint_p99_ms']:.1f} ms " \
                 f"({gui['rate']:,} events/s, {gui['seconds']} s, {gui['platform']})"
        if "longest_event_cpu_ms" in gui:
            figure += f"; longest GUI-thread event {gui['longest_event_cpu_ms']:.1f} ms CPU ({gui['longest_event']})"
        rows.append(("GUI, events view following the tail", figure, "stall < 50 ms",
                     verdict(gui["longest_stall_ms"] < 50)))

    for name, label in (("bench_localbus", "Local bus round trip (`bench_localbus`)"),
                        ("bench_session", "Session file 1M (`bench_session`)"),
                        ("bench_replay_seek", "Replay 1M in the window (`bench_replay_seek`)")):
        path = out / f"{name}.out"
        if not path.exists():
            rows.append((label, "not built: left out", "", ""))
            continue
        text = path.read_text().strip()
        figure = "; ".join(line.strip() for line in text.splitlines() if line.strip()) or "(no output)"
        rows.append((label, figure.replace("|", "/"), "see the issue", "see figures"))

    print("| benchmark | figures (medians where repeated) | target | verdict |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    machine = out / "machine.txt"
    if machine.exists():
        print()
        print("Machine: " + "; ".join(" ".join(line.split()) for line in machine.read_text().splitlines() if line.strip()))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
