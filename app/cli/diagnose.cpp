#include "app/cli/diagnose.h"

#include <QTextStream>

namespace rcrt::cli {

int runDiagnose(const TapOptions &, const QStringList &)
{
    QTextStream(stderr) << "rcrt-tap: this command is not built yet\n";
    return 2;
}

} // namespace rcrt::cli
