// The recording hook of the live path: an IngestTap installed on the IngestEngine sees every
// delivery (before the store) and every log line, on the ingest thread, against rcrt-sim.

#include "app/ingestengine.h"
#include "app/ingestworker.h"
#include "net/restclient.h"
#include "support/simprocess.h"

#include <QMutex>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;

namespace {
struct Seen
{
    QMutex mutex;
    QList<StreamEvent> events;
    QStringList logs;
    bool onIngestThread = true;
    bool destroyed = false;
};

class CollectingTap final : public IngestTap
{
public:
    explicit CollectingTap(std::shared_ptr<Seen> seen) : m_seen(std::move(seen)) {}
    ~CollectingTap() override
    {
        QMutexLocker lock(&m_seen->mutex);
        m_seen->destroyed = true;
    }
    void onEvents(const QList<StreamEvent> &events) override
    {
        QMutexLocker lock(&m_seen->mutex);
        m_seen->onIngestThread = m_seen->onIngestThread && QThread::currentThread()->objectName() == QLatin1String("rcrt-ingest");
        m_seen->events += events;
    }
    void onLog(const QString &line) override
    {
        QMutexLocker lock(&m_seen->mutex);
        m_seen->logs += line;
    }

private:
    std::shared_ptr<Seen> m_seen;
};
} // namespace

class TestReplayEngineTap : public QObject
{
    Q_OBJECT

private slots:
    void tapSeesEveryDeliveryAndLogLine()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);

        auto seen = std::make_shared<Seen>();
        IngestEngine engine;
        engine.setTap([seen] { return std::make_unique<CollectingTap>(seen); });
        QList<EventRecord> records;
        connect(&engine, &IngestEngine::batchReady, this,
                [&](const EventBatch &batch) { records += batch.records; });
        ConnectionSettings settings;
        settings.url = sim.url();
        engine.connectTo(settings);
        QSignalSpy states(&engine, &IngestEngine::stateChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty() && states.last().first().value<SseClient::State>() == SseClient::State::Open, 10000);

        for (int i = 0; i < 3; ++i) {
            QSignalSpy done(rest.createBreadcrumb(QStringLiteral(R"({"title":"t%1","context":{"i":%1},"tags":["tap:test"],"schema_name":"tap.test.v1"})").arg(i).toUtf8()),
                            &RestCall::finished);
            QVERIFY(done.wait(5000));
        }
        QTRY_COMPARE_WITH_TIMEOUT(records.size(), 3, 10000);

        {
            QMutexLocker lock(&seen->mutex);
            QList<QByteArray> tapped;
            for (const StreamEvent &e : std::as_const(seen->events))
                if (e.raw.contains("tap.test.v1"))
                    tapped += e.raw;
            QCOMPARE(tapped.size(), 3);
            for (int i = 0; i < 3; ++i)
                QCOMPARE(tapped[i], records[i].raw); // the same bytes, in the same order
            QVERIFY(seen->onIngestThread);
            QVERIFY2(seen->logs.join(QLatin1Char(0x0a)).contains(QStringLiteral("connected")), qPrintable(seen->logs.join(QLatin1Char(0x0a))));
        }

        engine.setTap({}); // removed: destroyed on the ingest thread, sees nothing more
        QTRY_VERIFY_WITH_TIMEOUT([&] { QMutexLocker lock(&seen->mutex); return seen->destroyed; }(), 5000);
        const qsizetype before = [&] { QMutexLocker lock(&seen->mutex); return seen->events.size(); }();
        QSignalSpy done(rest.createBreadcrumb(QByteArrayLiteral(R"({"title":"late","context":{},"tags":["tap:test"],"schema_name":"tap.test.v1"})")),
                        &RestCall::finished);
        QVERIFY(done.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(records.size(), 4, 10000);
        QMutexLocker lock(&seen->mutex);
        QCOMPARE(seen->events.size(), before);
    }
};

QTEST_GUILESS_MAIN(TestReplayEngineTap)
#include "tst_replayengine_tap.moc"
