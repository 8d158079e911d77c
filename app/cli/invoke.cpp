#include "app/cli/invoke.h"

#include "app/cli/interrupt.h"
#include "app/cli/tapconnection.h"
#include "app/localwiring.h"
#include "model/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

namespace rcrt::cli {

namespace {

struct InvokeArgs
{
    QString tool;
    QJsonValue input;
    QString workspace = QStringLiteral("workspace:tools");
    double timeoutS = 60;
    double sseGraceS = 2;
    bool localRunner = false;
};

// 0 ok, 2 usage error, -1 help printed.
int parseInvokeArgs(const QStringList &args, InvokeArgs &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Creates a tool.request.v1 for TOOL with input JSON and a generated requestId, waits for the "
        "tool.response.v1, prints it and when each step was seen (local bus and SSE).\n"
        "Exit status: 0 success, 1 status error (or the request could not be written), 2 timeout."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("TOOL"), QStringLiteral("Tool name, e.g. echo."));
    parser.addPositionalArgument(QStringLiteral("JSON"), QStringLiteral("The tool's input, e.g. '{\"message\":\"hi\"}'."));
    parser.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace tag (default workspace:tools)."), QStringLiteral("W")},
        {QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the response (default 60)."), QStringLiteral("S")},
        {QStringLiteral("local-runner"), QStringLiteral("Answer the request with this process's built-in tools-runner.")},
        {QStringLiteral("sse-grace"), QStringLiteral("After the response, seconds to wait for SSE copies not seen yet (default 2)."),
         QStringLiteral("S")},
    });
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap invoke")} + args)) {
        err << "rcrt-tap invoke: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return -1;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2) {
        err << "rcrt-tap invoke: needs TOOL and JSON (rcrt-tap invoke --help)\n";
        return 2;
    }
    out.tool = positional.at(0);
    QJsonParseError parseError;
    // Wrapped in an array so any JSON value (not only objects) is accepted as input.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + positional.at(1).toUtf8() + "]", &parseError);
    if (out.tool.isEmpty() || !doc.isArray() || doc.array().size() != 1) {
        err << "rcrt-tap invoke: JSON is not valid JSON"
            << (parseError.error != QJsonParseError::NoError ? QStringLiteral(": ") + parseError.errorString() : QString())
            << '\n';
        return 2;
    }
    out.input = doc.array().first();
    if (parser.isSet(QStringLiteral("workspace")))
        out.workspace = parser.value(QStringLiteral("workspace"));
    bool ok = true;
    if (parser.isSet(QStringLiteral("timeout")))
        out.timeoutS = parser.value(QStringLiteral("timeout")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("sse-grace")))
        out.sseGraceS = parser.value(QStringLiteral("sse-grace")).toDouble(&ok);
    if (!ok || out.timeoutS <= 0 || out.sseGraceS < 0 || out.workspace.isEmpty()) {
        err << "rcrt-tap invoke: --timeout takes a positive number of seconds, --sse-grace a non-negative one, "
               "--workspace a tag\n";
        return 2;
    }
    out.localRunner = parser.isSet(QStringLiteral("local-runner"));
    return 0;
}

QString msSince(qint64 fromNs, qint64 ns)
{
    if (!ns)
        return QStringLiteral("not seen");
    return QString::number(double(ns - fromNs) / 1e6, 'f', 3) + QStringLiteral(" ms");
}

QJsonValue msValue(qint64 fromNs, qint64 ns)
{
    return ns ? QJsonValue(double(ns - fromNs) / 1e6) : QJsonValue();
}

} // namespace

int runInvoke(const TapOptions &options, const QStringList &rawArgs)
{
    InvokeArgs args;
    if (const int rc = parseInvokeArgs(rawArgs, args); rc != 0)
        return rc < 0 ? 0 : rc;

    QTextStream err(stderr);
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap invoke: " << error << '\n';
        return 1;
    }
    EventStore store;
    LiveSource live(&connection->nam(), options.url, &connection->tokens(), heldStateOf(store));
    LocalNode node(&connection->rest(), &connection->tokens());
    connectLocalNode(live, store, node);
    QObject::connect(&node, &LocalNode::logMessage, &node, [&err](const QString &m) {
        err << "# " << m << '\n';
        err.flush();
    });
    if (args.localRunner) {
        RunnerOptions runnerOptions;
        runnerOptions.workspace = args.workspace;
        runnerOptions.publishCatalog = false; // one call, not a service
        node.setRunnerEnabled(true, runnerOptions);
    }

    // Send only once the stream is open, so the SSE copies can be timed.
    int exitCode = 2;
    ToolInvocation *invocation = nullptr;
    QTimer openTimeout;
    openTimeout.setSingleShot(true);
    QObject::connect(&openTimeout, &QTimer::timeout, &node, [&] {
        err << "rcrt-tap invoke: the event stream did not open within 10 s (" << live.sse().stopReason() << ")\n";
        exitCode = 1;
        QCoreApplication::quit();
    });
    QTimer grace;
    grace.setSingleShot(true);
    QObject::connect(&grace, &QTimer::timeout, &node, [] { QCoreApplication::quit(); });
    auto send = [&] {
        openTimeout.stop();
        invocation = node.invoke(args.tool, args.input, args.workspace, int(args.timeoutS * 1000));
        auto maybeDone = [&] {
            if (!invocation->isFinished())
                return;
            const InvocationTimeline &t = invocation->timeline();
            const bool allCopies = t.requestSseNs && t.responseSseNs && (!args.localRunner || t.responseLocalNs);
            if (invocation->status() != ToolInvocation::Status::Success
                && invocation->status() != ToolInvocation::Status::Error)
                QCoreApplication::quit();
            else if (allCopies)
                QCoreApplication::quit();
            else if (!grace.isActive())
                grace.start(int(args.sseGraceS * 1000));
        };
        QObject::connect(invocation, &ToolInvocation::finished, invocation, maybeDone);
        QObject::connect(invocation, &ToolInvocation::timelineChanged, invocation, maybeDone);
    };
    QObject::connect(&live.sse(), &SseClient::connected, &node, [&] {
        if (!invocation)
            send();
    });
    openTimeout.start(10000);
    quitEventLoopOnInterrupt();
    live.start();
    QCoreApplication::exec();
    live.stop();
    if (!invocation)
        return exitCode;

    const InvocationTimeline &t = invocation->timeline();
    const ToolInvocation::Status status = invocation->status();
    switch (status) {
    case ToolInvocation::Status::Success: exitCode = 0; break;
    case ToolInvocation::Status::Error:
    case ToolInvocation::Status::WriteFailed: exitCode = 1; break;
    default: exitCode = 2; break;
    }
    const QJsonObject responseContext = invocation->response().value(QStringLiteral("context")).toObject();
    QTextStream out(stdout);
    if (options.json) {
        const QJsonObject timeline{
            {QStringLiteral("write_ack_ms"), msValue(t.sentNs, t.ackNs)},
            {QStringLiteral("request_local_ms"), msValue(t.sentNs, t.requestLocalNs)},
            {QStringLiteral("request_sse_ms"), msValue(t.sentNs, t.requestSseNs)},
            {QStringLiteral("response_local_ms"), msValue(t.sentNs, t.responseLocalNs)},
            {QStringLiteral("response_sse_ms"), msValue(t.sentNs, t.responseSseNs)},
        };
        const QJsonObject result{
            {QStringLiteral("status"), ToolInvocation::statusName(status)},
            {QStringLiteral("tool"), args.tool},
            {QStringLiteral("request_id"), invocation->requestId()},
            {QStringLiteral("request_breadcrumb_id"), invocation->requestBreadcrumbId()},
            {QStringLiteral("response_breadcrumb_id"), invocation->responseBreadcrumbId()},
            {QStringLiteral("response"), invocation->response().isEmpty() ? QJsonValue() : QJsonValue(responseContext)},
            {QStringLiteral("error"), invocation->error()},
            {QStringLiteral("timeline"), timeline},
        };
        out << QJsonDocument(result).toJson(QJsonDocument::Compact) << '\n';
        return exitCode;
    }
    if (!invocation->response().isEmpty())
        out << QJsonDocument(responseContext).toJson(QJsonDocument::Indented);
    else
        err << "rcrt-tap invoke: " << ToolInvocation::statusName(status) << ": " << invocation->error() << '\n';
    out << "# status " << ToolInvocation::statusName(status) << ", request_id " << invocation->requestId()
        << ", request " << invocation->requestBreadcrumbId() << ", response "
        << (invocation->responseBreadcrumbId().isEmpty() ? QStringLiteral("-") : invocation->responseBreadcrumbId()) << '\n'
        << "# times from sending the request:\n"
        << "#   write acknowledged      " << msSince(t.sentNs, t.ackNs) << '\n'
        << "#   request on local bus    " << msSince(t.sentNs, t.requestLocalNs) << '\n'
        << "#   request on SSE          " << msSince(t.sentNs, t.requestSseNs) << '\n'
        << "#   response on local bus   " << msSince(t.sentNs, t.responseLocalNs) << '\n'
        << "#   response on SSE         " << msSince(t.sentNs, t.responseSseNs) << '\n';
    return exitCode;
}

} // namespace rcrt::cli
