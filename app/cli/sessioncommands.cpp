// rcrt-tap export and import (record and replay live in sessionrecord.cpp, sessionreplay.cpp).

#include "app/cli/sessioncommands.h"

#include "app/cli/sessionargs.h"
#include "app/session/sessioninterchange.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <cstdio>

namespace rcrt::cli {

int runExport(const TapOptions &, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write a session file as JSON Lines (docs/session-format.md) to OUT or stdout."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The session file."));
    parser.addOptions({
        {QStringLiteral("jsonl"), QStringLiteral("JSON Lines (the only export format).")},
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Write here instead of stdout."),
         QStringLiteral("OUT")},
    });
    bool help = false;
    if (!parseSessionCommand(parser, QStringLiteral("export"), args, 1, &help))
        return help ? 0 : 2;
    QTextStream err(stderr);
    if (!parser.isSet(QStringLiteral("jsonl"))) {
        err << "rcrt-tap export: say --jsonl (the only export format)\n";
        return 2;
    }
    const QString input = parser.positionalArguments().first();
    const QString output = parser.value(QStringLiteral("output"));
    QString error;
    auto reader = SessionReader::open(input, &error);
    if (!reader) {
        err << "rcrt-tap export: " << error << '\n';
        return 1;
    }
    for (const QString &problem : reader->problems())
        err << "# problem: " << problem << '\n';
    err.flush();
    bool ok = false;
    if (output.isEmpty() || output == QLatin1String("-")) {
        QFile out;
        ok = out.open(stdout, QIODevice::WriteOnly) && exportSessionJsonLines(*reader, out, &error);
    } else {
        QSaveFile out(output); // all or nothing: no half export under the final name
        if (!out.open(QIODevice::WriteOnly))
            error = QStringLiteral("cannot write %1: %2").arg(output, out.errorString());
        else
            ok = exportSessionJsonLines(*reader, out, &error) && out.commit();
        if (ok == false && error.isEmpty())
            error = QStringLiteral("cannot write %1: %2").arg(output, out.errorString());
    }
    if (!ok) {
        err << "rcrt-tap export: " << error << '\n';
        return 1;
    }
    return 0;
}

int runImport(const TapOptions &, const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Make a session file from JSON Lines (as export writes them) or a raw SSE capture "
        "(curl -N output; arrival times then come from updated_at and ping ts). INPUT - reads "
        "stdin."));
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("JSON Lines or SSE capture."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The session file to create."),
         QStringLiteral("FILE")},
    });
    bool help = false;
    if (!parseSessionCommand(parser, QStringLiteral("import"), args, 1, &help))
        return help ? 0 : 2;
    QTextStream err(stderr);
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        err << "rcrt-tap import: -o FILE is required\n";
        return 2;
    }
    const QString input = parser.positionalArguments().first();
    QFile in;
    const bool opened = input == QLatin1String("-") ? in.open(stdin, QIODevice::ReadOnly)
                                                    : (in.setFileName(input), in.open(QIODevice::ReadOnly));
    if (!opened) {
        err << "rcrt-tap import: cannot read " << input << ": " << in.errorString() << '\n';
        return 1;
    }
    ImportSummary summary;
    QString error;
    if (!importSession(in, input, output, &summary, &error)) {
        err << "rcrt-tap import: " << input << ": " << error << '\n';
        return 1;
    }
    for (const QString &warning : summary.warnings)
        err << "# " << warning << '\n';
    err << "# imported " << summary.events << " events, " << summary.logEntries << " log lines, "
        << summary.details << " details, " << summary.probes << " probes from "
        << (summary.format == ImportFormat::SseCapture ? "an SSE capture" : "JSON Lines") << " into "
        << output << '\n';
    return 0;
}

} // namespace rcrt::cli
