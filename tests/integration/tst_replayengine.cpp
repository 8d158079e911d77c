// ReplayEngine and ReplaySession without a window: a session written by SessionWriter loads
// on the worker thread; batches for any split of the deliveries add up to the whole, as the
// live store would have said it; cursor/time maths; speed limits; cancelling a load.

#include "app/replayengine.h"
#include "app/session/sessionwriter.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

namespace {
constexpr qint64 kSec = 1'000'000'000;
constexpr qint64 kT0 = 1'700'000'000 * kSec;

QByteArray crumb(int id, int version)
{
    return QStringLiteral(R"({"type":"breadcrumb.updated","breadcrumb_id":"00000000-0000-4000-8000-%1","owner_id":"00000000-0000-0000-0000-0000000000aa","version":%2,"tags":["t"],"schema_name":"note.v1","updated_at":"2023-11-14T22:13:20.5Z","context":{"id":%3}})")
        .arg(id, 12, 10, QLatin1Char('0'))
        .arg(version)
        .arg(id)
        .toUtf8();
}

// 0: ping, then notes, a repeat of note 1, a garbage payload, an "other" type, and equal
// arrival times (one read delivering several events).
QList<StreamEvent> deliveries()
{
    QList<StreamEvent> e;
    e.append({kT0, EventSource::Sse, R"({"type":"ping","ts":"2023-11-14T22:13:20Z"})"});
    for (int i = 1; i <= 6; ++i)
        e.append({kT0 + i * kSec, EventSource::Sse, crumb(i, 1)});
    e.append({kT0 + 7 * kSec, EventSource::Backfill, crumb(1, 1)}); // repeat
    e.append({kT0 + 7 * kSec, EventSource::Sse, "{not json"});     // rejected
    e.append({kT0 + 7 * kSec, EventSource::Sse, R"({"type":"system","x":1})"});
    e.append({kT0 + 8 * kSec, EventSource::Sse, crumb(2, 2)});
    return e;
}

std::unique_ptr<ReplayEngine> load(const QString &path)
{
    auto engine = std::make_unique<ReplayEngine>();
    QSignalSpy loaded(engine.get(), &ReplayEngine::loaded);
    QString error;
    if (!engine->open(path, &error) || !loaded.wait(10000))
        return nullptr;
    return engine;
}
} // namespace

class TestReplayEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase()
    {
        m_path = m_dir.filePath(QStringLiteral("e.rcrtsession"));
        QString error;
        SessionHeader header;
        header.startNs = kT0;
        auto writer = SessionWriter::create(m_path, header, &error);
        QVERIFY2(writer, qPrintable(error));
        writer->appendEvents(deliveries());
        QVERIFY(writer->close(&error));
    }

    void batchesOfAnySplitAddUpToTheWhole()
    {
        const auto engine = load(m_path);
        QVERIFY(engine);
        const ReplaySession &s = *engine->session();
        QCOMPARE(s.eventCount(), deliveries().size());
        QCOMPARE(s.recordCount(), 7); // six notes and note 2 version 2

        const EventBatch whole = s.batch(0, s.eventCount());
        QCOMPARE(whole.records.size(), 7);
        QCOMPARE(whole.repeats.size(), 1);
        QCOMPARE(whole.repeats.first().breadcrumbId, whole.records.first().envelope.breadcrumbId);
        QCOMPARE(whole.repeats.first().arrival.arrivalNs, kT0 + 7 * kSec);
        QCOMPARE(whole.repeats.first().arrival.source, EventSource::Replay);
        QCOMPARE(whole.pings.size(), 1);
        QCOMPARE(whole.pings.first().serverTsNs, kT0); // ts 2023-11-14T22:13:20Z is kT0
        QCOMPARE(whole.rejects.size(), 1);
        QVERIFY(!whole.rejects.first().error.isEmpty());
        QCOMPARE(whole.others.size(), 1);
        QCOMPARE(whole.others.first().type, QByteArray("system"));
        QCOMPARE(whole.counters.events, s.eventCount());
        QCOMPARE(whole.counters.newVersions, 7);
        QCOMPARE(whole.counters.repeats, 1);
        QCOMPARE(whole.counters.rejected, 1);
        for (const EventRecord &r : whole.records) {
            QCOMPARE(r.first.source, EventSource::Replay);
            QVERIFY(r.laterArrivals.isEmpty()); // as live batches: later arrivals are repeats
        }

        for (qint64 split = 0; split <= s.eventCount(); ++split) {
            const EventBatch a = s.batch(0, split);
            const EventBatch b = s.batch(split, s.eventCount());
            QCOMPARE(a.records.size() + b.records.size(), whole.records.size());
            QCOMPARE(a.repeats.size() + b.repeats.size(), whole.repeats.size());
            QCOMPARE(a.pings.size() + b.pings.size(), whole.pings.size());
            QCOMPARE(a.rejects.size() + b.rejects.size(), whole.rejects.size());
            QCOMPARE(a.others.size() + b.others.size(), whole.others.size());
            QCOMPARE(a.nextSeq, s.seqEnd(split));
            if (!b.records.isEmpty())
                QCOMPARE(b.records.first().seq, a.nextSeq);
        }
    }

    void cursorAndTime()
    {
        const auto engine = load(m_path);
        QVERIFY(engine);
        const ReplaySession &s = *engine->session();
        QCOMPARE(s.cursorAtTime(kT0 - 1), 0);
        QCOMPARE(s.cursorAtTime(kT0), 1);
        QCOMPARE(s.cursorAtTime(kT0 + 7 * kSec), 10); // the three deliveries of one read together
        QCOMPARE(s.cursorAtTime(kT0 + 100 * kSec), s.eventCount());
        QCOMPARE(s.timeAtCursor(3), kT0 + 2 * kSec);
        QCOMPARE(s.cursorShowing(s.store().firstSeq()), 2); // the first note is delivery 1

        QSignalSpy moved(engine.get(), &ReplayEngine::cursorMoved);
        engine->seekToTime(kT0 + 3 * kSec);
        QCOMPARE(engine->cursor(), 4);
        engine->stepBack();
        engine->stepForward();
        engine->seek(-5);
        QCOMPARE(engine->cursor(), 0);
        engine->seek(1'000);
        QCOMPARE(engine->cursor(), s.eventCount());
        QCOMPARE(moved.size(), 5);
        QCOMPARE(moved.at(1).at(0).toLongLong(), 4);
        QCOMPARE(moved.at(1).at(1).toLongLong(), 3);

        engine->setSpeed(1000);
        QCOMPARE(engine->speed(), 100.0);
        engine->setSpeed(0.01);
        QCOMPARE(engine->speed(), 0.1);
        engine->setSpeed(-1);
        QCOMPARE(engine->speed(), 0.0); // as fast as possible
    }

    void refusalsAndCancel()
    {
        ReplayEngine engine;
        QString error;
        QVERIFY(!engine.open(m_dir.filePath(QStringLiteral("missing.rcrtsession")), &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(engine.open(m_path, &error));
        engine.cancelLoad(); // waits for the worker; nothing is delivered afterwards
        QSignalSpy loaded(&engine, &ReplayEngine::loaded);
        QTest::qWait(100);
        QVERIFY(loaded.isEmpty());
        QVERIFY(!engine.isLoaded());
        QVERIFY(!engine.isLoading());
    }
};

QTEST_GUILESS_MAIN(TestReplayEngine)
#include "tst_replayengine.moc"
