// Shared by the tst_runner_* tests: a console node (LiveSource → EventStore + LocalNode, local
// events back into the store) against rcrt-sim, plus small test tools implementing rcrt::Tool.
#pragma once

#include "app/localwiring.h"
#include "model/eventstore.h"
#include "model/jsonsplit.h"
#include "net/restclient.h"
#include "support/simprocess.h"

#include <QJsonArray>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

namespace rcrt::test {

// Answers {"echo": message} from a zero-delay timer.
class EchoTestTool final : public Tool
{
public:
    QString name() const override { return QStringLiteral("echo"); }
    QString description() const override { return QStringLiteral("test echo"); }
    QJsonObject inputSchema() const override
    {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                           {QStringLiteral("required"), QJsonArray{QStringLiteral("message")}},
                           {QStringLiteral("properties"),
                            QJsonObject{{QStringLiteral("message"),
                                         QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}}}};
    }
    QJsonArray examples() const override { return {}; }
    ToolRun *start(const QJsonValue &input, ToolContext &, QObject *parent) override
    {
        auto *run = new ToolRun(parent);
        const QString message = input.toObject().value(QStringLiteral("message")).toString();
        QTimer::singleShot(0, run, [run, message] {
            emit run->finished(ToolResult::success(QJsonObject{{QStringLiteral("echo"), message}}));
        });
        return run;
    }
};

// Sleeps input.ms, then answers {"slept": ms}; times out after timeoutMs.
class SleepTestTool final : public Tool
{
public:
    explicit SleepTestTool(int timeoutMs = 30'000) : m_timeoutMs(timeoutMs) {}
    QString name() const override { return QStringLiteral("sleep"); }
    QString description() const override { return QStringLiteral("test sleep"); }
    QJsonObject inputSchema() const override { return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}; }
    QJsonArray examples() const override { return {}; }
    int timeoutMs() const override { return m_timeoutMs; }
    ToolRun *start(const QJsonValue &input, ToolContext &, QObject *parent) override
    {
        auto *run = new ToolRun(parent);
        const int ms = input.toObject().value(QStringLiteral("ms")).toInt();
        QTimer::singleShot(ms, run, [run, ms] {
            emit run->finished(ToolResult::success(QJsonObject{{QStringLiteral("slept"), ms}}));
        });
        return run;
    }

private:
    int m_timeoutMs;
};

inline RunnerOptions testRunnerOptions(int concurrency = 4, int sleepTimeoutMs = 30'000)
{
    RunnerOptions o;
    o.concurrency = concurrency;
    o.makeTools = [sleepTimeoutMs] {
        ToolRegistry tools;
        tools.add(std::make_unique<EchoTestTool>());
        tools.add(std::make_unique<SleepTestTool>(sleepTimeoutMs));
        return tools;
    };
    return o;
}

// One console: SSE + backfill into an EventStore and the LocalNode; local events back into
// the store (the wiring the GUI uses).
struct ConsoleRig
{
    QNetworkAccessManager nam;
    RestClient rest;
    EventStore store;
    LocalNode node;
    std::unique_ptr<LiveSource> live;

    explicit ConsoleRig(const QUrl &url, int initialHistory = 0)
        : rest(&nam, url, nullptr)
        , node(&rest)
    {
        LiveSourceOptions options;
        options.initialHistory = initialHistory;
        options.sse.backoff.initialMs = 50;
        options.sse.backoff.capMs = 400;
        live = std::make_unique<LiveSource>(&nam, url, nullptr, heldStateOf(store), options);
        connectLocalNode(*live, store, node);
    }
    ~ConsoleRig() { live->stop(); }

    // Starts the stream and waits until it is open (and the first backfill, if any, is done).
    bool start()
    {
        QSignalSpy backfill(live.get(), &LiveSource::backfillFinished);
        live->start();
        if (!QTest::qWaitFor([this] { return live->sse().state() == SseClient::State::Open; }, 10000))
            return false;
        return !live->isBackfilling() || QTest::qWaitFor([this] { return !live->isBackfilling(); }, 10000);
    }
};

// Runs the event loop until `invocation` finishes. Unlike QTest::qWaitFor / QTRY_*, which sleep
// between polls, this lets every network event through at once, so timelines are not stretched.
inline bool waitFinished(ToolInvocation *invocation, int timeoutMs = 20000)
{
    if (invocation->isFinished())
        return true;
    QEventLoop loop;
    QObject::connect(invocation, &ToolInvocation::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return invocation->isFinished();
}

// Every breadcrumb of `schema` on the server, with context (unauthenticated list).
inline QList<QJsonObject> listWithContext(RestClient &rest, const QString &schema, const QString &tag = {})
{
    BreadcrumbListQuery query;
    query.schemaName = schema;
    query.tag = tag;
    query.includeContext = true;
    RestCall *call = rest.listBreadcrumbs(query);
    QSignalSpy spy(call, &RestCall::finished);
    if (!spy.wait(10000))
        return {};
    QList<QJsonObject> out;
    const QJsonArray items = QJsonDocument::fromJson(spy.first().first().value<RestResult>().body).array();
    for (const QJsonValue &v : items)
        out.append(v.toObject());
    return out;
}

// request_id → number of tool.response.v1 answering it.
inline QHash<QString, int> responseCounts(RestClient &rest)
{
    QHash<QString, int> counts;
    for (const QJsonObject &b : listWithContext(rest, QStringLiteral("tool.response.v1")))
        ++counts[b.value(QStringLiteral("context")).toObject().value(QStringLiteral("request_id")).toString()];
    return counts;
}

// Creates a tool.request.v1 as another agent would (plain REST, no local bus); returns its id.
inline QString createRequest(RestClient &rest, const QString &tool, const QJsonValue &input,
                             const QString &requestId = {},
                             const QStringList &tags = {QStringLiteral("tool:request"), QStringLiteral("workspace:tools")},
                             bool withInput = true)
{
    QJsonObject context{{QStringLiteral("tool"), tool}};
    if (withInput)
        context.insert(QStringLiteral("input"), input);
    if (!requestId.isEmpty())
        context.insert(QStringLiteral("requestId"), requestId);
    const QJsonObject body{{QStringLiteral("title"), QStringLiteral("test request")},
                           {QStringLiteral("schema_name"), QStringLiteral("tool.request.v1")},
                           {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                           {QStringLiteral("context"), context}};
    RestCall *call = rest.createBreadcrumb(QJsonDocument(body).toJson(QJsonDocument::Compact));
    QSignalSpy spy(call, &RestCall::finished);
    if (!spy.wait(10000))
        return {};
    return spy.first().first().value<RestResult>().createdId();
}

} // namespace rcrt::test
