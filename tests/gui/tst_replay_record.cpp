// Recording from the console (issue 5 item 1) and the round trip: the main window records a
// live rcrt-sim connection through File > Record's path, the file reads back with the same
// deliveries the events view showed, and replaying it as fast as possible shows the same
// events, in the same order, with the same arrival times.

#include "app/replayengine.h"
#include "app/session/sessionreader.h"
#include "net/restclient.h"
#include "support/simprocess.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/inspector/inspectorview.h"
#include "ui/mainwindow.h"
#include "ui/replay/recordingcontroller.h"
#include "ui/replay/replayfeeder.h"

#include <QFile>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

class TestReplayRecord : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("RCRT_NO_KEYCHAIN", "1");
    }

    void recordThenReplayTheSameEvents()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.rcrtsession"));

        QList<EventRecord> live;
        {
            ui::MainWindow window;
            window.show();
            QVERIFY(!window.startRecording(path)); // not connected: nothing to record
            ConnectionSettings settings;
            settings.url = sim.url();
            settings.url.setUserName(QStringLiteral("alice"));
            settings.url.setPassword(QStringLiteral("s3cret-password"));
            window.connectTo(settings);
            QVERIFY(window.startRecording(path));
            QVERIFY(window.isRecording());
            for (int i = 0; i < 5; ++i) {
                QSignalSpy done(rest.createBreadcrumb(QStringLiteral(R"({"title":"r%1","context":{"i":%1},"tags":["rec:test"],"schema_name":"rec.test.v1"})")
                                                          .arg(i)
                                                          .toUtf8()),
                                &RestCall::finished);
                QVERIFY(done.wait(5000));
            }
            const ui::EventsModel *model = window.eventsView()->model();
            const auto recorded = [model] {
                int n = 0;
                for (int r = 0; r < model->rowCount(); ++r)
                    n += model->recordAt(r).envelope.schemaName == "rec.test.v1";
                return n;
            };
            QTRY_COMPARE_WITH_TIMEOUT(recorded(), 5, 10000);
            // The inspector's /full answers are recorded too.
            window.inspector()->showRecord(model->recordAt(model->rowCount() - 1));
            QSignalSpy full(window.inspector(), &ui::InspectorView::fullFetched);
            QVERIFY(full.wait(10000));
            QTRY_VERIFY_WITH_TIMEOUT(window.recording()->eventCount() >= 5, 5000);
            QTRY_VERIFY_WITH_TIMEOUT(window.sessionStatusLabel()->text().contains(QStringLiteral("REC")), 5000);
            for (int r = 0; r < model->rowCount(); ++r)
                live.append(model->recordAt(r));
            window.stopRecording(); // the tap hands the /full detail over as it closes
            QVERIFY(!window.isRecording());
        }

        QString error;
        const std::unique_ptr<SessionReader> reader = SessionReader::open(path, &error);
        QVERIFY2(reader, qPrintable(error));
        QVERIFY2(reader->problems().isEmpty(), qPrintable(reader->problems().join(QStringLiteral("; "))));
        QVERIFY(!reader->header().serverUrl.contains(QStringLiteral("s3cret")));
        QVERIFY(reader->header().serverUrl.contains(QString::number(sim.url().port())));
        bool startLogged = false;
        for (const SessionLogEntry &e : reader->log())
            startLogged = startLogged || e.text.contains(QStringLiteral("recording started"));
        QVERIFY(startLogged);
        QFile bytes(path);
        QVERIFY(bytes.open(QIODevice::ReadOnly));
        QVERIFY(!bytes.readAll().contains("s3cret-password"));

        // Replay: every record the live view showed, same order, same arrival time.
        ui::MainWindow window;
        QSignalSpy loaded(window.replayEngine(), &ReplayEngine::loaded);
        QVERIFY(window.openSession(path));
        QVERIFY(loaded.wait(10000));
        window.replayEngine()->setSpeed(0);
        window.replayEngine()->play();
        QTRY_COMPARE_WITH_TIMEOUT(window.replayEngine()->cursor(), window.replayEngine()->eventCount(), 10000);
        const ui::EventsModel *model = window.eventsView()->model();
        QList<EventRecord> replayed;
        for (int r = 0; r < model->rowCount(); ++r)
            replayed.append(model->recordAt(r));
        // Recording started after the connection: compare what both saw, from the first
        // recorded record on.
        QVERIFY(!replayed.isEmpty());
        qsizetype offset = 0;
        while (offset < live.size() && live[offset].raw != replayed.first().raw)
            ++offset;
        QVERIFY(offset < live.size());
        QCOMPARE(replayed.size(), live.size() - offset);
        for (qsizetype i = 0; i < replayed.size(); ++i) {
            QCOMPARE(replayed[i].raw, live[offset + i].raw);
            QCOMPARE(replayed[i].first.arrivalNs, live[offset + i].first.arrivalNs);
            QCOMPARE(replayed[i].first.source, EventSource::Replay);
        }
        QVERIFY(!window.replayEngine()->info().details.isEmpty());
    }
};

QTEST_MAIN(TestReplayRecord)
#include "tst_replay_record.moc"
