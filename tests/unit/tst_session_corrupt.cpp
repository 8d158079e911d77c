// Damaged session files: truncated at several offsets, pages overwritten with garbage, a wrong
// version. Each opens with what is still valid (never more than was written, in order) and
// says what was not; nothing is written to the file.

#include "app/session/eventblock.h"
#include "app/session/sessionreader.h"
#include "app/session/sessionwriter.h"

#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

namespace {

constexpr int kEvents = 12000; // 47 blocks
constexpr qint64 kT0 = 1'700'000'000'000'000'000;

QByteArray payload(int i)
{
    // Some payloads span overflow pages, as big contexts do.
    const int pad = i % 97 == 0 ? 9000 : 150;
    return QByteArrayLiteral("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"id-") + QByteArray::number(i)
        + QByteArrayLiteral("\",\"version\":1,\"context\":\"") + QByteArray(pad, 'x') + QByteArrayLiteral("\"}");
}

QString writeSession(const QTemporaryDir &dir, const QString &name)
{
    const QString path = dir.filePath(name);
    SessionHeader h;
    h.serverUrl = QStringLiteral("http://127.0.0.1:8081");
    h.startNs = kT0;
    auto w = SessionWriter::create(path, h, nullptr);
    for (int i = 0; i < kEvents; ++i)
        w->appendEvent({kT0 + qint64(i) * 1000, EventSource::Sse, payload(i)});
    w->appendLog({kT0, SessionLogKind::Connect, QStringLiteral("connected")});
    w->close();
    return path;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Every event read back must be one that was written, in order, intact.
void checkEvents(SessionReader &r, qint64 *readable)
{
    const QList<StreamEvent> events = r.readEvents(0, r.eventCount() + 10);
    qint64 lastIndex = -1;
    for (const StreamEvent &e : events) {
        const qint64 index = (e.arrivalNs - kT0) / 1000;
        QVERIFY(index > lastIndex && index < kEvents);
        QCOMPARE(e.raw, payload(int(index)));
        QCOMPARE(e.source, EventSource::Sse);
        lastIndex = index;
    }
    *readable = events.size();
}

} // namespace

class TestSessionCorrupt : public QObject
{
    Q_OBJECT
private slots:
    void truncated_data();
    void truncated();
    void garbagePages_data();
    void garbagePages();
    void wrongVersion_data();
    void wrongVersion();
};

void TestSessionCorrupt::truncated_data()
{
    QTest::addColumn<double>("keep"); // fraction of the file kept
    QTest::newRow("90%") << 0.9;
    QTest::newRow("50%") << 0.5;
    QTest::newRow("20%") << 0.2;
    QTest::newRow("odd cut 33.3%") << 0.333;
}

void TestSessionCorrupt::truncated()
{
    QFETCH(double, keep);
    QTemporaryDir dir;
    const QString path = writeSession(dir, QStringLiteral("s"));
    const QByteArray whole = readAll(path);
    const QByteArray cut = whole.left(qsizetype(double(whole.size()) * keep));
    writeAll(path, cut);
    QString error;
    auto r = SessionReader::open(path, &error);
    QVERIFY2(r, qPrintable(error));
    QVERIFY(!r->problems().isEmpty());
    QVERIFY2(r->problems().join(u'\n').contains(QStringLiteral("truncated")), qPrintable(r->problems().join(u'\n')));
    qint64 readable = 0;
    checkEvents(*r, &readable);
    QVERIFY(readable < kEvents);
    // Most of what the kept pages hold is back (b-tree interior pages cost a little; the
    // block cut in two keeps the events before the cut).
    QVERIFY2(double(readable) > kEvents * keep * 0.5,
             qPrintable(QStringLiteral("%1 read; %2").arg(readable).arg(r->problems().join(u'\n'))));
    QCOMPARE(r->header().serverUrl, QStringLiteral("http://127.0.0.1:8081"));
    QCOMPARE(readAll(path), cut); // opening wrote nothing
}

void TestSessionCorrupt::garbagePages_data()
{
    QTest::addColumn<QList<double>>("pages"); // where in the file (0..1) a page is overwritten
    // How many event blocks those pages may cost: a block's payloads fill ~18 overflow pages
    // of their own, so a page costs at most its one block, and a run of six at most two.
    QTest::addColumn<int>("blocks");
    QTest::newRow("page 1 (header, schema)") << QList<double>{0} << 0;
    QTest::newRow("one page in the middle") << QList<double>{0.5} << 1;
    QTest::newRow("three scattered pages") << QList<double>{0.1, 0.45, 0.9} << 3;
    QTest::newRow("a run of pages") << QList<double>{0.3, 0.301, 0.302, 0.303, 0.304, 0.305} << 2;
    QTest::newRow("the last page") << QList<double>{0.9999} << 1;
}

void TestSessionCorrupt::garbagePages()
{
    QFETCH(QList<double>, pages);
    QFETCH(int, blocks);
    QTemporaryDir dir;
    const QString path = writeSession(dir, QStringLiteral("s"));
    QByteArray bytes = readAll(path);
    const qsizetype pageCount = bytes.size() / 4096;
    QRandomGenerator rng(42);
    for (double where : pages) {
        const qsizetype at = std::min(qsizetype(where * double(pageCount)), pageCount - 1) * 4096;
        QVERIFY(at + 4096 <= bytes.size());
        for (int k = 0; k < 4096; ++k)
            bytes[at + k] = char(rng.bounded(256));
    }
    writeAll(path, bytes);
    QString error;
    auto r = SessionReader::open(path, &error);
    QVERIFY2(r, qPrintable(error));
    qint64 readable = 0;
    checkEvents(*r, &readable);
    // A damaged block is found by its checksum (or by SQLite, or by the page scan) and skipped
    // whole; the blocks around it read as before. Page 1 is only header and schema.
    QVERIFY2(readable >= kEvents - blocks * eventblock::kMaxEvents,
             qPrintable(QStringLiteral("%1 read; %2").arg(readable).arg(r->problems().join(u'\n'))));
    if (readable < kEvents)
        QVERIFY2(!r->problems().isEmpty(), "lost rows must be reported");
    QCOMPARE(readAll(path), bytes);
}

void TestSessionCorrupt::wrongVersion_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("message");
    QTest::newRow("newer") << QString::number(kSessionFormatVersion + 2)
                           << QStringLiteral("session format %1 is newer than this %2 understands (%3); update RCRT Console")
                                  .arg(kSessionFormatVersion + 2)
                                  .arg(QCoreApplication::applicationName())
                                  .arg(kSessionFormatVersion);
    QTest::newRow("zero") << QStringLiteral("0") << QStringLiteral("unknown session format version 0");
}

void TestSessionCorrupt::wrongVersion()
{
    QFETCH(QString, version);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = writeSession(dir, QStringLiteral("s"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QVERIFY(QSqlQuery(db).exec(QStringLiteral("UPDATE meta SET value='%1' WHERE key='format_version'").arg(version)));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("v"));
    const QByteArray before = readAll(path);
    QString error;
    QVERIFY(!SessionReader::open(path, &error));
    QCOMPARE(error, message);
    QCOMPARE(readAll(path), before);
}

QTEST_GUILESS_MAIN(TestSessionCorrupt)
#include "tst_session_corrupt.moc"
