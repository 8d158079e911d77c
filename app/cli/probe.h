#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

int runProbe(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
