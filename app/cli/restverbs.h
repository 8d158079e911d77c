#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

// Thin REST verbs of rcrt-tap: each prints the server's JSON answer on stdout, or the status and
// the server's plain-text error verbatim on stderr (exit 1). Bad usage exits 2.
int runList(const TapOptions &options, const QStringList &args);
int runGet(const TapOptions &options, const QStringList &args);
int runFull(const TapOptions &options, const QStringList &args);
int runHistory(const TapOptions &options, const QStringList &args);
int runCreate(const TapOptions &options, const QStringList &args);
int runUpdate(const TapOptions &options, const QStringList &args);
int runDelete(const TapOptions &options, const QStringList &args);
int runHealth(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
