// A replay shows what the live console showed (issues 5 and 6): the Diagnosis panel follows the
// replay cursor (every delivery up to it, the probes recorded by its time, evaluated at that
// time), and the inspector shows the `/full` details the session recorded. Sessions are written
// with SessionWriter from synthetic traffic with known arrival times and opened in the real
// window, offscreen.

#include "app/doctor.h"
#include "app/ingestengine.h" // DiagnosisView holds a QPointer<IngestEngine>
#include "app/probe.h"
#include "app/replayengine.h"
#include "app/session/sessionwriter.h"
#include "tests/support/simprocess.h"
#include "tests/unit/tst_diagnosis_rig.h"
#include "ui/diagnosis/diagnosisview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/inspector/inspectorview.h"
#include "ui/inspector/metadatapanel.h"
#include "ui/mainwindow.h"
#include "ui/replay/replaydoctorfeeder.h"
#include "ui/replay/replayfeeder.h"

#include <QDateTime>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace rcrt;
using namespace rcrt::test;

namespace {

struct SessionContent
{
    QList<StreamEvent> events;
    QList<SessionDetail> details;
    QList<QPair<qint64, QByteArray>> probes;
};

bool writeSession(const QString &path, const SessionContent &content, QString *error)
{
    SessionHeader header;
    header.appVersion = QStringLiteral("test");
    header.startNs = kDiagBaseNs;
    std::unique_ptr<SessionWriter> writer = SessionWriter::create(path, header, error);
    if (!writer)
        return false;
    writer->appendEvents(content.events);
    for (const SessionDetail &d : content.details)
        writer->appendDetail(d);
    for (const auto &[atNs, json] : content.probes)
        writer->appendProbe(atNs, json);
    return writer->close(error);
}

bool openAndLoad(ui::MainWindow &window, const QString &path)
{
    QSignalSpy loaded(window.replayEngine(), &ReplayEngine::loaded);
    return window.openSession(path) && loaded.wait(20000);
}

// Every finding id `rcrt-tap diagnose FILE` reports for the whole session.
QStringList cliFindingIds(const QString &path)
{
    const TapResult r = runTap({QStringLiteral("--json"), QStringLiteral("diagnose"), path});
    QStringList ids;
    for (const QJsonValue &f : QJsonDocument::fromJson(r.out).object().value(QStringLiteral("findings")).toArray())
        ids.append(f.toObject().value(QStringLiteral("id")).toString());
    return ids;
}

QStringList doctorIds(const ui::MainWindow &window)
{
    return findingIds(window.doctor()->findings());
}

// The first column of the Diagnosis tab's top-level rows ("healthy" when there is no finding).
QStringList panelRows(const ui::MainWindow &window)
{
    QStringList rows;
    const QTreeWidget *tree = window.diagnosisView()->tree();
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        rows.append(tree->topLevelItem(i)->text(0));
    return rows;
}

bool settled(const ui::MainWindow &window)
{
    return window.replayFeeder()->isCaughtUp() && window.replayDoctorFeeder()->isCaughtUp();
}

qint64 pingsBefore(const QList<StreamEvent> &events, qint64 cursor)
{
    return std::count_if(events.begin(), events.begin() + cursor, [](const StreamEvent &e) { return e.raw.contains("\"ping\""); });
}

// Selects the newest row of `id` in the events table, as a click would.
bool selectId(ui::MainWindow &window, const QByteArray &id)
{
    const ui::EventsModel *model = window.eventsView()->model();
    const QList<int> rows = model->rowsForId(id);
    auto *proxy = qobject_cast<QSortFilterProxyModel *>(window.eventsView()->table()->model());
    if (rows.isEmpty() || !proxy)
        return false;
    window.eventsView()->table()->setCurrentIndex(proxy->mapFromSource(model->index(rows.last(), 0)));
    return window.inspector()->record().envelope.breadcrumbId == id;
}

QByteArray fullJson(const QByteArray &id, const QString &title)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("id"), QString::fromLatin1(id)},
                                     {QStringLiteral("title"), title},
                                     {QStringLiteral("version"), 1},
                                     {QStringLiteral("schema_name"), QStringLiteral("note.v1")},
                                     {QStringLiteral("created_by"), QStringLiteral("agent-7")},
                                     {QStringLiteral("context"), QJsonObject{{QStringLiteral("n"), 1}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class TestReplayViews : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("RCRT_NO_KEYCHAIN", "1");
        QVERIFY(m_dir.isValid());
    }

    // The seed's incident from a recording: at the end the panel says what `rcrt-tap diagnose
    // FILE` says (buffering); at the start nothing was delivered, so nothing is found.
    void diagnosisFollowsTheCursor()
    {
        SessionContent content;
        content.events = deliver(demoTraffic(10 * 60 * kDiagS), bufferedDelivery(60 * kDiagS, 23 * kDiagS));
        const QString path = m_dir.filePath(QStringLiteral("buffered60.rcrtsession"));
        QString error;
        QVERIFY2(writeSession(path, content, &error), qPrintable(error));
        const QStringList expected = cliFindingIds(path);
        QVERIFY2(expected.contains(QStringLiteral("buffering")), qPrintable(expected.join(u',')));

        ui::MainWindow window;
        window.show();
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        Doctor *doctor = window.doctor();
        QCOMPARE(doctor->mode(), Doctor::Mode::Replay);
        QVERIFY2(!window.diagnosisView()->probeButton()->isEnabled(), "no server to probe in a replay");

        engine->setSpeed(0);
        engine->play();
        QTRY_COMPARE_WITH_TIMEOUT(engine->cursor(), engine->eventCount(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(settled(window), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(doctorIds(window), expected, 10000);
        QVERIFY2(panelRows(window).contains(QStringLiteral("buffering")), qPrintable(panelRows(window).join(u',')));
        QCOMPARE(doctor->analysisTimeNs(), engine->cursorTimeNs());
        QCOMPARE(doctor->stats().pingCount(), pingsBefore(content.events, engine->eventCount()));

        // Back to the start: nothing delivered, no finding, and none comes later (the doctor's
        // own timer would evaluate an empty stream as dead).
        engine->seekToStart();
        QTRY_VERIFY_WITH_TIMEOUT(settled(window), 10000);
        QTRY_VERIFY(doctor->findings().isEmpty());
        QCOMPARE(doctor->stats().pingCount(), 0);
        QCOMPARE(panelRows(window), QStringList{QStringLiteral("healthy")});
        QTest::qWait(ui::MainWindow::kDiagnosisRefreshMs + 300);
        QVERIFY2(doctor->findings().isEmpty(), qPrintable(doctorIds(window).join(u',')));

        // The middle: fed exactly the deliveries before the cursor, evaluated at its time.
        const qint64 middle = engine->eventCount() / 2;
        engine->seek(middle);
        QTRY_VERIFY_WITH_TIMEOUT(settled(window), 10000);
        QCOMPARE(window.replayDoctorFeeder()->fedCursor(), middle);
        QCOMPARE(doctor->stats().pingCount(), pingsBefore(content.events, middle));
        QCOMPARE(doctor->analysisTimeNs(), content.events[middle - 1].arrivalNs);

        // And the end again: buffering again.
        engine->seekToEnd();
        QTRY_COMPARE_WITH_TIMEOUT(doctorIds(window), expected, 10000);
        QVERIFY(panelRows(window).contains(QStringLiteral("buffering")));

        // Leaving the replay gives the doctor back to live use: cleared, on the console clock.
        window.leaveReplay();
        QCOMPARE(doctor->mode(), Doctor::Mode::Live);
        QVERIFY(doctor->findings().isEmpty());
        QVERIFY(doctor->analysisTimeNs() >= (QDateTime::currentMSecsSinceEpoch() - 60'000) * 1'000'000);
    }

    // Probe results count from the time they were recorded; an unreadable one is said, skipped.
    void recordedProbesCountByTheirTime()
    {
        // Events stop after 20 s while pings go on; a probe acknowledged at 25 s never arrived.
        SessionContent content;
        QList<ServerWrite> writes = demoTraffic(60 * kDiagS);
        writes.erase(std::remove_if(writes.begin(), writes.end(),
                                    [](const ServerWrite &w) { return !w.isPing() && w.serverNs > kDiagBaseNs + 20 * kDiagS; }),
                     writes.end());
        content.events = deliver(writes, healthyDelivery());
        ProbeOutcome lost;
        lost.probeId = "p1";
        lost.breadcrumbId = "11111111-0000-4000-8000-000000000001";
        lost.sentNs = kDiagBaseNs + 25 * kDiagS;
        lost.ackNs = lost.sentNs + 2 * kDiagMs;
        content.probes = {{lost.ackNs, lost.toJson()}, {lost.ackNs, "{not json"}};
        const QString path = m_dir.filePath(QStringLiteral("stalled.rcrtsession"));
        QString error;
        QVERIFY2(writeSession(path, content, &error), qPrintable(error));
        const QStringList expected = cliFindingIds(path);
        QVERIFY2(expected.contains(QStringLiteral("stalled-stream")), qPrintable(expected.join(u',')));

        ui::MainWindow window;
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        QCOMPARE(engine->info().probes.size(), 1);
        QVERIFY2(engine->info().problems.join(u'\n').contains(QStringLiteral("probe result 2 of 2 is not readable")),
                 qPrintable(engine->info().problems.join(u'\n')));
        QVERIFY(window.messageText().contains(QStringLiteral("probe result 2 of 2")));

        // Before the probe was recorded: not counted.
        engine->seekToTime(lost.ackNs - kDiagS);
        QTRY_VERIFY_WITH_TIMEOUT(settled(window), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.doctor()->stats().pings().empty(), 10000);
        QVERIFY(window.doctor()->probes().isEmpty());
        QVERIFY(!doctorIds(window).contains(QStringLiteral("stalled-stream")));

        engine->seekToEnd();
        QTRY_COMPARE_WITH_TIMEOUT(doctorIds(window), expected, 10000);
        QCOMPARE(window.doctor()->probes().size(), 1);
        QCOMPARE(window.doctor()->probes().first().probeId, QByteArray("p1"));
    }

    // A move back starts the doctor over, fed in bounded chunks per event-loop turn.
    void backwardSeekCatchesUpInChunks()
    {
        constexpr qint64 kChunk = ui::ReplayDoctorFeeder::kChunk;
        const qint64 count = 2 * kChunk + 5'000;
        SessionContent content;
        for (qint64 i = 0; i < count; ++i) {
            const qint64 at = kDiagBaseNs + i * kDiagMs;
            content.events.append(StreamEvent{at + 3 * kDiagMs, EventSource::Sse,
                                              i % 500 == 0 ? pingPayload(at)
                                                           : breadcrumbPayload(diagUuid(quint32(i)), 1, {QStringLiteral("note")},
                                                                               QStringLiteral("note.v1"), at, QJsonObject{})});
        }
        const QString path = m_dir.filePath(QStringLiteral("chunks.rcrtsession"));
        QString error;
        QVERIFY2(writeSession(path, content, &error), qPrintable(error));

        ui::MainWindow window;
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        ui::ReplayDoctorFeeder *feeder = window.replayDoctorFeeder();
        QSignalSpy fed(feeder, &ui::ReplayDoctorFeeder::fed);
        const auto chunksUpTo = [&fed](qint64 cursor) {
            // Each turn feeds at most kChunk deliveries more, up to the cursor.
            qint64 at = 0;
            for (const QList<QVariant> &args : std::as_const(fed)) {
                const qint64 to = args.at(0).toLongLong();
                if (to <= at || to - at > kChunk)
                    return false;
                at = to;
            }
            return at == cursor && fed.size() >= 2;
        };
        engine->seekToEnd();
        QCOMPARE(feeder->fedCursor(), 0); // nothing during the seek itself: the next turns, after the views
        QVERIFY(!feeder->isCaughtUp());
        QTRY_VERIFY_WITH_TIMEOUT(feeder->isCaughtUp(), 20000);
        QVERIFY(chunksUpTo(count));
        QCOMPARE(window.doctor()->stats().pingCount(), pingsBefore(content.events, count));

        fed.clear();
        engine->stepBack(); // the doctor starts over, cleared on the next turn
        QCOMPARE(feeder->fedCursor(), 0);
        QVERIFY(!feeder->isCaughtUp());
        QTRY_VERIFY_WITH_TIMEOUT(feeder->isCaughtUp(), 20000);
        QVERIFY(chunksUpTo(count - 1));
        QCOMPARE(window.doctor()->stats().eventCount(), count - 1 - pingsBefore(content.events, count - 1));
        QTRY_VERIFY_WITH_TIMEOUT(window.replayFeeder()->isCaughtUp(), 20000);
    }

    // The inspector's Details tab shows the `/full` the session recorded, as of the cursor.
    void inspectorShowsRecordedDetails()
    {
        SessionContent content;
        const auto arrival = [](int i) { return kDiagBaseNs + qint64(i) * kDiagS; };
        for (int i = 0; i < 10; ++i)
            content.events.append(StreamEvent{arrival(i), EventSource::Sse,
                                              breadcrumbPayload(diagUuid(quint32(i)), 1, {QStringLiteral("note")},
                                                                QStringLiteral("note.v1"), arrival(i) - 5 * kDiagMs,
                                                                QJsonObject{{QStringLiteral("n"), i}})});
        const QByteArray two = diagUuid(2), three = diagUuid(3), four = diagUuid(4), six = diagUuid(6);
        content.details = {
            {arrival(5) + kDiagS / 2, two, 1, fullJson(two, QStringLiteral("First look"))},
            {arrival(8) + kDiagS / 2, two, 1, fullJson(two, QStringLiteral("Second look"))},
            {arrival(5), four, 1, "{broken"},
            {arrival(9) + 30 * kDiagS, six, 1, fullJson(six, QStringLiteral("Looked at after the last delivery"))},
        };
        const QString path = m_dir.filePath(QStringLiteral("details.rcrtsession"));
        QString error;
        QVERIFY2(writeSession(path, content, &error), qPrintable(error));

        ui::MainWindow window;
        window.show();
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        const ui::InspectorView *inspector = window.inspector();
        const ui::MetadataPanel *details = inspector->metadataPanel();
        const QLatin1String title("title");

        engine->seekToEnd();
        QVERIFY(selectId(window, two));
        QCOMPARE(details->fieldText(title), QStringLiteral("Second look"));
        QCOMPARE(details->fieldText(QLatin1String("created_by")), QStringLiteral("agent-7"));
        QVERIFY2(details->statusText().contains(QStringLiteral("Recorded /full")), qPrintable(details->statusText()));

        // The Details tab follows the cursor: the newest detail recorded by its time.
        engine->seek(8); // deliveries 0..7: the first look only
        QCOMPARE(inspector->record().envelope.breadcrumbId, two);
        QCOMPARE(details->fieldText(title), QStringLiteral("First look"));
        engine->seek(5); // before any look at it
        QVERIFY2(details->statusText().contains(QStringLiteral("Not fetched while recording")), qPrintable(details->statusText()));
        QCOMPARE(details->fieldText(title), QStringLiteral("\u2014"));
        QCOMPARE(details->fieldText(QLatin1String("version")), QStringLiteral("1")); // what the event carries

        engine->seekToEnd();
        QCOMPARE(details->fieldText(title), QStringLiteral("Second look"));
        // Never looked at while recording.
        QVERIFY(selectId(window, three));
        QVERIFY2(details->statusText().contains(QStringLiteral("Not fetched while recording")), qPrintable(details->statusText()));
        QCOMPARE(details->fieldText(title), QStringLiteral("\u2014"));
        // A recorded answer that is not JSON: said, and the event's own fields stay.
        QVERIFY(selectId(window, four));
        QVERIFY2(details->statusText().contains(QStringLiteral("not a JSON object")), qPrintable(details->statusText()));
        QCOMPARE(details->fieldText(QLatin1String("version")), QStringLiteral("1"));
        // At the end, what was fetched after the last delivery counts too.
        QVERIFY(selectId(window, six));
        QCOMPARE(details->fieldText(title), QStringLiteral("Looked at after the last delivery"));
        engine->seek(9);
        QVERIFY(details->statusText().contains(QStringLiteral("Not fetched while recording")));

        // Live again: no recorded details any more.
        window.leaveReplay();
        QVERIFY(!inspector->hasRecord());
    }
};

QTEST_MAIN(TestReplayViews)
#include "tst_replay_views.moc"
