#include "app/cli/sessioncommands.h"

#include <QTextStream>

namespace rcrt::cli {

int runRecord(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

int runReplay(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

int runExport(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

int runImport(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

} // namespace rcrt::cli
