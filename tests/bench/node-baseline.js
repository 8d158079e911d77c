#!/usr/bin/env node
// Baseline for `rcrt-tap ingest` (issue 7): the read loop of the real RCRT tools-runner
// (rcrt-protocol.md §3.7), fed from a raw SSE capture instead of a socket. Per chunk: decode
// to text, split on '\n' keeping the unfinished last line, and JSON.parse every line that
// starts with "data: ". Here the decoder is streaming (the real loop makes a new TextDecoder
// per chunk, which garbles UTF-8 cut at chunk edges), and nothing is awaited per event (the
// real loop awaits a GET /breadcrumbs/{id}/full for each one), so this is the loop at its
// fastest: a generous baseline.
//
//   node node-baseline.js FILE
// Prints {"events":N,"bytes":B,"seconds":S,"events_per_s":R,"peak_rss_bytes":M,...}.

'use strict';

const fs = require('fs');

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node node-baseline.js FILE\n');
  process.exit(2);
}

let fd;
try {
  fd = fs.openSync(path, 'r');
} catch (error) {
  process.stderr.write(`node-baseline: cannot open '${path}': ${error.message}\n`);
  process.exit(2);
}

const chunkBytes = 1024 * 1024; // the same read size as rcrt-tap ingest
const chunk = Buffer.allocUnsafe(chunkBytes);
const decoder = new TextDecoder('utf-8');
let partial = '';
let events = 0;
let breadcrumbs = 0;
let pings = 0;
let failed = 0;
let bytes = 0;

const start = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
for (;;) {
  const got = fs.readSync(fd, chunk, 0, chunkBytes, null);
  if (got === 0) break;
  bytes += got;
  const lines = (partial + decoder.decode(chunk.subarray(0, got), { stream: true })).split('\n');
  partial = lines.pop();
  for (const line of lines) {
    if (!line.startsWith('data: ')) continue;
    ++events;
    let event;
    try {
      event = JSON.parse(line.slice(6));
    } catch (error) {
      ++failed;
      continue;
    }
    if (event.type === 'ping') {
      ++pings;
    } else if (event.breadcrumb_id !== undefined) {
      ++breadcrumbs;
    }
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuAtStart); // user + system of every thread (V8's GC helpers too)
fs.closeSync(fd);

process.stdout.write(JSON.stringify({
  events,
  bytes,
  seconds: Number(seconds.toFixed(3)),
  events_per_s: Math.round(events / seconds),
  peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
  breadcrumbs,
  pings,
  rejected: failed,
  node: process.version,
}) + '\n');
