#include "app/cli/tapcommands.h"

#include <QTextStream>

namespace rcrt::cli {

int runTap(const QStringList &arguments)
{
    Q_UNUSED(arguments);
    QTextStream(stderr) << "rcrt-tap: no command\n";
    return 2;
}

} // namespace rcrt::cli
