#include "app/cli/tapcommands.h"

#include "app/cli/diagnose.h"
#include "app/cli/ingest.h"
#include "app/cli/invoke.h"
#include "app/cli/parsesse.h"
#include "app/cli/probe.h"
#include "app/cli/restverbs.h"
#include "app/cli/runtools.h"
#include "app/cli/sessioncommands.h"
#include "app/cli/tail.h"
#include "app/cli/tapoptions.h"

#include <QLoggingCategory>
#include <QTextStream>

#include <functional>

namespace rcrt::cli {

namespace {

using CommandFn = std::function<int(const TapOptions &, const QStringList &)>;

struct Command
{
    QLatin1String name;
    QLatin1String summary;
    CommandFn run;
};

const QList<Command> &commands()
{
    static const QList<Command> all{
        {QLatin1String("tail"), QLatin1String("stream events live, reconnecting and backfilling"),
         runTail},
        {QLatin1String("record"), QLatin1String("record a live session into a session file"),
         runRecord},
        {QLatin1String("replay"), QLatin1String("print a session file's events as tail does"),
         runReplay},
        {QLatin1String("export"), QLatin1String("write a session file as JSON Lines"), runExport},
        {QLatin1String("import"), QLatin1String("make a session file from JSON Lines or an SSE capture"),
         runImport},
        {QLatin1String("invoke"), QLatin1String("call a tool and print its response and timings"),
         runInvoke},
        {QLatin1String("run-tools"), QLatin1String("answer tool requests with the built-in tools"),
         runRunTools},
        {QLatin1String("probe"), QLatin1String("time probe breadcrumbs through write, stream and local bus"),
         runProbe},
        {QLatin1String("diagnose"), QLatin1String("explain delivery problems, live or from a session file"),
         runDiagnose},
        {QLatin1String("ingest"), QLatin1String("push an SSE capture through the ingest path, timed"),
         runIngest},
        {QLatin1String("parse-sse"), QLatin1String("run a byte stream through the SSE parser"),
         runParseSse},
        {QLatin1String("list"), QLatin1String("GET /breadcrumbs"), runList},
        {QLatin1String("get"), QLatin1String("GET /breadcrumbs/{id}"), runGet},
        {QLatin1String("full"), QLatin1String("GET /breadcrumbs/{id}/full"), runFull},
        {QLatin1String("history"), QLatin1String("GET /breadcrumbs/{id}/history"), runHistory},
        {QLatin1String("create"), QLatin1String("POST /breadcrumbs"), runCreate},
        {QLatin1String("update"), QLatin1String("PATCH /breadcrumbs/{id}"), runUpdate},
        {QLatin1String("delete"), QLatin1String("DELETE /breadcrumbs/{id}"), runDelete},
        {QLatin1String("health"), QLatin1String("GET /health"), runHealth},
    };
    return all;
}

void printUsage(QTextStream &out)
{
    out << "usage: rcrt-tap [global options] COMMAND [command options]\n\n"
           "global options:\n"
           "  --url URL            server (default $RCRT_URL, else http://127.0.0.1:8081)\n"
           "  --token T            bearer token\n"
           "  --token-file F       read the bearer token from a file\n"
           "  --owner-id U --agent-id U [--roles r,r]\n"
           "                       mint tokens with POST /auth/token and refresh them\n"
           "  --insecure           https without certificate checks (warned on stderr)\n"
           "  --ca-file F          also trust the CA certificates in F (PEM or DER)\n"
           "  --json               machine-readable output\n\n"
           "commands:\n";
    for (const Command &c : commands())
        out << "  " << QString(c.name).leftJustified(12) << ' ' << c.summary << '\n';
    out << "\nrcrt-tap COMMAND --help shows a command's options.\n";
}

} // namespace

int runTap(const QStringList &arguments)
{
    // The connection log is the command's own (stderr, "# ..."); library chatter only on request.
    if (qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("rcrt.*.debug=false\nrcrt.*.info=false"));
    QTextStream err(stderr);
    QStringList args = arguments.mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        QTextStream out(stdout);
        printUsage(out);
        return args.isEmpty() ? 2 : 0;
    }
    if (args.first() == QLatin1String("--version")) {
        QTextStream(stdout) << "rcrt-tap " << RCRT_VERSION << '\n';
        return 0;
    }
    TapOptions options;
    QString error;
    if (!extractGlobalOptions(args, options, error)) {
        err << "rcrt-tap: " << error << '\n';
        return 2;
    }
    if (args.isEmpty()) {
        err << "rcrt-tap: no command given (rcrt-tap --help lists them)\n";
        return 2;
    }
    const QString name = args.takeFirst();
    for (const Command &c : commands()) {
        if (name == c.name)
            return c.run(options, args);
    }
    err << "rcrt-tap: unknown command '" << name << "' (rcrt-tap --help lists them)\n";
    return 2;
}

} // namespace rcrt::cli
