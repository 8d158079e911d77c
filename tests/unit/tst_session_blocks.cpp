// Event blocks (docs/session-format.md): how events are laid out in the file as a recording
// goes on and after close, files without blocks, a block whose bytes changed, and seeking
// across blocks and the single rows after them.

#include "app/session/eventblock.h"
#include "app/session/sessionreader.h"
#include "app/session/sessionschema.h"
#include "app/session/sessionwriter.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QVariant>

using namespace rcrt;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000'000'000;

QByteArray payload(int i, int pad = 40)
{
    return QByteArrayLiteral("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"id-") + QByteArray::number(i)
        + QByteArrayLiteral("\",\"context\":\"") + QByteArray(pad, 'x') + QByteArrayLiteral("\"}");
}

// Event i arrives at kT0 + 10 * (i / 2): pairs share a time, so seeks must find the first.
StreamEvent makeEvent(int i, int pad = 40)
{
    return {kT0 + 10 * qint64(i / 2), i % 5 == 0 ? EventSource::Backfill : EventSource::Sse, payload(i, pad)};
}

QList<StreamEvent> makeEvents(int n)
{
    QList<StreamEvent> events;
    for (int i = 0; i < n; ++i)
        events.append(makeEvent(i));
    return events;
}

// Counts rows with a second, read-only connection (what a reader of a live recording sees).
qint64 rows(const QString &path, const QString &sql)
{
    const QString name = sessionschema::newConnectionName("test");
    qint64 n = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                n = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return n;
}

void checkAll(SessionReader &r, const QList<StreamEvent> &expected)
{
    QCOMPARE(r.eventCount(), expected.size());
    QList<StreamEvent> back;
    for (qint64 from = 0; from < r.eventCount(); from += 333)
        back += r.readEvents(from, 333);
    QCOMPARE(back.size(), expected.size());
    for (qsizetype i = 0; i < back.size(); ++i) {
        QCOMPARE(back[i].arrivalNs, expected[i].arrivalNs);
        QCOMPARE(back[i].source, expected[i].source);
        QCOMPARE(back[i].raw, expected[i].raw);
    }
}

} // namespace

class TestSessionBlocks : public QObject
{
    Q_OBJECT
private slots:
    void blocksAfterClose();
    void bigEventsMakeSmallBlocks();
    void recordingInProgress();
    void fileWithoutBlocks();
    void changedBytesInABlock();
};

void TestSessionBlocks::blocksAfterClose()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    const QList<StreamEvent> events = makeEvents(1000);
    {
        auto w = SessionWriter::create(path, {}, nullptr);
        QVERIFY(w);
        for (int i = 0; i < 1000; i += 100)
            w->appendEvents(events.mid(i, 100));
        QVERIFY(w->close());
    }
    // 256 + 256 + 256 + a short last block of 232; no single rows left.
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM event_blocks")), 4);
    QCOMPARE(rows(path, QStringLiteral("SELECT count FROM event_blocks WHERE id = 768")), 232);
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM events")), 0);
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    checkAll(*r, events);
    QCOMPARE(r->problems(), QStringList());
    // Seeks inside blocks, at their edges, and before/after everything.
    QCOMPARE(r->indexAtOrAfter(kT0 - 1), 0);
    QCOMPARE(r->indexAtOrAfter(kT0 + 1), 2);
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 128), 256); // first event of the second block
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 128 - 5), 256);
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 127), 254);
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 499), 998);
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 499 + 1), 1000);
    QCOMPARE(r->readEvents(250, 10).size(), 10);
    QCOMPARE(r->readEvents(250, 10)[6].raw, payload(256));
}

void TestSessionBlocks::bigEventsMakeSmallBlocks()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    QList<StreamEvent> events;
    for (int i = 0; i < 20; ++i)
        events.append(makeEvent(i, i % 4 == 0 ? 300'000 : 30'000)); // a 300 KB context every fourth
    {
        auto w = SessionWriter::create(path, {}, nullptr);
        QVERIFY(w);
        w->appendEvents(events);
    }
    // A block stops growing at 128 KiB of payloads: never more than one big event, or five
    // small ones (5 × 30 KB crosses the limit), per block.
    QVERIFY(rows(path, QStringLiteral("SELECT max(count) FROM event_blocks")) <= 5);
    QVERIFY(rows(path, QStringLiteral("SELECT max(length(raw)) FROM event_blocks")) < 300'000 + 4 * 30'100);
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    checkAll(*r, events);
}

// While recording, the events after the last full block are single rows, committed with
// each flush; a full block replaces them in the same commit. A reader sees every commit.
void TestSessionBlocks::recordingInProgress()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    const QList<StreamEvent> events = makeEvents(700);
    auto w = SessionWriter::create(path, {}, nullptr);
    QVERIFY(w);
    w->appendEvents(events.mid(0, 100));
    QVERIFY(w->flush());
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM event_blocks")), 0);
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM events")), 100);
    w->appendEvents(events.mid(100, 500));
    QVERIFY(w->flush());
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM event_blocks")), 2);
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM events")), 88);
    QCOMPARE(rows(path, QStringLiteral("SELECT min(id) FROM events")), 512);
    w->appendEvents(events.mid(600)); // not committed yet
    {
        auto r = SessionReader::open(path, nullptr);
        QVERIFY(r);
        checkAll(*r, events.mid(0, 600));
        QCOMPARE(r->lastArrivalNs(), events[599].arrivalNs);
        QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 255), 510); // in the second block
        QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 256), 512); // first single row
        QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 299), 598);
        QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 300), 600);
        QCOMPARE(r->readEvents(500, 50).size(), 50); // across the block/row boundary
        QCOMPARE(r->readEvents(500, 50)[20].raw, payload(520));
    }
    QVERIFY(w->close());
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    checkAll(*r, events);
    QCOMPARE(rows(path, QStringLiteral("SELECT count(*) FROM events")), 0);
}

// Files written before blocks existed keep every event as a row of `events`: still read.
void TestSessionBlocks::fileWithoutBlocks()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    const QList<StreamEvent> events = makeEvents(300);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("PRAGMA application_id=%1").arg(sessionschema::kApplicationId)));
        for (const QString &sql : sessionschema::createStatements()) {
            if (!sql.contains(QStringLiteral("event_blocks")))
                QVERIFY(q.exec(sql));
        }
        QVERIFY(db.transaction());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO meta VALUES('format_version', '1')")));
        QVERIFY(q.prepare(QStringLiteral("INSERT INTO events(id, arrival_ns, source, raw) VALUES(?,?,?,?)")));
        for (int i = 0; i < events.size(); ++i) {
            q.bindValue(0, i);
            q.bindValue(1, qint64(events[i].arrivalNs));
            q.bindValue(2, int(events[i].source));
            q.bindValue(3, events[i].raw);
            QVERIFY(q.exec());
        }
        QVERIFY(db.commit());
        q = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));
    QString error;
    auto r = SessionReader::open(path, &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->problems(), QStringList());
    checkAll(*r, events);
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 100), 200);
}

// Most of a block lies on overflow pages SQLite never checks: a changed byte there is caught
// by the block's checksum, that block is skipped and named, the others read as before.
void TestSessionBlocks::changedBytesInABlock()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    const QList<StreamEvent> events = makeEvents(1000);
    {
        auto w = SessionWriter::create(path, {}, nullptr);
        QVERIFY(w);
        w->appendEvents(events);
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("flip"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        // Same length, one byte different.
        QVERIFY(q.exec(QStringLiteral("UPDATE event_blocks SET raw = CAST(substr(raw, 1, 5000) || 'y' || "
                                      "substr(raw, 5002) AS BLOB) WHERE id = 256")));
        QCOMPARE(q.numRowsAffected(), 1);
        q = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("flip"));
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    QCOMPARE(r->eventCount(), 1000);
    const QList<StreamEvent> back = r->readEvents(0, 1000);
    QCOMPARE(back.size(), 1000 - 256);
    QCOMPARE(back[255].raw, payload(255));
    QCOMPARE(back[256].raw, payload(512));
    QCOMPARE(r->problems(), QStringList{QStringLiteral("events 256 to 511 are unreadable (damaged block)")});
    QCOMPARE(r->indexAtOrAfter(kT0 + 10 * 300), 600);
}

QTEST_GUILESS_MAIN(TestSessionBlocks)
#include "tst_session_blocks.moc"
