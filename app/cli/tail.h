#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

// `rcrt-tap tail [--count N] [--duration S] [--schema S] [--tag T] [--pings] [--history N]
// [--summary]`: one line per breadcrumb event as it arrives (sse or backfill), reconnecting and
// backfilling; the connection log goes to stderr. Exit 0 after N events or S seconds (or on
// Ctrl-C), 1 when the stream stopped for good (e.g. the server answered 204).
int runTail(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
