// Hostile servers seen through whole programs (issue 8 item 2): rcrt-tap's stderr against
// rcrt-sim's fault flags, and the IngestEngine's connection log against a raw server that
// refuses, lies about its encoding and resets mid-frame before it behaves.
#include "app/ingestengine.h"
#include "support/hostileserver.h"
#include "support/simprocess.h"

#include <QSignalSpy>
#include <QTest>

using rcrt::test::HostileConnection;
using rcrt::test::HostileServer;
using rcrt::test::SimProcess;
using rcrt::test::runTap;

class TstHostileTap : public QObject
{
    Q_OBJECT

private slots:
    void tapShowsTheServersFault_data()
    {
        QTest::addColumn<QStringList>("simArgs");
        QTest::addColumn<QByteArray>("expectedErr");
        QTest::addColumn<bool>("eventsFlow");
        QTest::newRow("503") << QStringList{QStringLiteral("--stream-status"), QStringLiteral("503")}
                             << QByteArray("HTTP 503") << false;
        QTest::newRow("content type")
            << QStringList{QStringLiteral("--stream-content-type"), QStringLiteral("text/html")}
            << QByteArray("unexpected content type text/html") << false;
        QTest::newRow("garbage") << QStringList{QStringLiteral("--garbage-every"), QStringLiteral("3")}
                                 << QByteArray("rejected payload") << true;
    }
    void tapShowsTheServersFault()
    {
        QFETCH(QStringList, simArgs);
        QFETCH(QByteArray, expectedErr);
        QFETCH(bool, eventsFlow);
        SimProcess sim;
        QVERIFY2(sim.start(simArgs + QStringList{QStringLiteral("--workload"), QStringLiteral("load"),
                                                 QStringLiteral("--rate"), QStringLiteral("50"),
                                                 QStringLiteral("--split-frames")}),
                 qPrintable(sim.error()));
        const auto tail = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("tail"),
                                  QStringLiteral("--duration"), QStringLiteral("2")});
        QCOMPARE(tail.exitCode, 0);
        QVERIFY2(tail.err.contains(expectedErr), tail.err.constData());
        QCOMPARE(!tail.out.isEmpty(), eventsFlow);
    }

    void engineLogsEachFaultAndRecovers()
    {
        HostileServer server([](HostileConnection &c) {
            switch (c.index()) {
            case 0:
                return c.sendAnswer("503 Service Unavailable", "text/plain", "maintenance");
            case 1:
                c.sendStreamHead("text/event-stream", {"Content-Encoding: gzip"});
                return c.send("\x1f\x8b\x08\x00garbage");
            case 2: {
                c.sendStreamHead();
                c.send("data: {\"type\":\"breadcrumb.upd");
                QPointer<HostileConnection> self(&c);
                QTimer::singleShot(100, self, [self] { self->reset(); });
                return;
            }
            default:
                return c.behave();
            }
        });
        QVERIFY(server.listen());
        rcrt::IngestEngine engine;
        QStringList log;
        connect(&engine, &rcrt::IngestEngine::logMessage, this, [&](const QString &m) { log += m; });
        int records = 0;
        connect(&engine, &rcrt::IngestEngine::batchReady, this,
                [&](const rcrt::EventBatch &batch) { records += int(batch.records.size()); });
        rcrt::ConnectionSettings settings;
        settings.url = server.url();
        settings.initialHistory = 0;
        engine.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(records >= 3, 20000);
        const QString all = log.join(u'\n');
        QVERIFY2(all.contains(QStringLiteral("HTTP 503: maintenance")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("Content-Encoding: gzip")), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("in the middle of an event")), qPrintable(all));
        engine.disconnectFromServer();
    }
};

QTEST_GUILESS_MAIN(TstHostileTap)
#include "tst_hostile_tap.moc"
