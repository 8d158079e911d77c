#pragma once

#include "app/cli/tapoptions.h"
#include "app/connectionsettings.h"

namespace rcrt::cli {

class TapConnection;

int runDiagnose(const TapOptions &options, const QStringList &args);

// The ingest engine's settings for an opened tap connection (its token, or its mint request).
ConnectionSettings doctorConnectionSettings(const TapOptions &options, TapConnection &connection);

} // namespace rcrt::cli
