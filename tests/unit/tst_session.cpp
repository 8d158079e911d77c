// SessionWriter and SessionReader on real files: round trip of every table, the header, the
// credential rules, read-only opening that changes nothing, and seeking.

#include "app/session/sessionreader.h"
#include "app/session/sessionwriter.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace rcrt;

namespace {

QByteArray payload(int i)
{
    return QByteArrayLiteral("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"id-")
        + QByteArray::number(i) + QByteArrayLiteral("\",\"version\":1,\"updated_at\":\"2025-11-07T10:30:00Z\"}");
}

QList<StreamEvent> makeEvents(int n, qint64 t0 = 1'700'000'000'000'000'000)
{
    QList<StreamEvent> events;
    for (int i = 0; i < n; ++i)
        events.append({t0 + qint64(i) * 1'000'000, i % 3 == 0 ? EventSource::Backfill : EventSource::Sse, payload(i)});
    return events;
}

SessionHeader header()
{
    SessionHeader h;
    h.serverUrl = QStringLiteral("http://127.0.0.1:8081");
    h.startNs = 1'700'000'000'000'000'000;
    h.note = QStringLiteral("unit test");
    return h;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip();
    void emptySession();
    void refusesToOverwrite();
    void arrivalNeverDecreases();
    void seek();
    void noCredentialInFile();
    void sanitizeUrl_data();
    void sanitizeUrl();
    void refusesNewerVersion();
    void refusesEmptyAndForeignFiles();
    void openingChangesNothing();
    void readsTheWalOfAnUnclosedWriter();
};

void TestSession::roundTrip()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s.rcrtsession"));
    const auto events = makeEvents(2500);
    {
        QString error;
        auto w = SessionWriter::create(path, header(), &error);
        QVERIFY2(w, qPrintable(error));
        w->appendEvents(events.mid(0, 1000));
        w->appendLog({5, SessionLogKind::Connect, QStringLiteral("connected")});
        w->appendLog({6, SessionLogKind::Backfill, QStringLiteral("backfill done")});
        w->appendDetail({7, "id-3", 2, "{\"full\":true}"});
        w->appendProbe(8, "{\"probe\":1}");
        w->setClockOffsetNs(-1234);
        w->appendEvents(events.mid(1000));
        QCOMPARE(w->eventCount(), 2500);
        QVERIFY(w->close(&error));
        QVERIFY(error.isEmpty());
    }
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")));
    QString error;
    auto r = SessionReader::open(path, &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->problems(), QStringList());
    QCOMPARE(r->header().formatVersion, kSessionFormatVersion);
    QCOMPARE(r->header().appVersion, QStringLiteral(RCRT_VERSION));
    QCOMPARE(r->header().serverUrl, QStringLiteral("http://127.0.0.1:8081"));
    QCOMPARE(r->header().startNs, header().startNs);
    QCOMPARE(r->header().clockOffsetNs, std::optional<qint64>(-1234));
    QCOMPARE(r->header().note, QStringLiteral("unit test"));
    QCOMPARE(r->eventCount(), 2500);
    QCOMPARE(r->firstArrivalNs(), events.first().arrivalNs);
    QCOMPARE(r->lastArrivalNs(), events.last().arrivalNs);
    QList<StreamEvent> back;
    for (qint64 from = 0; from < r->eventCount(); from += 700)
        back += r->readEvents(from, 700);
    QCOMPARE(back.size(), events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(back[i].arrivalNs, events[i].arrivalNs);
        QCOMPARE(back[i].source, events[i].source);
        QCOMPARE(back[i].raw, events[i].raw);
    }
    QCOMPARE(r->readEvents(2499, 10).size(), 1);
    QCOMPARE(r->readEvents(2500, 10).size(), 0);
    QCOMPARE(r->log().size(), 2);
    QCOMPARE(r->log()[0].kind, SessionLogKind::Connect);
    QCOMPARE(r->log()[1].text, QStringLiteral("backfill done"));
    QCOMPARE(r->details().size(), 1);
    QCOMPARE(r->details()[0].breadcrumbId, QByteArray("id-3"));
    QCOMPARE(r->details()[0].version, 2);
    QCOMPARE(r->details()[0].fullJson, QByteArray("{\"full\":true}"));
    QCOMPARE(r->probes().size(), 1);
    QCOMPARE(r->probes()[0].second, QByteArray("{\"probe\":1}"));
}

void TestSession::emptySession()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("e.rcrtsession"));
    QVERIFY(SessionWriter::create(path, header(), nullptr));
    QString error;
    auto r = SessionReader::open(path, &error);
    QVERIFY2(r, qPrintable(error));
    QCOMPARE(r->eventCount(), 0);
    QCOMPARE(r->indexAtOrAfter(0), 0);
    QVERIFY(r->readEvents(0, 10).isEmpty());
}

void TestSession::refusesToOverwrite()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("x"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("keep me");
    f.close();
    QString error;
    QVERIFY(!SessionWriter::create(path, header(), &error));
    QVERIFY2(error.contains(QStringLiteral("exists")), qPrintable(error));
    QCOMPARE(fileBytes(path), QByteArray("keep me"));
}

void TestSession::arrivalNeverDecreases()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    {
        auto w = SessionWriter::create(path, header(), nullptr);
        QVERIFY(w);
        w->appendEvents({{100, EventSource::Sse, "{}"}, {90, EventSource::Sse, "{}"}, {120, EventSource::Sse, "{}"}});
    }
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    const auto back = r->readEvents(0, 3);
    QCOMPARE(back.size(), 3);
    QCOMPARE(back[1].arrivalNs, 100);
    QCOMPARE(back[2].arrivalNs, 120);
}

void TestSession::seek()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    QList<StreamEvent> events;
    for (int i = 0; i < 1000; ++i)
        events.append({qint64(i / 2) * 10, EventSource::Sse, payload(i)}); // pairs share a time
    {
        auto w = SessionWriter::create(path, header(), nullptr);
        QVERIFY(w);
        w->appendEvents(events);
    }
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    QCOMPARE(r->indexAtOrAfter(-5), 0);
    QCOMPARE(r->indexAtOrAfter(0), 0);
    QCOMPARE(r->indexAtOrAfter(1), 2);
    QCOMPARE(r->indexAtOrAfter(10), 2);
    QCOMPARE(r->indexAtOrAfter(2495), 500);
    QCOMPARE(r->indexAtOrAfter(4990), 998);
    QCOMPARE(r->indexAtOrAfter(4991), 1000);
}

void TestSession::noCredentialInFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    const QByteArray token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl";
    {
        SessionHeader h = header();
        h.serverUrl = QStringLiteral("http://alice:pw-%1@127.0.0.1:8081/api?token=%1&x=1")
                          .arg(QString::fromLatin1(token));
        auto w = SessionWriter::create(path, h, nullptr);
        QVERIFY(w);
        w->appendLog({1, SessionLogKind::Error,
                      QStringLiteral("GET /events/stream?token=%1 failed; Authorization: Bearer %1")
                          .arg(QString::fromLatin1(token))});
        w->appendEvents(makeEvents(10));
    }
    const QByteArray bytes = fileBytes(path);
    QVERIFY(!bytes.isEmpty());
    QVERIFY(!bytes.contains(token));
    QVERIFY(!bytes.contains("pw-"));
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    QCOMPARE(r->header().serverUrl, QStringLiteral("http://127.0.0.1:8081/api?x=1"));
    QVERIFY(r->log()[0].text.contains(QStringLiteral("token=***")));
}

void TestSession::sanitizeUrl_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << "http://h:1" << "http://h:1";
    QTest::newRow("userinfo") << "http://u:p@h:1/x" << "http://h:1/x";
    QTest::newRow("token only") << "https://h/?token=abc" << "https://h/";
    QTest::newRow("access_token kept others") << "https://h/?a=1&ACCESS_TOKEN=z&b=2" << "https://h/?a=1&b=2";
}

void TestSession::sanitizeUrl()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(sanitizeServerUrl(QUrl(in)), out);
}

void TestSession::refusesNewerVersion()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    QVERIFY(SessionWriter::create(path, header(), nullptr));
    {
        // What a newer writer would leave: a higher format_version in meta.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bump"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE meta SET value='%1' WHERE key='format_version'")
                           .arg(kSessionFormatVersion + 1)));
        q = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bump"));
    QString error;
    QVERIFY(!SessionReader::open(path, &error));
    QCOMPARE(error, QStringLiteral("session format %1 is newer than this %2 understands (%3); "
                                   "update RCRT Console")
                        .arg(kSessionFormatVersion + 1)
                        .arg(QCoreApplication::applicationName())
                        .arg(kSessionFormatVersion));
}

void TestSession::refusesEmptyAndForeignFiles()
{
    QTemporaryDir dir;
    QString error;
    QVERIFY(!SessionReader::open(dir.filePath(QStringLiteral("missing")), &error));
    QVERIFY2(error.contains(QStringLiteral("cannot open")), qPrintable(error));

    const QString empty = dir.filePath(QStringLiteral("empty"));
    QFile(empty).open(QIODevice::WriteOnly);
    QVERIFY(!SessionReader::open(empty, &error));
    QVERIFY2(error.contains(QStringLiteral("is empty")), qPrintable(error));

    const QString text = dir.filePath(QStringLiteral("text"));
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("data: {\"type\":\"ping\"}\n\n");
    }
    QVERIFY(!SessionReader::open(text, &error));
    QVERIFY2(error.contains(QStringLiteral("not an SQLite database")), qPrintable(error));

    const QString other = dir.filePath(QStringLiteral("other.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
        db.setDatabaseName(other);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("CREATE TABLE t(x)"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other"));
    QVERIFY(!SessionReader::open(other, &error));
    QVERIFY2(error.contains(QStringLiteral("not an RCRT session")), qPrintable(error));
}

// A closed session in a read-only directory, file mode 0444: opens, reads, and afterwards the
// bytes and the modification time are what they were.
void TestSession::openingChangesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    {
        auto w = SessionWriter::create(path, header(), nullptr);
        QVERIFY(w);
        w->appendEvents(makeEvents(300));
    }
    QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner);
    const QByteArray before = fileBytes(path);
    const QDateTime mtime = QFileInfo(path).lastModified();
    {
        QString error;
        auto r = SessionReader::open(path, &error);
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->readEvents(0, 1000).size(), 300);
        QCOMPARE(r->problems(), QStringList());
    }
    QCOMPARE(fileBytes(path), before);
    QCOMPARE(QFileInfo(path).lastModified(), mtime);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("s")});
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

// A recording still open (or killed): its commits live in the -wal file. A reader sees every
// commit, and neither checkpoints nor removes the -wal.
void TestSession::readsTheWalOfAnUnclosedWriter()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("s"));
    auto w = SessionWriter::create(path, header(), nullptr);
    QVERIFY(w);
    w->appendEvents(makeEvents(500));
    QVERIFY(w->flush());
    w->appendEvents(makeEvents(5)); // not committed yet
    const QString wal = path + QStringLiteral("-wal");
    QVERIFY(QFileInfo::exists(wal));
    const QByteArray mainBefore = fileBytes(path);
    const QByteArray walBefore = fileBytes(wal);
    {
        QString error;
        auto r = SessionReader::open(path, &error);
        QVERIFY2(r, qPrintable(error));
        QCOMPARE(r->eventCount(), 500);
        QCOMPARE(r->readEvents(0, 1000).size(), 500);
    }
    QCOMPARE(fileBytes(path), mainBefore);
    QCOMPARE(fileBytes(wal), walBefore);
    QVERIFY(w->close());
    auto r = SessionReader::open(path, nullptr);
    QVERIFY(r);
    QCOMPARE(r->eventCount(), 505);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
