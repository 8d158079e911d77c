#include "app/cli/parsesse.h"

#include <QTextStream>

namespace rcrt::cli {

int runParseSse(const TapOptions &options, const QStringList &args)
{
    Q_UNUSED(options);
    Q_UNUSED(args);
    QTextStream(stderr) << "parse-sse: not implemented yet\n";
    return 2;
}

} // namespace rcrt::cli
