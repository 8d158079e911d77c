// Bounded memory (over-limit lines and events are reported once, skipped to the next event
// boundary, and never buffered past the limit) and resetForNewStream().

#include "tst_sseparser_harness.h"

#include <QTest>

using namespace rcrt;
using namespace rcrt::ssetest;

class TestSseParserLimits : public QObject
{
    Q_OBJECT
private slots:
    void overLimit_data();
    void overLimit();
    void hundredMegabyteLineInChunks();
    void lineThatNeverEnds();
    void overLimitLineInOneHugeChunk();
    void eventOfManyLinesStaysBounded();
    void resetClearsPartialLineAndPendingEvent();
    void resetClearsEventType();
    void resetEndsSkipping();
    void resetAllowsBomAgain();
    void resetDuringPartialBom();
    void lastEventIdSurvivesReset();
};

static const QByteArray x100(100, 'x');

void TestSseParserLimits::overLimit_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("expected");
    const QByteArray x58(58, 'x'); // "data: " + 58 bytes = a 64-byte line
    QTest::newRow("line of exactly the limit is fine")
        << QByteArray("data: " + x58 + "\n\n") << QByteArrayList{msg(x58)};
    QTest::newRow("one byte over: reported, skipped, later events intact")
        << QByteArray("data: a\n\ndata: " + x58 + "y\ndata: z\n\ndata: b\n\n")
        << QByteArrayList{msg("a"), lineError(64), msg("b")};
    QTest::newRow("unterminated over-limit line at end of stream")
        << QByteArray("data: a\n\ndata: " + x100) << QByteArrayList{msg("a"), lineError(64)};
    QTest::newRow("over-limit comment counts too")
        << QByteArray(":" + x100 + "\n\ndata: b\n\n") << QByteArrayList{lineError(64), msg("b")};
    QTest::newRow("pending event and its type discarded")
        << QByteArray("event: t\nid: 1\ndata: a\n" + x100 + "\n\ndata: b\n\n")
        << QByteArrayList{lineError(64), msg("b", "1")};
    QTest::newRow("fields after the long line are skipped up to the empty line")
        << QByteArray(x100 + "\ndata: c\nid: 5\nretry: 9\n\ndata: d\n\n")
        << QByteArrayList{lineError(64), msg("d")};
    QTest::newRow("two long lines in one block: one report")
        << QByteArray(x100 + "\n" + x100 + "\n\ndata: b\n\n")
        << QByteArrayList{lineError(64), msg("b")};
    QTest::newRow("long lines in two blocks: two reports")
        << QByteArray(x100 + "\n\ndata: a\n\n" + x100 + "\n\ndata: b\n\n")
        << QByteArrayList{lineError(64), msg("a"), lineError(64), msg("b")};
    // If CRLF counted as two line ends, the skip would end early and "c" would be dispatched.
    QTest::newRow("resync on CRLF CRLF")
        << QByteArray("data: " + x100 + "\r\ndata: c\r\n\r\ndata: b\r\n\r\n")
        << QByteArrayList{lineError(64), msg("b")};
    QTest::newRow("resync on CR CR")
        << QByteArray("data: " + x100 + "\r\rdata: b\r\r")
        << QByteArrayList{lineError(64), msg("b")};

    const QByteArray x31(31, 'x'), x32(32, 'x');
    QTest::newRow("event data of exactly the limit is fine")
        << QByteArray("data: " + x32 + "\ndata: " + x31 + "\n\n")
        << QByteArrayList{msg(QByteArray(x32 + "\n" + x31))};
    QTest::newRow("event data one over: reported once, skipped, later events intact")
        << QByteArray("data: " + x32 + "\ndata: " + x32 + "\ndata: " + x32 + "\n\ndata: b\n\n")
        << QByteArrayList{eventError(64), msg("b")};
    QTest::newRow("event limit is per event")
        << QByteArray("data: " + x32 + "\n\ndata: " + x32 + "\n\ndata: " + x32 + "\n\n")
        << QByteArrayList{msg(x32), msg(x32), msg(x32)};
    QTest::newRow("event limit counts decoded bytes (U+FFFD is 3 bytes)")
        << QByteArray("data: " + QByteArray(30, '\xFF') + "\n\ndata: b\n\n")
        << QByteArrayList{eventError(64), msg("b")};
    QTest::newRow("event type whose decoded form outgrows a line")
        << QByteArray("event: " + QByteArray(40, '\xFF') + "\ndata: a\n\ndata: b\n\n")
        << QByteArrayList{lineError(64), msg("b")};
}

void TestSseParserLimits::overLimit()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected, smallLimits(64, 64));
}

// Default limits (16 MiB) against a 100 MB line in 64 KiB chunks: memory must stay within the
// limit after every chunk, the report comes once, and the stream is in step afterwards.
void TestSseParserLimits::hundredMegabyteLineInChunks()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    const SseParser::Limits limits;
    const QByteArray chunk(64 * 1024, 'x');
    parser.feed("data: ok\n\ndata: ");
    qsizetype peak = 0;
    for (int i = 0; i < 1600; ++i) {
        parser.feed(chunk);
        peak = std::max(peak, parser.bufferedBytes());
        QVERIFY2(parser.bufferedBytes() <= limits.maxLineBytes + 1024,
                 qPrintable(QString::number(parser.bufferedBytes())));
    }
    QVERIFY(peak > limits.maxLineBytes / 2); // it did buffer, up to the limit
    QCOMPARE(log, (QByteArrayList{msg("ok"), lineError(limits.maxLineBytes)}));
    QVERIFY(parser.bufferedBytes() < 1024);
    parser.feed("\n\ndata: after\n\n");
    QCOMPARE(log, (QByteArrayList{msg("ok"), lineError(limits.maxLineBytes), msg("after")}));
}

void TestSseParserLimits::lineThatNeverEnds()
{
    QByteArrayList log;
    SseParser parser(recordInto(log), smallLimits(4096, 4096));
    for (int i = 0; i < 100000; ++i) {
        parser.feed("0123456789abcdef");
        QVERIFY(parser.bufferedBytes() <= 4096 + 64);
    }
    QCOMPARE(log, QByteArrayList{lineError(4096)});
    QCOMPARE(parser.bytesFed(), qint64(1600000));
}

void TestSseParserLimits::overLimitLineInOneHugeChunk()
{
    QByteArrayList log;
    SseParser parser(recordInto(log), smallLimits(1024, 1024));
    const QByteArray input = "data: " + QByteArray(8 * 1024 * 1024, 'x') + "\n\ndata: b\n\n"
        + "data: " + QByteArray(4 * 1024 * 1024, 'y');
    parser.feed(input);
    QCOMPARE(log, (QByteArrayList{lineError(1024), msg("b"), lineError(1024)}));
    QVERIFY(parser.bufferedBytes() < 1024);
}

void TestSseParserLimits::eventOfManyLinesStaysBounded()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    const SseParser::Limits limits;
    const QByteArray line = "data: " + QByteArray(1000 * 1000, 'd') + "\n";
    for (int i = 0; i < 40; ++i) {
        parser.feed(line);
        QVERIFY2(parser.bufferedBytes() <= limits.maxEventBytes + 1024,
                 qPrintable(QString::number(parser.bufferedBytes())));
    }
    QCOMPARE(log, QByteArrayList{eventError(limits.maxEventBytes)});
    parser.feed("\ndata: after\n\n");
    QCOMPARE(log, (QByteArrayList{eventError(limits.maxEventBytes), msg("after")}));
}

void TestSseParserLimits::resetClearsPartialLineAndPendingEvent()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("data: a\ndata: par");
    parser.resetForNewStream();
    parser.feed("tial\n\n"); // "tial" alone is an unknown field; "a" must be gone
    QVERIFY(log.isEmpty());
    parser.feed("data: b\n\n");
    QCOMPARE(log, QByteArrayList{msg("b")});
}

void TestSseParserLimits::resetClearsEventType()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("event: t\n");
    parser.resetForNewStream();
    parser.feed("data: x\n\n");
    QCOMPARE(log, QByteArrayList{msg("x")});
}

void TestSseParserLimits::resetEndsSkipping()
{
    QByteArrayList log;
    SseParser parser(recordInto(log), smallLimits(64, 64));
    parser.feed(QByteArray("data: " + x100));
    parser.resetForNewStream();
    parser.feed("data: b\n\n");
    QCOMPARE(log, (QByteArrayList{lineError(64), msg("b")}));
}

void TestSseParserLimits::resetAllowsBomAgain()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("\xEF\xBB\xBF" "data: a\n\n");
    parser.resetForNewStream();
    parser.feed("\xEF\xBB");
    parser.feed("\xBF" "data: b\n\n");
    QCOMPARE(log, (QByteArrayList{msg("a"), msg("b")}));
}

void TestSseParserLimits::resetDuringPartialBom()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("\xEF\xBB"); // held back: a BOM or not is still undecided
    parser.resetForNewStream();
    parser.feed("data: c\n\n");
    QCOMPARE(log, QByteArrayList{msg("c")});
}

void TestSseParserLimits::lastEventIdSurvivesReset()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("id: 5\ndata: a\n\nid: 6\n");
    parser.resetForNewStream();
    QCOMPARE(parser.lastEventId(), QByteArray("6"));
    parser.feed("data: b\n\n");
    QCOMPARE(log, (QByteArrayList{msg("a", "5"), msg("b", "6")}));
}

QTEST_GUILESS_MAIN(TestSseParserLimits)
#include "tst_sseparser_limits.moc"
