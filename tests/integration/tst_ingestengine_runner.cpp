// IngestEngine with the console's own tools-runner and manual invocations, against rcrt-sim
// without its simulated runner: the console answers, its writes show as source local first
// and as SSE later, and each request is answered once.

#include "app/ingestengine.h"
#include "app/ingestworker.h"
#include "net/restclient.h"
#include "support/simprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;

namespace {

// What a recorder would see (on the ingest thread).
struct SharedTapLog
{
    QMutex mutex;
    QList<StreamEvent> events;
};

class LoggingTap final : public IngestTap
{
public:
    explicit LoggingTap(std::shared_ptr<SharedTapLog> log) : m_log(std::move(log)) {}
    void onEvents(const QList<StreamEvent> &events) override
    {
        QMutexLocker lock(&m_log->mutex);
        m_log->events += events;
    }
    void onLog(const QString &) override {}

private:
    std::shared_ptr<SharedTapLog> m_log;
};

// Every record and later arrival the engine hands to the GUI thread.
struct Seen
{
    QList<EventRecord> records;
    QList<RepeatArrival> repeats;

    const EventRecord *responseTo(const QByteArray &requestId) const
    {
        const EventRecord *found = nullptr;
        for (const EventRecord &r : records)
            if (r.envelope.schemaName == "tool.response.v1" && r.envelope.hasTag(QByteArray("request:" + requestId)))
                found = &r;
        return found;
    }
    int responsesTo(const QByteArray &requestId) const
    {
        int n = 0;
        for (const EventRecord &r : records)
            n += r.envelope.schemaName == "tool.response.v1" && r.envelope.hasTag(QByteArray("request:" + requestId));
        return n;
    }
    bool laterArrival(qint64 seq, EventSource source) const
    {
        for (const RepeatArrival &a : repeats)
            if (a.seq == seq && a.arrival.source == source)
                return true;
        return false;
    }
};

ConnectionSettings settingsFor(const test::SimProcess &sim)
{
    ConnectionSettings settings;
    settings.url = sim.url();
    return settings;
}

bool waitOpen(IngestEngine &engine)
{
    bool open = false;
    QObject::connect(&engine, &IngestEngine::stateChanged, &engine,
                     [&open](SseClient::State state, int) { open = open || state == SseClient::State::Open; });
    return QTest::qWaitFor([&] { return open && engine.isLive(); }, 10000);
}

} // namespace

class TestIngestEngineRunner : public QObject
{
    Q_OBJECT

private slots:
    void runnerAnswersARequestOnceLocalThenSse()
    {
        // SSE copies 300 ms late: on loopback an undelayed copy can beat the write's own answer.
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet"), QStringLiteral("--delay-ms"),
                            QStringLiteral("300")}),
                 qPrintable(sim.error()));
        IngestEngine engine;
        Seen seen;
        connect(&engine, &IngestEngine::batchReady, this, [&](const EventBatch &batch) {
            seen.records += batch.records;
            seen.repeats += batch.repeats;
        });
        QList<RunnerExecution> executions;
        connect(&engine, &IngestEngine::runnerExecuted, this,
                [&](const QList<RunnerExecution> &list) { executions += list; });
        RunnerStats stats;
        connect(&engine, &IngestEngine::runnerStatsChanged, this, [&](const RunnerStats &s) { stats = s; });
        auto tapLog = std::make_shared<SharedTapLog>();
        engine.setTap([tapLog] { return std::make_unique<LoggingTap>(tapLog); });

        // Enabled before connecting: the runner starts with the connection.
        QSignalSpy enabled(&engine, &IngestEngine::runnerEnabledChanged);
        engine.setRunnerEnabled(true);
        QVERIFY(engine.isRunnerEnabled());
        QVERIFY(enabled.wait(5000));
        QCOMPARE(enabled.first().first().toBool(), true);
        engine.connectTo(settingsFor(sim));
        QVERIFY(waitOpen(engine));

        const QString context = QStringLiteral(R"({"tool":"echo","input":{"message":"from tap"},"requestId":"tap-once-1"})");
        const test::TapResult created = test::runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("create"),
                                                      QStringLiteral("--title"), QStringLiteral("Tool request: echo"),
                                                      QStringLiteral("--schema"), QStringLiteral("tool.request.v1"),
                                                      QStringLiteral("--tag"), QStringLiteral("tool:request"),
                                                      QStringLiteral("--tag"), QStringLiteral("workspace:tools"),
                                                      QStringLiteral("--context"), context});
        QVERIFY2(created.exitCode == 0, created.err.constData());

        // The response: first on the local bus (this process wrote it), later by SSE.
        QTRY_VERIFY_WITH_TIMEOUT(seen.responseTo("tap-once-1") != nullptr, 10000);
        const EventRecord response = *seen.responseTo("tap-once-1");
        QCOMPARE(response.first.source, EventSource::Local);
        const QJsonObject responseContext = QJsonDocument::fromJson(response.context().toByteArray()).object();
        QCOMPARE(responseContext.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        QCOMPARE(responseContext.value(QStringLiteral("output")).toObject().value(QStringLiteral("message")).toString(),
                 QStringLiteral("from tap"));
        QTRY_VERIFY_WITH_TIMEOUT(seen.laterArrival(response.seq, EventSource::Sse), 10000);

        // Exactly once: one execution, one response in the store and on the server.
        QTRY_COMPARE_WITH_TIMEOUT(stats.done, qint64(1), 5000);
        QCOMPARE(executions.size(), 1);
        QCOMPARE(executions.first().requestId, QStringLiteral("tap-once-1"));
        QCOMPARE(executions.first().source, EventSource::Sse);
        QCOMPARE(seen.responsesTo("tap-once-1"), 1);
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        BreadcrumbListQuery query;
        query.schemaName = QStringLiteral("tool.response.v1");
        query.tag = QStringLiteral("request:tap-once-1");
        QSignalSpy listed(rest.listBreadcrumbs(query), &RestCall::finished);
        QVERIFY(listed.wait(5000));
        QCOMPARE(QJsonDocument::fromJson(listed.first().first().value<RestResult>().body).array().size(), 1);

        // The recorder's tap saw the local copy too.
        {
            QMutexLocker lock(&tapLog->mutex);
            const bool tapSawLocal = std::any_of(tapLog->events.cbegin(), tapLog->events.cend(), [&](const StreamEvent &e) {
                return e.source == EventSource::Local && e.raw.contains(response.envelope.breadcrumbId);
            });
            QVERIFY(tapSawLocal);
        }

        QSignalSpy disabled(&engine, &IngestEngine::runnerEnabledChanged);
        engine.setRunnerEnabled(false);
        QVERIFY(disabled.wait(5000));
        QCOMPARE(disabled.first().first().toBool(), false);
        QTRY_COMPARE_WITH_TIMEOUT(stats.done, qint64(0), 5000); // a stopped runner reports zeros
    }

    void invokeReportsResultAndTimeline()
    {
        test::SimProcess sim; // SSE copies late, so the local bus is first for sure
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet"), QStringLiteral("--delay-ms"),
                            QStringLiteral("300")}),
                 qPrintable(sim.error()));
        IngestEngine engine;
        engine.setRunnerEnabled(true);
        engine.connectTo(settingsFor(sim));
        QVERIFY(waitOpen(engine));

        QList<InvocationSnapshot> updates;
        connect(&engine, &IngestEngine::invocationUpdated, this,
                [&](quint64, const InvocationSnapshot &s) { updates += s; });
        const quint64 id = engine.invoke(QStringLiteral("calculator"),
                                         QJsonObject{{QStringLiteral("expression"), QStringLiteral("2+3*4")}});
        QTRY_VERIFY_WITH_TIMEOUT(!updates.isEmpty() && updates.last().isFinished(), 10000);
        for (const InvocationSnapshot &s : std::as_const(updates))
            QCOMPARE(s.id, id);
        const InvocationSnapshot done = updates.last();
        QCOMPARE(done.status, ToolInvocation::Status::Success);
        QCOMPARE(done.tool, QStringLiteral("calculator"));
        QVERIFY(done.requestId.startsWith(QStringLiteral("console-")));
        const QJsonObject output = done.response.value(QStringLiteral("context")).toObject().value(QStringLiteral("output")).toObject();
        QCOMPARE(output.value(QStringLiteral("result")).toDouble(), 14.0);
        const InvocationTimeline &t = done.timeline;
        QVERIFY(t.sentNs > 0);
        QVERIFY(t.ackNs >= t.sentNs);
        QVERIFY(t.requestLocalNs >= t.sentNs);
        QVERIFY(t.responseLocalNs >= t.requestLocalNs);
        QCOMPARE(t.requestSseNs, 0);
        QCOMPARE(t.responseSseNs, 0);
        // The SSE copies come later and still reach the snapshot.
        QTRY_VERIFY_WITH_TIMEOUT(updates.last().timeline.responseSseNs > 0 && updates.last().timeline.requestSseNs > 0, 10000);
        QCOMPARE(updates.last().timeline.responseLocalNs, t.responseLocalNs);
    }

    void invokeWithoutConnectionSaysSo()
    {
        IngestEngine engine;
        QSignalSpy updates(&engine, &IngestEngine::invocationUpdated);
        const quint64 id = engine.invoke(QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("x")}});
        QVERIFY(updates.wait(5000));
        QCOMPARE(updates.first().at(0).value<quint64>(), id);
        const auto s = updates.first().at(1).value<InvocationSnapshot>();
        QVERIFY(s.isFinished());
        QCOMPARE(s.status, ToolInvocation::Status::WriteFailed);
        QVERIFY2(s.error.contains(QStringLiteral("connect")), qPrintable(s.error));
        QCOMPARE(s.tool, QStringLiteral("echo"));
    }

    void unansweredCallsTimeOutOrEndWithTheConnection()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        IngestEngine engine; // no runner anywhere: nobody answers
        engine.connectTo(settingsFor(sim));
        QVERIFY(waitOpen(engine));
        QHash<quint64, InvocationSnapshot> last;
        connect(&engine, &IngestEngine::invocationUpdated, this,
                [&](quint64 id, const InvocationSnapshot &s) { last[id] = s; });

        const quint64 quick = engine.invoke(QStringLiteral("echo"), QJsonObject{}, QStringLiteral("workspace:tools"), 300);
        QTRY_VERIFY_WITH_TIMEOUT(last.value(quick).isFinished(), 10000);
        QCOMPARE(last.value(quick).status, ToolInvocation::Status::Timeout);
        QVERIFY(!last.value(quick).requestBreadcrumbId.isEmpty()); // it was written

        const quint64 waiting = engine.invoke(QStringLiteral("echo"), QJsonObject{});
        QTRY_COMPARE_WITH_TIMEOUT(last.value(waiting).status, ToolInvocation::Status::Waiting, 10000);
        QSignalSpy live(&engine, &IngestEngine::liveChanged);
        engine.disconnectFromServer();
        QTRY_VERIFY_WITH_TIMEOUT(last.value(waiting).isFinished(), 5000);
        QVERIFY(last.value(waiting).cancelled);
        QTRY_VERIFY_WITH_TIMEOUT(!live.isEmpty(), 5000);
        QCOMPARE(live.last().first().toBool(), false);
        QVERIFY(!engine.isLive());
    }
};

QTEST_MAIN(TestIngestEngineRunner)
#include "tst_ingestengine_runner.moc"
