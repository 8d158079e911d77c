// Replay in the main window (issue 5 item 2): a session written by SessionWriter, with known
// arrival times, opened in the real window offscreen; play as fast as possible, seek back and
// forth, corrupt and newer-format files, drag and drop.

#include "app/replayengine.h"
#include "app/session/sessionwriter.h"
#include "model/flowtracker.h"
#include "ui/charts/latencychartsview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/flows/flowsview.h"
#include "ui/flows/flowtreemodel.h"
#include "ui/mainwindow.h"
#include "ui/pending/pendingmodel.h"
#include "ui/pending/pendingview.h"
#include "ui/replay/replaybar.h"
#include "ui/replay/replayfeeder.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimeZone>
#include <QToolButton>
#include <QLabel>
#include <QSlider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

namespace {

constexpr qint64 kSec = 1'000'000'000;
constexpr qint64 kT0 = 1'700'000'000 * kSec; // recorded arrival of the first delivery

QByteArray isoTime(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"))
        .toUtf8();
}

QByteArray crumb(const QByteArray &id, int version, const QByteArray &schema, qint64 updatedNs,
                 const QByteArray &tags, const QByteArray &context)
{
    return "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\"00000000-0000-0000-0000-0000000000aa\",\"version\":"
        + QByteArray::number(version) + ",\"tags\":[" + tags + "],\"schema_name\":\"" + schema + "\",\"updated_at\":\""
        + isoTime(updatedNs) + "\",\"context\":" + context + "}";
}

QByteArray uuid(int n)
{
    return QByteArray("00000000-0000-4000-8000-") + QByteArray::number(n).rightJustified(12, '0');
}

// The session: 40 notes, a tool request at +10 s answered at +20 s (arrival), a repeat
// delivery of note 3, and pings. Arrival offsets are known: delivery i arrives at kT0 + i*0.5 s.
struct Recorded
{
    QList<StreamEvent> events;
    qsizetype requestIndex = -1;  // delivery index of the request
    qsizetype responseIndex = -1; // and of its response
    qsizetype records = 0;
};

Recorded makeSession()
{
    Recorded r;
    const auto add = [&r](const QByteArray &raw, bool record = true) {
        const qint64 arrival = kT0 + qint64(r.events.size()) * kSec / 2;
        r.events.append(StreamEvent{arrival, EventSource::Sse, raw});
        if (record)
            ++r.records;
    };
    add(R"({"type":"ping","ts":"2023-11-14T22:13:20Z"})", false);
    for (int i = 0; i < 40; ++i) {
        const qint64 at = kT0 + qint64(r.events.size()) * kSec / 2 - 40'000'000;
        if (i == 20) {
            r.requestIndex = r.events.size();
            add(crumb(uuid(900), 1, "tool.request.v1", at, R"("tool:request","workspace:tools")",
                      R"({"tool":"echo","requestId":"req-1","input":{"x":1}})"));
        }
        if (i == 35) {
            r.responseIndex = r.events.size();
            add(crumb(uuid(901), 1, "tool.response.v1", at, R"("tool:response","workspace:tools","request:req-1")",
                      R"({"tool":"echo","request_id":"req-1","status":"success","output":{"x":1}})"));
        }
        // Note i's updated_at is fixed, so its repeat below is byte-identical.
        add(crumb(uuid(i), 1, "note.v1", i == 3 ? kT0 + 3 * kSec / 2 : at, R"("note")", "{\"i\":" + QByteArray::number(i) + "}"));
        if (i == 30)
            add(crumb(uuid(3), 1, "note.v1", kT0 + 3 * kSec / 2, R"("note")", "{\"i\":3}"), false); // a repeat of note 3
        if (i % 10 == 9)
            add(R"({"type":"ping","ts":"2023-11-14T22:13:30Z"})", false);
    }
    return r;
}

bool writeSession(const QString &path, const QList<StreamEvent> &events, QString *error = nullptr)
{
    SessionHeader header;
    header.appVersion = QStringLiteral("test");
    header.serverUrl = QStringLiteral("http://127.0.0.1:1");
    header.startNs = kT0;
    QString why;
    std::unique_ptr<SessionWriter> writer = SessionWriter::create(path, header, &why);
    if (!writer) {
        if (error)
            *error = why;
        return false;
    }
    writer->appendEvents(events);
    writer->appendLog(SessionLogEntry{kT0, SessionLogKind::Connect, QStringLiteral("connected")});
    return writer->close(error);
}

// Rewrites the format version a file claims (meta and SQLite's user_version), as a newer
// writer would have stored it.
bool setFormatVersion(const QString &path, int version)
{
    const QString name = QStringLiteral("tst_replay_version");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.exec(QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'format_version'").arg(version))
                && q.numRowsAffected() == 1 && q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version));
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

bool openAndLoad(ui::MainWindow &window, const QString &path)
{
    QSignalSpy loaded(window.replayEngine(), &ReplayEngine::loaded);
    if (!window.openSession(path))
        return false;
    return loaded.wait(20000);
}

} // namespace

class TestReplay : public QObject
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

    void playAsFastAsPossibleFeedsEveryView()
    {
        const Recorded rec = makeSession();
        const QString path = m_dir.filePath(QStringLiteral("play.rcrtsession"));
        QString error;
        QVERIFY2(writeSession(path, rec.events, &error), qPrintable(error));
        const QByteArray before = [&] { QFile f(path); f.open(QIODevice::ReadOnly); return f.readAll(); }();

        ui::MainWindow window;
        window.show();
        QVERIFY(openAndLoad(window, path));
        QVERIFY(window.isReplaying());
        QVERIFY2(window.windowTitle().startsWith(QStringLiteral("Replay \u2014 play.rcrtsession")), qPrintable(window.windowTitle()));
        ReplayEngine *engine = window.replayEngine();
        QCOMPARE(engine->eventCount(), rec.events.size());
        QCOMPARE(engine->cursor(), 0);
        QCOMPARE(window.eventsView()->model()->rowCount(), 0);

        engine->setSpeed(0);
        engine->play();
        QTRY_COMPARE_WITH_TIMEOUT(engine->cursor(), engine->eventCount(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.replayFeeder()->isCaughtUp(), 10000);
        QVERIFY(!engine->isPlaying());

        // Events: every record, in order, with its recorded arrival and source `replay`.
        const ui::EventsModel *model = window.eventsView()->model();
        QCOMPARE(model->rowCount(), rec.records);
        int row = 0;
        for (const StreamEvent &e : rec.events) {
            if (e.raw.contains("\"ping\"") || row >= model->rowCount())
                continue;
            if (model->recordAt(row).raw != e.raw)
                continue; // the repeat delivery
            QCOMPARE(model->recordAt(row).first.arrivalNs, e.arrivalNs);
            QCOMPARE(model->recordAt(row).first.source, EventSource::Replay);
            ++row;
        }
        QCOMPARE(row, rec.records);
        // The repeat is a later arrival of note 3's row, at its recorded time.
        const int repeated = model->rowsForId(uuid(3)).value(0, -1);
        QVERIFY(repeated >= 0);
        QCOMPARE(model->recordAt(repeated).arrivalCount(), 2);
        QCOMPARE(model->recordAt(repeated).laterArrivals.first().source, EventSource::Replay);

        // Flows and pending: the request, answered.
        QCOMPARE(window.flowTracker()->requestCount(), 1);
        QCOMPARE(window.flowTracker()->responseCount(), 1);
        QCOMPARE(window.flowTracker()->requestStatus(uuid(900)).state, RequestState::Answered);
        QVERIFY(window.flowsView()->model()->rowCount() > 0);
        // Charts: one lag sample per record, the pings.
        QCOMPARE(window.chartsView()->tracker().totals().lagSamples, rec.records);
        QCOMPARE(window.chartsView()->tracker().totals().pings, 5);
        // Status: cursor at the end of the session, 100 % of the deliveries.
        QVERIFY2(window.sessionStatusLabel()->text().contains(QStringLiteral("%1 / %1 events").arg(rec.events.size())),
                 qPrintable(window.sessionStatusLabel()->text()));

        // Opening never modified the file.
        window.leaveReplay();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void seekShowsTheStateAtTheCursor()
    {
        const Recorded rec = makeSession();
        const QString path = m_dir.filePath(QStringLiteral("seek.rcrtsession"));
        QVERIFY(writeSession(path, rec.events));
        ui::MainWindow window;
        window.show();
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        const ui::EventsModel *model = window.eventsView()->model();
        const ui::PendingModel *pending = window.pendingView()->model();
        const auto recordsBefore = [&](qsizetype cursor) {
            int n = 0;
            QSet<QByteArray> seen;
            for (qsizetype i = 0; i < cursor; ++i) {
                const QByteArray &raw = rec.events[i].raw;
                if (!raw.contains("\"ping\"") && !seen.contains(raw))
                    ++n;
                seen.insert(raw);
            }
            return n;
        };

        // Just after the request arrived: pending, aged by the recorded time since.
        engine->seek(rec.requestIndex + 1);
        QCOMPARE(model->rowCount(), recordsBefore(rec.requestIndex + 1));
        QCOMPARE(window.flowTracker()->requestCount(), 1);
        QCOMPARE(window.flowTracker()->responseCount(), 0);
        QCOMPARE(pending->rowCount(), 1);
        QCOMPARE(pending->index(0, 0).data(ui::PendingModel::StateRole).toInt(), int(RequestState::Pending));
        QCOMPARE(window.flowTracker()->now(), rec.events[rec.requestIndex].arrivalNs);

        // One delivery before the response: still pending, older.
        engine->seek(rec.responseIndex);
        QCOMPARE(pending->index(0, 0).data(ui::PendingModel::StateRole).toInt(), int(RequestState::Pending));
        QCOMPARE(pending->index(0, 0).data(ui::PendingModel::AgeMsRole).toLongLong(),
                 (rec.events[rec.responseIndex - 1].arrivalNs - rec.events[rec.requestIndex].arrivalNs) / 1'000'000);
        // Step over the response: answered.
        engine->stepForward();
        QCOMPARE(window.flowTracker()->responseCount(), 1);
        QCOMPARE(pending->index(0, 0).data(ui::PendingModel::StateRole).toInt(), int(RequestState::Answered));
        QCOMPARE(model->rowCount(), recordsBefore(rec.responseIndex + 1));
        // And back: pending again, the response's row gone.
        engine->stepBack();
        QCOMPARE(window.flowTracker()->responseCount(), 0);
        QCOMPARE(pending->index(0, 0).data(ui::PendingModel::StateRole).toInt(), int(RequestState::Pending));
        QCOMPARE(model->rowCount(), recordsBefore(rec.responseIndex));

        // To the end and back before the repeat: note 3 has one arrival again.
        engine->seekToEnd();
        QCOMPARE(model->recordAt(model->rowsForId(uuid(3)).first()).arrivalCount(), 2);
        engine->seek(rec.requestIndex);
        QCOMPARE(model->rowCount(), recordsBefore(rec.requestIndex));
        QCOMPARE(model->recordAt(model->rowsForId(uuid(3)).first()).arrivalCount(), 1);
        QCOMPARE(window.flowTracker()->requestCount(), 0);
        QCOMPARE(pending->rowCount(), 0);
        // Back to the start: empty.
        engine->seekToStart();
        QCOMPARE(model->rowCount(), 0);

        // Keys: Right steps, End goes to the end, Home back; Space plays.
        QTest::keyClick(&window, Qt::Key_Right);
        QCOMPARE(engine->cursor(), 1);
        QTest::keyClick(&window, Qt::Key_End);
        QCOMPARE(engine->cursor(), engine->eventCount());
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(engine->cursor(), engine->eventCount() - 1);
        QTest::keyClick(&window, Qt::Key_Home);
        QCOMPARE(engine->cursor(), 0);
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(engine->isPlaying());
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(!engine->isPlaying());

        // The slider seeks by recorded time: its middle is the middle of the session.
        window.replayBar()->slider()->setValue(window.replayBar()->slider()->maximum() / 2);
        const qint64 middle = (rec.events.first().arrivalNs + rec.events.last().arrivalNs) / 2;
        QVERIFY(qAbs(engine->cursorTimeNs() - middle) <= kSec / 2);
    }

    void playAtSpeedFollowsRecordedGaps()
    {
        // Two deliveries 10 s apart, played at 100×: the second comes after ~100 ms, not at once.
        QList<StreamEvent> events{{kT0, EventSource::Sse, crumb(uuid(1), 1, "note.v1", kT0, "", "{}")},
                                  {kT0 + 10 * kSec, EventSource::Sse, crumb(uuid(2), 1, "note.v1", kT0, "", "{}")}};
        const QString path = m_dir.filePath(QStringLiteral("speed.rcrtsession"));
        QVERIFY(writeSession(path, events));
        ui::MainWindow window;
        QVERIFY(openAndLoad(window, path));
        ReplayEngine *engine = window.replayEngine();
        engine->setSpeed(100);
        engine->play();
        QTRY_COMPARE_WITH_TIMEOUT(engine->cursor(), 1, 5000);
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(engine->cursor(), 2, 5000);
        QVERIFY2(clock.elapsed() >= 50, "the 10 s gap at 100x must take about 100 ms");
        QVERIFY(window.sessionStatusLabel()->text().contains(QStringLiteral("100\u00d7")));
    }

    void corruptSessionOpensTheValidPart()
    {
        Recorded rec = makeSession();
        for (int k = 0; k < 60; ++k) // more pages, so a truncation leaves some intact
            rec.events += rec.events.mid(1, 40);
        const QString path = m_dir.filePath(QStringLiteral("corrupt.rcrtsession"));
        QVERIFY(writeSession(path, rec.events));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 size = f.size();
        QVERIFY(f.seek(size / 2));
        f.write(QByteArray(8192, '\xA5')); // garbage over pages in the middle
        f.close();

        ui::MainWindow window;
        window.show();
        QSignalSpy loaded(window.replayEngine(), &ReplayEngine::loaded);
        QSignalSpy failed(window.replayEngine(), &ReplayEngine::loadFailed);
        if (!window.openSession(path))
            QSKIP("the reader refuses this damage outright (acceptable, covered by the sessions tests)");
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() || !failed.isEmpty(), 20000);
        QVERIFY(!window.messageText().isEmpty());
        QVERIFY(window.messageBar()->isVisible());
        if (!loaded.isEmpty()) {
            QVERIFY(!window.replayEngine()->info().problems.isEmpty());
            QVERIFY(window.replayEngine()->eventCount() > 0);
            QVERIFY(window.logView()->toPlainText().contains(QStringLiteral("replay problem")));
        }
        // Dismissible.
        window.messageBar()->findChild<QToolButton *>(QStringLiteral("messageBarClose"))->click();
        QVERIFY(!window.messageBar()->isVisible());
    }

    void newerFormatIsRefusedWithTheReadersMessage()
    {
        const QString path = m_dir.filePath(QStringLiteral("newer.rcrtsession"));
        QVERIFY(writeSession(path, makeSession().events));
        QVERIFY(setFormatVersion(path, kSessionFormatVersion + 1));
        ui::MainWindow window;
        window.show();
        QVERIFY(!window.openSession(path));
        QVERIFY(!window.isReplaying());
        auto *box = window.findChild<QMessageBox *>(QStringLiteral("sessionRefused"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QStringLiteral("newer")), qPrintable(box->text()));
        box->close();

        // Not a session at all.
        const QString junk = m_dir.filePath(QStringLiteral("junk.rcrtsession"));
        QFile j(junk);
        QVERIFY(j.open(QIODevice::WriteOnly));
        j.write("this is not a session file\n");
        j.close();
        QVERIFY(!window.openSession(junk));
    }

    void droppingASessionFileOpensIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("drop.rcrtsession"));
        QVERIFY(writeSession(path, makeSession().events));
        ui::MainWindow window;
        window.show();
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QSignalSpy loaded(window.replayEngine(), &ReplayEngine::loaded);
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QVERIFY(window.isReplaying());
        QVERIFY(loaded.wait(20000));
        QVERIFY(window.recentSessions().contains(QFileInfo(path).absoluteFilePath()));

        // Something that is not a file is not accepted.
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QDragEnterEvent refuse(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        refuse.setAccepted(false);
        QApplication::sendEvent(&window, &refuse);
        QVERIFY(!refuse.isAccepted());
    }
};

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
