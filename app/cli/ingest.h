#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

// `rcrt-tap ingest FILE [--json]`: pushes a raw SSE capture (what `curl -N` saves from
// /events/stream) through the live ingest path on one thread, as fast as it goes: SseParser
// (one batch per read, as SseClient does) → EventStore::ingestBatch (decoder, dedupe, indexes,
// batches). Prints the counts, the time and the peak RSS; the benchmark of issue 7.
int runIngest(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
