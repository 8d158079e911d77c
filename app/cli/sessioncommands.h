#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

int runRecord(const TapOptions &options, const QStringList &args);
int runReplay(const TapOptions &options, const QStringList &args);
int runExport(const TapOptions &options, const QStringList &args);
int runImport(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
