// rcrt-tap record / replay / export / import as a user runs them, against rcrt-sim over real
// HTTP/SSE: round trip, crash safety (kill -9), interchange, credentials, bad input.

#include "app/session/sessionreader.h"
#include "support/simprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;
using rcrt::test::runTap;
using rcrt::test::SimProcess;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

} // namespace

class TestTapRecord : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recordThenReplayGivesTheSameEvents();
    void replayHonoursTheRecordedPace();
    void exportImportExportIsIdentical();
    void importsAnSseCapture();
    void crashKeepsEverythingCommitted();
    void neverStoresTheToken();
    void badInput();

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
    QString m_session; // recorded once by the first test, read by the next ones
    QByteArray m_recordedJson;
};

void TestTapRecord::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_sim.start({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"),
                          QStringLiteral("300"), QStringLiteral("--ping-ms"), QStringLiteral("300"),
                          QStringLiteral("--seed"), QStringLiteral("5")}),
             qPrintable(m_sim.error()));
    m_session = m_dir.filePath(QStringLiteral("load.rcrtsession"));
}

// Same events, same order, same arrival times: what record printed live is what replay
// prints, but for the source.
void TestTapRecord::recordThenReplayGivesTheSameEvents()
{
    const auto rec = runTap({QStringLiteral("--url"), m_sim.url().toString(), QStringLiteral("--json"),
                             QStringLiteral("record"), QStringLiteral("-o"), m_session,
                             QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--print")});
    QVERIFY2(rec.exitCode == 0, rec.err.constData());
    QVERIFY(rec.err.contains("# recording to"));
    QVERIFY(rec.err.contains("# connected"));
    m_recordedJson = rec.out;
    const auto live = jsonLines(rec.out);
    QVERIFY2(live.size() > 100, rec.err.constData());

    const auto rep = runTap({QStringLiteral("--json"), QStringLiteral("replay"), m_session,
                             QStringLiteral("--speed"), QStringLiteral("max")});
    QCOMPARE(rep.exitCode, 0);
    QCOMPARE(rep.err, QByteArray());
    const auto replayed = jsonLines(rep.out);
    QCOMPARE(replayed.size(), live.size());
    for (qsizetype i = 0; i < live.size(); ++i) {
        QCOMPARE(live[i].value(QStringLiteral("source")).toString(), QStringLiteral("sse"));
        QCOMPARE(replayed[i].value(QStringLiteral("source")).toString(), QStringLiteral("replay"));
        QJsonObject a = live[i];
        QJsonObject b = replayed[i];
        a.remove(QStringLiteral("source"));
        b.remove(QStringLiteral("source"));
        QCOMPARE(b, a); // id, version, arrival (ms), lag, schema, tags, updated_at
    }

    // The file holds every delivery (pings too) with nanosecond arrivals, and the header.
    QString error;
    auto reader = SessionReader::open(m_session, &error);
    QVERIFY2(reader, qPrintable(error));
    QCOMPARE(reader->problems(), QStringList());
    QVERIFY(reader->eventCount() > live.size()); // + pings
    QCOMPARE(reader->header().serverUrl, m_sim.url().toString());
    QCOMPARE(reader->header().appVersion, QStringLiteral(RCRT_VERSION));
    QVERIFY(reader->header().clockOffsetNs.has_value());
    QVERIFY(reader->header().startNs <= reader->firstArrivalNs());
    QVERIFY(!reader->log().isEmpty());
    QCOMPARE(reader->log().first().kind, SessionLogKind::Connect);
    QVERIFY(!QFileInfo::exists(m_session + QStringLiteral("-wal"))); // one self-contained file
}

// At --speed 4 a recording of ~2 s takes at least its span / 4 (a lower bound only: the
// machine may be slower, never faster).
void TestTapRecord::replayHonoursTheRecordedPace()
{
    auto reader = SessionReader::open(m_session, nullptr);
    QVERIFY(reader);
    const double spanS = double(reader->lastArrivalNs() - reader->firstArrivalNs()) / 1e9;
    QVERIFY(spanS > 1.0);
    QElapsedTimer timer;
    timer.start();
    const auto rep = runTap({QStringLiteral("--json"), QStringLiteral("replay"), m_session,
                             QStringLiteral("--speed"), QStringLiteral("4")});
    QCOMPARE(rep.exitCode, 0);
    QVERIFY(double(timer.elapsed()) / 1000 >= spanS / 4 * 0.95);
    QCOMPARE(rep.out, runTap({QStringLiteral("--json"), QStringLiteral("replay"), m_session,
                              QStringLiteral("--speed"), QStringLiteral("max")}).out);
}

void TestTapRecord::exportImportExportIsIdentical()
{
    const QString a = m_dir.filePath(QStringLiteral("a.jsonl"));
    const QString b = m_dir.filePath(QStringLiteral("b.rcrtsession"));
    auto r = runTap({QStringLiteral("export"), m_session, QStringLiteral("--jsonl"), QStringLiteral("-o"), a});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QByteArray first = readAll(a);
    QVERIFY(first.startsWith("{\"type\":\"session\",\"format_version\":1,"));
    r = runTap({QStringLiteral("import"), a, QStringLiteral("-o"), b});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.err.contains("from JSON Lines"));
    r = runTap({QStringLiteral("export"), b, QStringLiteral("--jsonl")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, first);
    // stdin works too, and the replay of the imported file is the replay of the original.
    const QString c = m_dir.filePath(QStringLiteral("c.rcrtsession"));
    r = runTap({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("-o"), c}, 30000, first);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(runTap({QStringLiteral("--json"), QStringLiteral("replay"), c, QStringLiteral("--speed"),
                     QStringLiteral("max")}).out,
             runTap({QStringLiteral("--json"), QStringLiteral("replay"), m_session, QStringLiteral("--speed"),
                     QStringLiteral("max")}).out);
}

// A `curl -N` capture has no arrival times: each payload arrives at its updated_at (pings at
// their ts), so every breadcrumb replays with lag 0.
void TestTapRecord::importsAnSseCapture()
{
    const QString capture = rcrt::test::testDataPath(QStringLiteral("sse/rcrt-sample.sse"));
    const QString out = m_dir.filePath(QStringLiteral("capture.rcrtsession"));
    auto r = runTap({QStringLiteral("import"), capture, QStringLiteral("-o"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY(r.err.contains("from an SSE capture"));
    auto reader = SessionReader::open(out, nullptr);
    QVERIFY(reader);
    qsizetype dataLines = 0;
    for (const QByteArray &line : readAll(capture).split('\n'))
        dataLines += line.startsWith("data: ") ? 1 : 0;
    QCOMPARE(reader->eventCount(), dataLines);
    QVERIFY(reader->header().note.contains(QStringLiteral("SSE capture")));
    r = runTap({QStringLiteral("--json"), QStringLiteral("replay"), out, QStringLiteral("--speed"),
                QStringLiteral("max"), QStringLiteral("--pings")});
    QCOMPARE(r.exitCode, 0);
    const auto lines = jsonLines(r.out);
    QVERIFY(lines.size() > 10);
    qint64 previous = 0;
    for (const QJsonObject &line : lines) {
        if (line.value(QStringLiteral("type")) == QStringLiteral("ping"))
            continue;
        QCOMPARE(line.value(QStringLiteral("lag_ms")).toDouble(), 0.0);
        Q_UNUSED(previous);
    }
    QCOMPARE(lines.first().value(QStringLiteral("type")).toString(), QStringLiteral("ping"));
    QCOMPARE(lines.first().value(QStringLiteral("arrived_at")).toString(),
             QStringLiteral("2025-11-07T10:29:58.000Z"));
}

// kill -9 while recording: the file opens with everything up to the last commit (≤ 250 ms
// before the kill), and the reader leaves the crashed recording's -wal as it found it.
void TestTapRecord::crashKeepsEverythingCommitted()
{
    const QString path = m_dir.filePath(QStringLiteral("crash.rcrtsession"));
    QProcess tap;
    tap.start(rcrt::test::tapPath(), {QStringLiteral("--url"), m_sim.url().toString(),
                                      QStringLiteral("record"), QStringLiteral("-o"), path});
    QVERIFY(tap.waitForStarted());
    qint64 seen = 0;
    QDeadlineTimer deadline(20000);
    while (seen < 200 && !deadline.hasExpired()) {
        QTest::qWait(100);
        if (auto r = SessionReader::open(path, nullptr))
            seen = r->eventCount();
    }
    QVERIFY2(seen >= 200, tap.readAllStandardError().constData());
    tap.kill();
    QVERIFY(tap.waitForFinished());
    const QString wal = path + QStringLiteral("-wal");
    QVERIFY(QFileInfo::exists(wal));
    const QByteArray mainBefore = readAll(path);
    const QByteArray walBefore = readAll(wal);

    QString error;
    auto reader = SessionReader::open(path, &error);
    QVERIFY2(reader, qPrintable(error));
    QCOMPARE(reader->problems(), QStringList());
    QVERIFY(reader->eventCount() >= seen);
    QCOMPARE(reader->header().serverUrl, m_sim.url().toString());
    const auto events = reader->readEvents(0, reader->eventCount());
    QCOMPARE(events.size(), reader->eventCount());
    for (const StreamEvent &e : events)
        QVERIFY(QJsonDocument::fromJson(e.raw).isObject());
    reader.reset();
    QCOMPARE(readAll(path), mainBefore);
    QCOMPARE(readAll(wal), walBefore);
    // And the tools work on it as on any session.
    const auto rep = runTap({QStringLiteral("replay"), path, QStringLiteral("--speed"), QStringLiteral("max")});
    QCOMPARE(rep.exitCode, 0);
}

void TestTapRecord::neverStoresTheToken()
{
    const QByteArray token = "tok-7f3a9c1e5b2d4f6a8c0e";
    const QString path = m_dir.filePath(QStringLiteral("token.rcrtsession"));
    QUrl url = m_sim.url();
    url.setUserInfo(QStringLiteral("operator:pass-5e4d3c"));
    const auto rec = runTap({QStringLiteral("--url"), url.toString(), QStringLiteral("--token"),
                             QString::fromLatin1(token), QStringLiteral("record"), QStringLiteral("-o"), path,
                             QStringLiteral("--duration"), QStringLiteral("1")});
    QVERIFY2(rec.exitCode == 0, rec.err.constData());
    const QByteArray bytes = readAll(path);
    QVERIFY(bytes.size() > 4096);
    QVERIFY(!bytes.contains(token));
    QVERIFY(!bytes.contains("pass-5e4d3c"));
    const auto exported = runTap({QStringLiteral("export"), path, QStringLiteral("--jsonl")});
    QVERIFY(!exported.out.contains(token));
    QVERIFY(!exported.out.contains("pass-5e4d3c"));
}

void TestTapRecord::badInput()
{
    // record: -o missing; an existing file is never overwritten.
    auto r = runTap({QStringLiteral("record")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("-o FILE is required"));
    const QByteArray before = readAll(m_session);
    r = runTap({QStringLiteral("--url"), m_sim.url().toString(), QStringLiteral("record"), QStringLiteral("-o"),
                m_session, QStringLiteral("--duration"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("a session is never overwritten"));
    QCOMPARE(readAll(m_session), before);

    // replay: missing file, bad speed, not a session.
    r = runTap({QStringLiteral("replay"), m_dir.filePath(QStringLiteral("nope"))});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("cannot open"));
    r = runTap({QStringLiteral("replay"), m_session, QStringLiteral("--speed"), QStringLiteral("fast")});
    QCOMPARE(r.exitCode, 2);
    const QString text = m_dir.filePath(QStringLiteral("notes.txt"));
    {
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\n");
    }
    r = runTap({QStringLiteral("replay"), text});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("not a session file"));

    // import: unknown input, a bad JSON line (named, nothing left behind), no header.
    const QString out = m_dir.filePath(QStringLiteral("never.rcrtsession"));
    r = runTap({QStringLiteral("import"), text, QStringLiteral("-o"), out});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.contains("neither JSON Lines"));
    QVERIFY(!QFileInfo::exists(out));
    const QByteArray good = runTap({QStringLiteral("export"), m_session, QStringLiteral("--jsonl")}).out;
    QList<QByteArray> lines = good.split('\n');
    lines[5] = "{\"type\":\"event\",\"arrived_at\":\"yesterday\"";
    r = runTap({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("-o"), out}, 30000, lines.join('\n'));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("line 6: not JSON"), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));
    r = runTap({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("-o"), out}, 30000,
               lines.mid(1).join('\n'));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("line 1: the first line must be the session header"), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));
    // export: a format must be named.
    r = runTap({QStringLiteral("export"), m_session});
    QCOMPARE(r.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestTapRecord)
#include "tst_tap_record.moc"
