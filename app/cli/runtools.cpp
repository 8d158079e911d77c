#include "app/cli/runtools.h"

#include "app/cli/interrupt.h"
#include "app/cli/tapconnection.h"
#include "app/localwiring.h"
#include "model/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>
#include <QTimer>

namespace rcrt::cli {

namespace {

struct RunToolsArgs
{
    RunnerOptions runner;
    double durationS = 0; // 0: until interrupted
    int history = 200;
    int statsEveryS = 5;
};

int parseRunToolsArgs(const QStringList &args, RunToolsArgs &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Answers tool.request.v1 (tagged tool:request and the workspace, never health:check) with the "
        "built-in tools, exactly once per request, logging each request and the runner's stats to stderr."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace tag served (default workspace:tools)."), QStringLiteral("W")},
        {QStringLiteral("concurrency"), QStringLiteral("Concurrent executions (default 4); more wait in a queue."), QStringLiteral("N")},
        {QStringLiteral("duration"), QStringLiteral("Exit after S seconds."), QStringLiteral("S")},
        {QStringLiteral("history"), QStringLiteral("Breadcrumbs re-listed at start, so requests made while no runner was up are "
                                                   "answered (default 200)."), QStringLiteral("N")},
        {QStringLiteral("stats-every"), QStringLiteral("Seconds between stats lines (default 5; 0: only at exit)."), QStringLiteral("S")},
    });
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap run-tools")} + args)) {
        err << "rcrt-tap run-tools: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return -1;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "rcrt-tap run-tools: unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return 2;
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("workspace")))
        out.runner.workspace = parser.value(QStringLiteral("workspace"));
    if (parser.isSet(QStringLiteral("concurrency")))
        out.runner.concurrency = parser.value(QStringLiteral("concurrency")).toInt(&ok);
    if (ok && parser.isSet(QStringLiteral("duration")))
        out.durationS = parser.value(QStringLiteral("duration")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("history")))
        out.history = parser.value(QStringLiteral("history")).toInt(&ok);
    if (ok && parser.isSet(QStringLiteral("stats-every")))
        out.statsEveryS = parser.value(QStringLiteral("stats-every")).toInt(&ok);
    if (!ok || out.runner.concurrency < 1 || out.runner.concurrency > 1000 || out.durationS < 0 || out.history < 0
        || out.statsEveryS < 0 || out.runner.workspace.isEmpty()) {
        err << "rcrt-tap run-tools: --concurrency takes 1..1000, --duration, --history and --stats-every "
               "non-negative numbers, --workspace a tag\n";
        return 2;
    }
    return 0;
}

QString statsLine(const RunnerStats &s)
{
    return QStringLiteral("stats running=%1 queued=%2 checking=%3 done=%4 failed=%5 answered-before=%6 "
                          "duplicates=%7 write-errors=%8 saturated=%9")
        .arg(s.running).arg(s.queued).arg(s.checking).arg(s.done).arg(s.failed).arg(s.alreadyAnswered)
        .arg(s.duplicates).arg(s.responseWriteErrors)
        .arg(s.saturated() ? QStringLiteral("yes") : QStringLiteral("no"));
}

QString executionLine(const RunnerExecution &e)
{
    if (e.skipped)
        return QStringLiteral("skipped %1 request_id=%2 (%3): already answered%4")
            .arg(e.tool, e.requestId, e.requestBreadcrumbId,
                 e.responseId.isEmpty() ? QString() : QStringLiteral(" by ") + e.responseId);
    return QStringLiteral("executed %1 request_id=%2 (%3, via %4): %5 queue=%6ms run=%7ms response=%8")
        .arg(e.tool, e.requestId, e.requestBreadcrumbId, sourceName(e.source),
             e.ok ? QStringLiteral("success") : QStringLiteral("error: ") + e.error)
        .arg(e.queuedMs).arg(e.executionMs)
        .arg(e.writeError.isEmpty() ? e.responseId : QStringLiteral("NOT WRITTEN (") + e.writeError + u')');
}

} // namespace

int runRunTools(const TapOptions &options, const QStringList &rawArgs)
{
    RunToolsArgs args;
    if (const int rc = parseRunToolsArgs(rawArgs, args); rc != 0)
        return rc < 0 ? 0 : rc;

    QTextStream err(stderr);
    auto log = [&err](const QString &message) {
        err << "# " << QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) << ' ' << message << '\n';
        err.flush();
    };
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap run-tools: " << error << '\n';
        return 1;
    }
    EventStore::Options storeOptions;
    storeOptions.maxEvents = 200'000; // dedupe memory for the backfill's held state
    EventStore store(storeOptions);
    LiveSourceOptions liveOptions;
    liveOptions.initialHistory = args.history;
    LiveSource live(&connection->nam(), options.url, &connection->tokens(), heldStateOf(store), liveOptions);
    LocalNode node(&connection->rest(), &connection->tokens());
    connectLocalNode(live, store, node);
    QObject::connect(&live, &LiveSource::logMessage, &node, log);
    QObject::connect(&node, &LocalNode::logMessage, &node, log);
    QObject::connect(&node, &LocalNode::runnerExecuted, &node,
                     [&](const RunnerExecution &e) { log(executionLine(e)); });
    int exitCode = 0;
    bool stopping = false;
    QObject::connect(&live.sse(), &SseClient::stateChanged, &node, [&](SseClient::State state) {
        if (state != SseClient::State::Stopped || stopping)
            return;
        err << "rcrt-tap run-tools: stream stopped: " << live.sse().stopReason() << '\n';
        exitCode = 1;
        QCoreApplication::quit();
    });
    node.setRunnerEnabled(true, args.runner);

    QTimer statsTimer;
    QObject::connect(&statsTimer, &QTimer::timeout, &node, [&] { log(statsLine(node.runner()->stats())); });
    if (args.statsEveryS > 0)
        statsTimer.start(args.statsEveryS * 1000);
    if (args.durationS > 0)
        QTimer::singleShot(qint64(args.durationS * 1000), &node, [] { QCoreApplication::quit(); });
    quitEventLoopOnInterrupt();
    live.start();
    QCoreApplication::exec();
    stopping = true;
    live.stop();
    log(statsLine(node.runner()->stats()));
    return exitCode;
}

} // namespace rcrt::cli
