// `rcrt-tap ingest` (issue 7) on small captures from tests/bench/gen_capture: the counts it
// reports match what the generator wrote, and bad input gets a clear error without losing the
// good events around it. Speed is the benchmark's business (tests/bench/run.sh), not this test's.

#include "support/simprocess.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

namespace {

// Built beside rcrt-tap in the same tree: <build>/app/rcrt-tap, <build>/tests/bench/gen_capture.
QString genCapturePath()
{
    const QByteArray env = qgetenv("RCRT_GEN_CAPTURE");
    if (!env.isEmpty())
        return QString::fromLocal8Bit(env);
    return QFileInfo(test::tapPath()).absolutePath() + QStringLiteral("/../tests/bench/gen_capture");
}

struct Generated
{
    QJsonObject summary; // what gen_capture says it wrote
    QByteArray bytes;
};

// Runs gen_capture into `path`; the summary comes on stderr.
bool generate(const QString &path, int events, int seed, Generated &out, QString &error)
{
    QProcess gen;
    gen.start(genCapturePath(), {QStringLiteral("--events"), QString::number(events), QStringLiteral("--seed"),
                                 QString::number(seed), QStringLiteral("--out"), path});
    if (!gen.waitForFinished(60000) || gen.exitStatus() != QProcess::NormalExit || gen.exitCode() != 0) {
        error = QStringLiteral("gen_capture (%1) failed: %2 %3")
                    .arg(genCapturePath(), gen.errorString(), QString::fromUtf8(gen.readAllStandardError()));
        return false;
    }
    out.summary = QJsonDocument::fromJson(gen.readAllStandardError()).object();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return false;
    }
    out.bytes = file.readAll();
    return true;
}

QJsonObject lastJsonLine(const QByteArray &out)
{
    return QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
}

} // namespace

class TestTapIngest : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    void writeFile(const QString &file, const QByteArray &bytes)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(bytes), bytes.size());
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void countsMatchTheCapture()
    {
        Generated gen;
        QString error;
        QVERIFY2(generate(path("small.sse"), 3000, 7, gen, error), qPrintable(error));
        const qint64 breadcrumbs = gen.summary.value(QStringLiteral("breadcrumbs")).toInteger();
        const qint64 pings = gen.summary.value(QStringLiteral("pings")).toInteger();
        QCOMPARE(breadcrumbs, 3000);
        QVERIFY(pings >= 1); // one at the start, then every 5 s of simulated time
        QCOMPARE(gen.summary.value(QStringLiteral("bytes")).toInteger(), gen.bytes.size());
        // Cross-check the generator's own counts against its bytes.
        QCOMPARE(gen.bytes.count("\ndata: ") + 1, breadcrumbs + pings);
        QCOMPARE(gen.bytes.count("\"type\":\"ping\""), pings);

        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("small.sse"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.isEmpty(), r.err.constData());
        const QJsonObject o = lastJsonLine(r.out);
        QCOMPARE(o.value(QStringLiteral("events")).toInteger(), breadcrumbs + pings);
        QCOMPARE(o.value(QStringLiteral("breadcrumbs")).toInteger(), breadcrumbs); // every (id, version) once
        QCOMPARE(o.value(QStringLiteral("held")).toInteger(), breadcrumbs);
        QCOMPARE(o.value(QStringLiteral("pings")).toInteger(), pings);
        QCOMPARE(o.value(QStringLiteral("repeats")).toInteger(), 0);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 0);
        QCOMPARE(o.value(QStringLiteral("bytes")).toInteger(), gen.bytes.size());
        QCOMPARE(o.value(QStringLiteral("payload_bytes")).toInteger(),
                 gen.summary.value(QStringLiteral("payload_bytes")).toInteger());
        QVERIFY(o.value(QStringLiteral("seconds")).toDouble() > 0);
        QVERIFY(o.value(QStringLiteral("events_per_s")).toInteger() > 0);
        QVERIFY(o.value(QStringLiteral("peak_rss_bytes")).toInteger() > gen.bytes.size()); // it holds them all

        // The same capture from stdin, and the text report.
        const test::TapResult piped = test::runTap({QStringLiteral("ingest"), QStringLiteral("-")}, 30000, gen.bytes);
        QCOMPARE(piped.exitCode, 0);
        const QByteArray expected = QByteArray("events:        ").append(QByteArray::number(breadcrumbs + pings));
        QVERIFY2(piped.out.contains(expected), piped.out.constData());
        QVERIFY(piped.out.contains("peak RSS:"));
    }

    void generatorIsDeterministicBySeed()
    {
        Generated a, b, c;
        QString error;
        QVERIFY2(generate(path("a.sse"), 500, 11, a, error), qPrintable(error));
        QVERIFY2(generate(path("b.sse"), 500, 11, b, error), qPrintable(error));
        QVERIFY2(generate(path("c.sse"), 500, 12, c, error), qPrintable(error));
        QCOMPARE(a.bytes, b.bytes);
        QVERIFY(a.bytes != c.bytes);
        // Both key orders of §3.4: create payloads end with type, updates start with it.
        QVERIFY(a.bytes.contains("data: {\"breadcrumb_id\":"));
        QVERIFY(a.bytes.contains("data: {\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":"));
    }

    void missingFileIsAClearError()
    {
        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("no-such-file.sse")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot open") && r.err.contains("no-such-file.sse"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void noFileIsAUsageError()
    {
        const test::TapResult r = test::runTap({QStringLiteral("ingest")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no capture file given"), r.err.constData());
    }

    void emptyFileIsAClearError()
    {
        writeFile(path("empty.sse"), {});
        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("empty.sse")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("is empty"), r.err.constData());
    }

    void jsonLinesAreNotSse()
    {
        // A JSON Lines export is not a raw capture: no `data:` field, so no event at all.
        writeFile(path("lines.jsonl"), "{\"type\":\"ping\",\"ts\":\"2025-11-07T10:30:05Z\"}\n"
                                       "{\"type\":\"ping\",\"ts\":\"2025-11-07T10:30:10Z\"}\n");
        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("lines.jsonl"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not a raw SSE capture"), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void sseWithoutRcrtJsonIsRejected()
    {
        writeFile(path("html.sse"), "data: <html>502 Bad Gateway</html>\n\ndata: not json\n\n");
        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("html.sse"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("not an RCRT stream capture"), r.err.constData());
        QCOMPARE(lastJsonLine(r.out).value(QStringLiteral("rejected")).toInteger(), 2);
    }

    void garbageAmongEventsLosesNothingElse()
    {
        Generated gen;
        QString error;
        QVERIFY2(generate(path("mixed.sse"), 200, 3, gen, error), qPrintable(error));
        const qint64 good = gen.summary.value(QStringLiteral("events")).toInteger();
        // A proxy's error page in the middle, a duplicate of the first frame, and a cut-off
        // last event (no blank line: the WHATWG parser never dispatches it).
        const qsizetype middle = gen.bytes.indexOf("\n\ndata: ", gen.bytes.size() / 2) + 2;
        const qsizetype firstEnd = gen.bytes.indexOf("\n\n") + 2;
        QByteArray bytes = gen.bytes.left(middle) + "data: <html>502</html>\n\n" + gen.bytes.mid(middle);
        bytes += gen.bytes.left(firstEnd);
        bytes += "data: {\"type\":\"ping\",\"ts\":\"2025-11-07T10:40:00Z\"}";
        writeFile(path("mixed.sse"), bytes);

        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("mixed.sse"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("1 of") && r.err.contains("rejected"), r.err.constData());
        const QJsonObject o = lastJsonLine(r.out);
        QCOMPARE(o.value(QStringLiteral("events")).toInteger(), good + 2);
        QCOMPARE(o.value(QStringLiteral("rejected")).toInteger(), 1);
        QCOMPARE(o.value(QStringLiteral("breadcrumbs")).toInteger(), 200);
        QCOMPARE(o.value(QStringLiteral("pings")).toInteger() + o.value(QStringLiteral("repeats")).toInteger()
                     + 200 + 1,
                 good + 2);
    }

    void unknownOptionIsAUsageError()
    {
        const test::TapResult r = test::runTap({QStringLiteral("ingest"), path("x.sse"), QStringLiteral("--fast")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown option '--fast'"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTapIngest)
#include "tst_tap_ingest.moc"
