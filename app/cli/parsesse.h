#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

// `rcrt-tap parse-sse [FILE|-] [--chunk N|random:SEED]`: runs bytes through the SSE parser and
// prints one JSON object per dispatched event ({"type","data","id"}) and {"retry":N} for each
// valid retry field; parser errors go to stderr. Returns the exit code.
int runParseSse(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
