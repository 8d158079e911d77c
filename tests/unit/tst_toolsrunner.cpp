// ToolsRunner without a server: filtering, per-id dedupe across sources, the FIFO queue under
// bounded concurrency, timeouts, the state bound and the response shape. Responses go to a
// closed port, so every write fails and the runner reports it (writeError), which is also
// what is checked for.

#include "app/breadcrumbwriter.h"
#include "app/runner/toolsrunner.h"
#include "model/eventwaiter.h"
#include "model/localbus.h"
#include "net/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace rcrt;

namespace {

// Records the order of starts; finishes after input.ms.
class OrderTool final : public Tool
{
public:
    OrderTool(QStringList *starts, int timeoutMs) : m_starts(starts), m_timeoutMs(timeoutMs) {}
    QString name() const override { return QStringLiteral("order"); }
    QString description() const override { return QStringLiteral("records starts"); }
    QJsonObject inputSchema() const override
    {
        return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                           {QStringLiteral("required"), QJsonArray{QStringLiteral("tag")}}};
    }
    QJsonArray examples() const override { return {}; }
    int timeoutMs() const override { return m_timeoutMs; }
    ToolRun *start(const QJsonValue &input, ToolContext &, QObject *parent) override
    {
        const QJsonObject o = input.toObject();
        m_starts->append(o.value(QStringLiteral("tag")).toString());
        auto *run = new ToolRun(parent);
        QTimer::singleShot(o.value(QStringLiteral("ms")).toInt(), run,
                           [run] { emit run->finished(ToolResult::success(QJsonObject{})); });
        return run;
    }

private:
    QStringList *m_starts;
    int m_timeoutMs;
};

QByteArray requestPayload(const QString &id, int version, const QJsonObject &context,
                          const QStringList &tags = {QStringLiteral("tool:request"), QStringLiteral("workspace:tools")},
                          const QString &schema = QStringLiteral("tool.request.v1"))
{
    const QJsonObject o{{QStringLiteral("breadcrumb_id"), id},
                        {QStringLiteral("version"), version},
                        {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                        {QStringLiteral("schema_name"), schema},
                        {QStringLiteral("updated_at"), QStringLiteral("2025-11-07T10:30:05.021448Z")},
                        {QStringLiteral("context"), context},
                        {QStringLiteral("type"), QStringLiteral("breadcrumb.updated")}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QJsonObject orderContext(const QString &tag, int ms)
{
    return QJsonObject{{QStringLiteral("tool"), QStringLiteral("order")},
                       {QStringLiteral("input"), QJsonObject{{QStringLiteral("tag"), tag}, {QStringLiteral("ms"), ms}}}};
}

// A runner whose writes go to a port nobody listens on.
struct Rig
{
    QNetworkAccessManager nam;
    RestClient rest;
    LocalBus bus;
    BreadcrumbWriter writer;
    EventWaiter waiter;
    QStringList starts;
    std::unique_ptr<ToolsRunner> runner;

    explicit Rig(int concurrency, int timeoutMs = 30000, qsizetype maxTracked = 100000)
        : rest(&nam, closedPortUrl(), nullptr)
        , writer(&rest, &bus)
    {
        RunnerOptions o;
        o.concurrency = concurrency;
        o.publishCatalog = false;
        o.maxTrackedRequests = maxTracked;
        o.makeTools = [this, timeoutMs] {
            ToolRegistry r;
            r.add(std::make_unique<OrderTool>(&starts, timeoutMs));
            return r;
        };
        runner = std::make_unique<ToolsRunner>(&writer, &rest, &waiter, o);
    }

    static QUrl closedPortUrl()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probe.serverPort();
        probe.close();
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    }

    // Local, version 1: the runner's own fresh request, so no lookup.
    void feedLocal(const QByteArray &raw) { runner->feed(StreamEvent{nowNs(), EventSource::Local, raw}); }
};

} // namespace

class TestToolsRunner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<RunnerExecution>();
        qRegisterMetaType<RunnerStats>();
    }

    void filterFollowsTheRealRunner()
    {
        Rig rig(4);
        const QString other = newId(), health = newId(), noTag = newId(), response = newId(), ping = newId();
        rig.feedLocal(requestPayload(other, 1, orderContext(QStringLiteral("a"), 0),
                                     {QStringLiteral("tool:request"), QStringLiteral("workspace:agents")}));
        rig.feedLocal(requestPayload(health, 1, orderContext(QStringLiteral("a"), 0),
                                     {QStringLiteral("tool:request"), QStringLiteral("workspace:tools"), QStringLiteral("health:check")}));
        rig.feedLocal(requestPayload(noTag, 1, orderContext(QStringLiteral("a"), 0), {QStringLiteral("workspace:tools")}));
        rig.feedLocal(requestPayload(response, 1, orderContext(QStringLiteral("a"), 0),
                                     {QStringLiteral("tool:request"), QStringLiteral("workspace:tools")},
                                     QStringLiteral("tool.response.v1")));
        rig.feedLocal(QByteArrayLiteral(R"({"type":"ping","ts":"2025-11-07T10:30:05Z"})"));
        rig.feedLocal(QByteArrayLiteral("not json"));
        for (const QString &id : {other, health, noTag, response, ping})
            QVERIFY(!rig.runner->stateOf(id));
        QVERIFY(rig.starts.isEmpty());

        RunnerOptions agents;
        agents.workspace = QStringLiteral("workspace:agents");
        agents.makeTools = [] { return ToolRegistry(); };
        ToolsRunner agentsRunner(&rig.writer, &rig.rest, &rig.waiter, agents);
        agentsRunner.feed(StreamEvent{nowNs(), EventSource::Local, requestPayload(other, 1, orderContext(QStringLiteral("a"), 0),
                                                                                 {QStringLiteral("tool:request"), QStringLiteral("workspace:agents")})});
        QVERIFY(agentsRunner.stateOf(other).has_value());
    }

    void oneExecutionPerIdAcrossSourcesAndVersions()
    {
        Rig rig(4);
        QSignalSpy executed(rig.runner.get(), &ToolsRunner::executed);
        const QString id = newId();
        const QByteArray v1 = requestPayload(id, 1, orderContext(QStringLiteral("x"), 0));
        rig.feedLocal(v1);
        rig.runner->feed(StreamEvent{nowNs(), EventSource::Sse, v1});
        rig.runner->feed(StreamEvent{nowNs(), EventSource::Sse, v1}); // a selector duplicate
        rig.runner->feed(StreamEvent{nowNs(), EventSource::Backfill, v1});
        rig.runner->feed(StreamEvent{nowNs(), EventSource::Sse, requestPayload(id, 2, orderContext(QStringLiteral("x"), 0))});
        QTRY_COMPARE(executed.count(), 1);
        QCOMPARE(rig.starts, QStringList{QStringLiteral("x")});
        QCOMPARE(rig.runner->stats().duplicates, qint64(4));
        QTest::qWait(50);
        QCOMPARE(executed.count(), 1);
        const auto e = executed.first().first().value<RunnerExecution>();
        QCOMPARE(e.requestId, id); // no requestId in the context: the breadcrumb id
        QVERIFY(e.ok);
        QVERIFY(!e.writeError.isEmpty()); // nobody listens: reported, not hidden
        QCOMPARE(rig.runner->stats().responseWriteErrors, qint64(1));
        QCOMPARE(*rig.runner->stateOf(id), ToolsRunner::State::Completed);
    }

    void fifoQueueUnderBoundedConcurrency()
    {
        Rig rig(2);
        QSignalSpy stats(rig.runner.get(), &ToolsRunner::statsChanged);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            ids << newId();
            rig.feedLocal(requestPayload(ids.last(), 1, orderContext(QString::number(i), 80)));
        }
        RunnerStats s = rig.runner->stats();
        QCOMPARE(s.running, 2);
        QCOMPARE(s.queued, 3);
        QVERIFY(s.saturated());
        QCOMPARE(*rig.runner->stateOf(ids.at(4)), ToolsRunner::State::Queued);
        QVERIFY(!stats.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(rig.starts.size(), 5, 5000);
        QCOMPARE(rig.starts, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                                          QStringLiteral("3"), QStringLiteral("4")}));
        QTRY_COMPARE_WITH_TIMEOUT(rig.runner->stats().running, 0, 5000);
        QVERIFY(!rig.runner->stats().saturated());
    }

    void timeoutAnswersAnError()
    {
        Rig rig(1, 40);
        QSignalSpy executed(rig.runner.get(), &ToolsRunner::executed);
        rig.feedLocal(requestPayload(newId(), 1, orderContext(QStringLiteral("slow"), 5000)));
        rig.feedLocal(requestPayload(newId(), 1, orderContext(QStringLiteral("next"), 0)));
        QTRY_COMPARE_WITH_TIMEOUT(executed.count(), 2, 5000);
        const auto slow = executed.at(0).first().value<RunnerExecution>();
        QVERIFY(!slow.ok);
        QCOMPARE(slow.error, QStringLiteral("timed out after 40 ms"));
        // The slot was freed for the next request.
        QVERIFY(executed.at(1).first().value<RunnerExecution>().ok);
    }

    void badRequestsAreAnsweredWithoutASlot()
    {
        Rig rig(1);
        QSignalSpy executed(rig.runner.get(), &ToolsRunner::executed);
        rig.feedLocal(requestPayload(newId(), 1, QJsonObject{{QStringLiteral("tool"), QStringLiteral("order")}}));
        rig.feedLocal(requestPayload(newId(), 1, QJsonObject{{QStringLiteral("input"), QJsonObject{}}}));
        rig.feedLocal(requestPayload(newId(), 1, QJsonObject{{QStringLiteral("tool"), QStringLiteral("order")},
                                                             {QStringLiteral("input"), QJsonObject{}}})); // schema: tag required
        rig.feedLocal(requestPayload(newId(), 1, QJsonObject{{QStringLiteral("tool"), QStringLiteral("rm -rf")},
                                                             {QStringLiteral("input"), QJsonObject{}}}));
        QCOMPARE(rig.runner->stats().running, 0);
        QTRY_COMPARE_WITH_TIMEOUT(executed.count(), 4, 5000);
        QStringList errors;
        for (const auto &args : executed)
            errors << args.first().value<RunnerExecution>().error;
        QVERIFY2(errors.at(0).contains(QStringLiteral("no input")), qPrintable(errors.at(0)));
        QVERIFY2(errors.at(1).contains(QStringLiteral("no tool")), qPrintable(errors.at(1)));
        QVERIFY2(errors.at(2).contains(QStringLiteral("tag")), qPrintable(errors.at(2)));
        QVERIFY2(errors.at(3).contains(QStringLiteral("rm -rf")), qPrintable(errors.at(3)));
        QVERIFY(rig.starts.isEmpty());
    }

    void stateIsBoundedOldestCompletedFirst()
    {
        Rig rig(4, 30000, 3);
        QStringList ids;
        for (int i = 0; i < 6; ++i) {
            ids << newId();
            rig.feedLocal(requestPayload(ids.last(), 1, orderContext(QString::number(i), 0)));
            QTRY_COMPARE_WITH_TIMEOUT(*rig.runner->stateOf(ids.last()), ToolsRunner::State::Completed, 5000);
        }
        QVERIFY(!rig.runner->stateOf(ids.at(0)));
        QVERIFY(!rig.runner->stateOf(ids.at(1)));
        QVERIFY(rig.runner->stateOf(ids.at(5)));
        QVERIFY(rig.runner->stateOf(ids.at(4)));
    }

    void responseBodyShape()
    {
        const QJsonObject ok = toolResponseBody(QStringLiteral("workspace:tools"), QStringLiteral("llm-1-x"),
                                                QStringLiteral("echo"), ToolResult::success(QJsonObject{{QStringLiteral("a"), 1}}), 12);
        QCOMPARE(ok.value(QStringLiteral("title")).toString(), QStringLiteral("Response: echo"));
        QCOMPARE(ok.value(QStringLiteral("schema_name")).toString(), QStringLiteral("tool.response.v1"));
        QCOMPARE(ok.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("workspace:tools"), QStringLiteral("tool:response"), QStringLiteral("request:llm"),
                             QStringLiteral("request:llm-1-x")}));
        const QJsonObject c = ok.value(QStringLiteral("context")).toObject();
        QCOMPARE(c.value(QStringLiteral("execution_time_ms")).toInt(), 12);
        QCOMPARE(c.value(QStringLiteral("output")).toObject().value(QStringLiteral("a")).toInt(), 1);
        const QJsonObject err = toolResponseBody(QStringLiteral("workspace:x"), QStringLiteral("r"), QStringLiteral("t"),
                                                 ToolResult::failure(QStringLiteral("boom")), 0);
        QCOMPARE(err.value(QStringLiteral("title")).toString(), QStringLiteral("Error: t"));
        QCOMPARE(err.value(QStringLiteral("context")).toObject().value(QStringLiteral("error")).toString(), QStringLiteral("boom"));
        QCOMPARE(err.value(QStringLiteral("context")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        QVERIFY(!err.value(QStringLiteral("context")).toObject().contains(QStringLiteral("output")));
        QCOMPARE(err.value(QStringLiteral("tags")).toArray(),
                 (QJsonArray{QStringLiteral("workspace:x"), QStringLiteral("tool:response"), QStringLiteral("request:r")}));
    }
};

QTEST_GUILESS_MAIN(TestToolsRunner)
#include "tst_toolsrunner.moc"
