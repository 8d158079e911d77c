#pragma once

#include <QCommandLineParser>
#include <QStringList>

namespace rcrt::cli {

// The option parsing the session commands share: adds --help, parses `args` for
// `rcrt-tap <command>`, prints help (sets *help) or the error, and checks that exactly
// `positionals` positional arguments were given. Returns false when the command should stop.
bool parseSessionCommand(QCommandLineParser &parser, const QString &command, const QStringList &args,
                         int positionals, bool *help);

} // namespace rcrt::cli
