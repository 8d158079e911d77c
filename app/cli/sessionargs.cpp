#include "app/cli/sessionargs.h"

#include <QTextStream>

namespace rcrt::cli {

bool parseSessionCommand(QCommandLineParser &parser, const QString &command, const QStringList &args,
                         int positionals, bool *help)
{
    parser.addHelpOption();
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap ") + command} + args)) {
        err << "rcrt-tap " << command << ": " << parser.errorText() << '\n';
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *help = true;
        return false;
    }
    const QStringList given = parser.positionalArguments();
    if (given.size() != positionals) {
        if (positionals == 0)
            err << "rcrt-tap " << command << ": unexpected argument '" << given.first() << "'\n";
        else
            err << "rcrt-tap " << command << ": give exactly one input file\n";
        return false;
    }
    return true;
}

} // namespace rcrt::cli
