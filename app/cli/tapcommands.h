#pragma once

#include <QStringList>

namespace rcrt::cli {

// Entry point of rcrt-tap: parses the global options, picks the command and runs it, driving
// the Qt event loop where the command needs one. Returns the process exit code.
int runTap(const QStringList &arguments);

} // namespace rcrt::cli
