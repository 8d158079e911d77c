#pragma once

#include "app/cli/tapoptions.h"

namespace rcrt::cli {

int runDiagnose(const TapOptions &options, const QStringList &args);

} // namespace rcrt::cli
