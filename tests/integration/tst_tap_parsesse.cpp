// `rcrt-tap parse-sse` as a user runs it: the real binary over the fixtures in tests/data/sse,
// in several chunkings, from a file and from stdin; output compared with a hand-written golden
// file and, for the RCRT capture, with the capture's own data lines.

#include "support/simprocess.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using rcrt::test::runTap;
using rcrt::test::testDataPath;

namespace {

QByteArray readData(const QString &name)
{
    QFile file(testDataPath(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void addChunkings()
{
    QTest::addColumn<QStringList>("chunking");
    QTest::newRow("default 64 KiB") << QStringList{};
    QTest::newRow("--chunk 1") << QStringList{QStringLiteral("--chunk"), QStringLiteral("1")};
    QTest::newRow("--chunk 7") << QStringList{QStringLiteral("--chunk"), QStringLiteral("7")};
    QTest::newRow("--chunk=300") << QStringList{QStringLiteral("--chunk=300")};
    QTest::newRow("random:1") << QStringList{QStringLiteral("--chunk"), QStringLiteral("random:1")};
    QTest::newRow("random:42")
        << QStringList{QStringLiteral("--chunk"), QStringLiteral("random:42")};
    QTest::newRow("random:4242")
        << QStringList{QStringLiteral("--chunk"), QStringLiteral("random:4242")};
}

} // namespace

class TestTapParseSse : public QObject
{
    Q_OBJECT
private slots:
    void edgeCasesMatchGolden_data() { addChunkings(); }
    void edgeCasesMatchGolden();
    void rcrtCaptureGivesItsDataLines_data() { addChunkings(); }
    void rcrtCaptureGivesItsDataLines();
    void readsStdin_data();
    void readsStdin();
    void overLimitLineReportedOnStderr();
    void badArguments_data();
    void badArguments();
    void help();
};

void TestTapParseSse::edgeCasesMatchGolden()
{
    QFETCH(QStringList, chunking);
    const QByteArray golden = readData(QStringLiteral("sse/edge-cases.expected.jsonl"));
    QVERIFY(!golden.isEmpty());
    const auto result = runTap(QStringList{QStringLiteral("parse-sse"),
                                           testDataPath(QStringLiteral("sse/edge-cases.sse"))}
                               + chunking);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, golden);
    // Every line is a JSON object on its own (control characters escaped, UTF-8 intact).
    for (const QByteArray &line : result.out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        QVERIFY2(QJsonDocument::fromJson(line, &error).isObject(), line.constData());
    }
}

// rcrt-sample.sse holds `data: <json>` frames only, so each event must be a "message" whose data
// is exactly the text after "data: ", with no id.
void TestTapParseSse::rcrtCaptureGivesItsDataLines()
{
    QFETCH(QStringList, chunking);
    const QByteArray capture = readData(QStringLiteral("sse/rcrt-sample.sse"));
    QList<QByteArray> dataLines;
    for (const QByteArray &line : capture.split('\n'))
        if (line.startsWith("data: "))
            dataLines.append(line.mid(6));
    QCOMPARE(dataLines.size(), 20);

    const auto result = runTap(QStringList{QStringLiteral("parse-sse"),
                                           testDataPath(QStringLiteral("sse/rcrt-sample.sse"))}
                               + chunking);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(result.exitCode, 0);
    QList<QByteArray> lines = result.out.split('\n');
    QCOMPARE(lines.takeLast(), QByteArray()); // output ends with a newline
    QCOMPARE(lines.size(), dataLines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        QVERIFY2(line.startsWith("{\"type\":\"message\",\"data\":"), line.constData());
        QVERIFY2(line.endsWith(",\"id\":\"\"}"), line.constData());
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.size(), 3);
        QCOMPARE(object.value(QLatin1String("data")).toString(),
                 QString::fromUtf8(dataLines.at(i)));
    }
}

void TestTapParseSse::readsStdin_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("-") << QStringList{QStringLiteral("parse-sse"), QStringLiteral("-")};
    QTest::newRow("no file") << QStringList{QStringLiteral("parse-sse")};
    QTest::newRow("- with --chunk 5")
        << QStringList{QStringLiteral("parse-sse"), QStringLiteral("-"), QStringLiteral("--chunk"),
                       QStringLiteral("5")};
}

void TestTapParseSse::readsStdin()
{
    QFETCH(QStringList, args);
    const QByteArray input = readData(QStringLiteral("sse/edge-cases.sse"));
    const auto result = runTap(args, 30000, input);
    QCOMPARE(result.err, QByteArray());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, readData(QStringLiteral("sse/edge-cases.expected.jsonl")));
}

void TestTapParseSse::overLimitLineReportedOnStderr()
{
    const QByteArray input = "data: before\n\ndata: " + QByteArray(17 * 1024 * 1024, 'x')
        + "\ndata: skipped\n\ndata: after\n\n";
    const auto result = runTap({QStringLiteral("parse-sse")}, 60000, input);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QByteArray("parse-sse: SSE line exceeds 16777216 bytes; event skipped\n"));
    QCOMPARE(result.out, QByteArray("{\"type\":\"message\",\"data\":\"before\",\"id\":\"\"}\n"
                                    "{\"type\":\"message\",\"data\":\"after\",\"id\":\"\"}\n"));
}

void TestTapParseSse::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    const QString file = testDataPath(QStringLiteral("sse/edge-cases.sse"));
    QTest::newRow("--chunk 0") << QStringList{file, QStringLiteral("--chunk"), QStringLiteral("0")};
    QTest::newRow("--chunk abc")
        << QStringList{file, QStringLiteral("--chunk"), QStringLiteral("abc")};
    QTest::newRow("--chunk without value") << QStringList{file, QStringLiteral("--chunk")};
    QTest::newRow("random without seed")
        << QStringList{file, QStringLiteral("--chunk"), QStringLiteral("random:")};
    QTest::newRow("unknown option") << QStringList{file, QStringLiteral("--bogus")};
    QTest::newRow("two files") << QStringList{file, file};
    QTest::newRow("missing file")
        << QStringList{testDataPath(QStringLiteral("sse/does-not-exist.sse"))};
}

void TestTapParseSse::badArguments()
{
    QFETCH(QStringList, args);
    const auto result = runTap(QStringList{QStringLiteral("parse-sse")} + args);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith("parse-sse: "), result.err.constData());
    QCOMPARE(result.out, QByteArray());
}

void TestTapParseSse::help()
{
    const auto result = runTap({QStringLiteral("parse-sse"), QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.startsWith("usage: rcrt-tap parse-sse"));
}

QTEST_GUILESS_MAIN(TestTapParseSse)
#include "tst_tap_parsesse.moc"
