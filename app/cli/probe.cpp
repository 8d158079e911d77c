#include "app/cli/probe.h"

#include <QTextStream>

namespace rcrt::cli {

int runProbe(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

} // namespace rcrt::cli
