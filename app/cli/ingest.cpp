#include "app/cli/ingest.h"

#include <QTextStream>

namespace rcrt::cli {

int runIngest(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

} // namespace rcrt::cli
