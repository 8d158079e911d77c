// The GUI's ingest path: LiveSource + EventStore on a worker thread, batches to the caller's
// thread, against rcrt-sim over loopback.

#include "app/ingestengine.h"
#include "net/restclient.h"
#include "support/simprocess.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;

class TestIngestEngine : public QObject
{
    Q_OBJECT

    static QByteArray createBody(int i)
    {
        return QStringLiteral(R"({"title":"t%1","context":{"i":%1},"tags":["engine:test"],"schema_name":"engine.test.v1"})")
            .arg(i)
            .toUtf8();
    }

private slots:
    void batchesArriveOnTheOwnerThreadWithHistoryFirst()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        for (int i = 0; i < 3; ++i) {
            QSignalSpy done(rest.createBreadcrumb(createBody(i)), &RestCall::finished);
            QVERIFY(done.wait(5000));
        }

        IngestEngine engine;
        QList<EventRecord> records;
        bool onOwnerThread = true;
        connect(&engine, &IngestEngine::batchReady, this, [&](const EventBatch &batch) {
            onOwnerThread = onOwnerThread && QThread::currentThread() == thread();
            for (const EventRecord &r : batch.records)
                if (r.envelope.schemaName == "engine.test.v1")
                    records += r;
        });
        QSignalSpy states(&engine, &IngestEngine::stateChanged);
        ConnectionSettings settings;
        settings.url = sim.url();
        settings.initialHistory = 100;
        engine.connectTo(settings);

        QTRY_COMPARE_WITH_TIMEOUT(records.size(), 3, 10000); // history, by backfill
        for (const EventRecord &r : records)
            QCOMPARE(r.first.source, EventSource::Backfill);
        QSignalSpy created(rest.createBreadcrumb(createBody(99)), &RestCall::finished);
        QVERIFY(created.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(records.size(), 4, 10000); // live, by SSE
        QCOMPARE(records.last().first.source, EventSource::Sse);
        QVERIFY(onOwnerThread);
        QVERIFY(!states.isEmpty());
        QCOMPARE(states.last().first().value<SseClient::State>(), SseClient::State::Open);
    }

    void mintFailureIsReported()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}), qPrintable(sim.error()));
        IngestEngine engine;
        QSignalSpy failed(&engine, &IngestEngine::connectFailed);
        ConnectionSettings settings;
        settings.url = sim.url();
        settings.auth = ConnectionSettings::Auth::Mint;
        settings.ownerId = QStringLiteral("not-a-uuid");
        settings.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000cc");
        engine.connectTo(settings);
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("400")),
                 qPrintable(failed.first().first().toString()));
    }

    void reconnectingToAnotherServerSwitches()
    {
        test::SimProcess a, b;
        QVERIFY2(a.start(), qPrintable(a.error()));
        QVERIFY2(b.start(), qPrintable(b.error()));
        IngestEngine engine;
        QSignalSpy states(&engine, &IngestEngine::stateChanged);
        ConnectionSettings settings;
        settings.url = a.url();
        engine.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(!states.isEmpty() && states.last().first().value<SseClient::State>() == SseClient::State::Open, 10000);
        a.stop();
        settings.url = b.url();
        engine.connectTo(settings);
        QNetworkAccessManager nam;
        RestClient rest(&nam, b.url(), nullptr);
        QList<EventRecord> records;
        connect(&engine, &IngestEngine::batchReady, this, [&](const EventBatch &batch) {
            for (const EventRecord &r : batch.records)
                if (r.envelope.schemaName == "engine.test.v1")
                    records += r;
        });
        QTest::qWait(500);
        QSignalSpy created(rest.createBreadcrumb(createBody(1)), &RestCall::finished);
        QVERIFY(created.wait(5000));
        QTRY_COMPARE_WITH_TIMEOUT(records.size(), 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestIngestEngine)
#include "tst_ingestengine.moc"
