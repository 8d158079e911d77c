// WHATWG event-stream interpretation rules: line ends, fields, dispatch, id and retry. Every
// row runs whole, byte by byte and in random chunks (tst_sseparser_harness.h).

#include "tst_sseparser_harness.h"

#include <QTest>

using namespace rcrt;
using namespace rcrt::ssetest;

class TestSseParser : public QObject
{
    Q_OBJECT
private slots:
    void lineEnds_data();
    void lineEnds();
    void crAtChunkEndJoinsLfOfNextChunk();
    void fields_data();
    void fields();
    void dispatch_data();
    void dispatch();
    void lastEventId_data();
    void lastEventId();
    void lastEventIdAccessor();
    void retryField_data();
    void retryField();
    void handlersMayBeEmpty();
    void bytesFedCountsEveryByte();
};

static void addColumns()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("expected");
}

void TestSseParser::lineEnds_data()
{
    addColumns();
    QTest::newRow("LF") << QByteArray("data: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("CRLF") << QByteArray("data: a\r\n\r\n") << QByteArrayList{msg("a")};
    QTest::newRow("CR") << QByteArray("data: a\r\r") << QByteArrayList{msg("a")};
    QTest::newRow("mixed in one event")
        << QByteArray("data: a\rdata: b\ndata: c\r\n\n") << QByteArrayList{msg("a\nb\nc")};
    QTest::newRow("CRLF line then CR empty line")
        << QByteArray("data: a\r\n\r") << QByteArrayList{msg("a")};
    QTest::newRow("LF then CR are two line ends")
        << QByteArray("data: a\n\rdata: b\n\n") << QByteArrayList{msg("a"), msg("b")};
    QTest::newRow("CR then CRLF are two line ends")
        << QByteArray("data: a\r\r\ndata: b\r\n\r\n") << QByteArrayList{msg("a"), msg("b")};
    QTest::newRow("CRLF is one line end")
        << QByteArray("data: a\r\ndata: b\r\n\r\n") << QByteArrayList{msg("a\nb")};
    QTest::newRow("CR inside a value ends the line")
        << QByteArray("data: a\rb\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("runs of empty lines")
        << QByteArray("\n\n\r\n\r\rdata: x\n\n\n\r\n\r") << QByteArrayList{msg("x")};
    QTest::newRow("CR-only stream")
        << QByteArray("data: 1\r\rdata: 2\r\rdata: 3\r\r")
        << QByteArrayList{msg("1"), msg("2"), msg("3")};
}

void TestSseParser::lineEnds()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

// If the CR ending one chunk and the LF starting the next were two line ends, the empty line
// between them would dispatch "a" on its own.
void TestSseParser::crAtChunkEndJoinsLfOfNextChunk()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("data: a\r");
    parser.feed("\ndata: b\r");
    QVERIFY(log.isEmpty());
    parser.feed("\n\r");
    QCOMPARE(log, QByteArrayList{msg("a\nb")});
    parser.feed("\n"); // the LF of the CRLF above, not another empty line
    parser.feed("data: c\r");
    parser.feed("\r");
    QCOMPARE(log, (QByteArrayList{msg("a\nb"), msg("c")}));
}

void TestSseParser::fields_data()
{
    addColumns();
    QTest::newRow("comment") << QByteArray(":hello\ndata: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("comment with colons and data text")
        << QByteArray(":data: no\n: data: no\ndata: yes\n\n") << QByteArrayList{msg("yes")};
    QTest::newRow("comment-only block is not an event")
        << QByteArray(": ping\n\n:\n\n") << QByteArrayList{};
    QTest::newRow("no colon: whole line is the field, value empty")
        << QByteArray("data\n\n") << QByteArrayList{msg("")};
    QTest::newRow("no colon: unknown field ignored")
        << QByteArray("foo\ndata: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("one space removed, second kept")
        << QByteArray("data:  x\n\n") << QByteArrayList{msg(" x")};
    QTest::newRow("no space after colon") << QByteArray("data:x\n\n") << QByteArrayList{msg("x")};
    QTest::newRow("tab is not removed")
        << QByteArray("data:\tx\n\n") << QByteArrayList{msg("\tx")};
    QTest::newRow("trailing spaces kept")
        << QByteArray("data: x  \n\n") << QByteArrayList{msg("x  ")};
    QTest::newRow("value split at the first colon only")
        << QByteArray("data: a:b: c\n\n") << QByteArrayList{msg("a:b: c")};
    QTest::newRow("multi-line data")
        << QByteArray("data: a\ndata: b\ndata:\ndata: c\n\n") << QByteArrayList{msg("a\nb\n\nc")};
    QTest::newRow("field names are case-sensitive")
        << QByteArray("Data: x\nDATA: y\ndata: z\n\n") << QByteArrayList{msg("z")};
    QTest::newRow("space before colon makes another field")
        << QByteArray("data : x\n\n") << QByteArrayList{};
    QTest::newRow("leading space makes another field")
        << QByteArray(" data: x\n\n") << QByteArrayList{};
    QTest::newRow("unknown fields ignored")
        << QByteArray("foo: bar\nevents: x\nidx: 3\nretryx: 5\ndata: a\n\n")
        << QByteArrayList{msg("a")};
    QTest::newRow("event type")
        << QByteArray("event: add\ndata: 1\n\n") << QByteArrayList{ev("add", "1")};
    QTest::newRow("event type keeps spaces after the first")
        << QByteArray("event:  a b \ndata: 1\n\n") << QByteArrayList{ev(" a b ", "1")};
    QTest::newRow("empty event type means message")
        << QByteArray("event:\ndata: 1\n\n") << QByteArrayList{msg("1")};
    QTest::newRow("last event field wins")
        << QByteArray("event: a\nevent: b\ndata: 1\n\n") << QByteArrayList{ev("b", "1")};
    QTest::newRow("event field after data still applies")
        << QByteArray("data: 1\nevent: late\n\n") << QByteArrayList{ev("late", "1")};
}

void TestSseParser::fields()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParser::dispatch_data()
{
    addColumns();
    QTest::newRow("data: alone dispatches an empty event")
        << QByteArray("data:\n\n") << QByteArrayList{msg("")};
    QTest::newRow("data: with a space dispatches an empty event")
        << QByteArray("data: \n\n") << QByteArrayList{msg("")};
    QTest::newRow("two empty data lines give one LF")
        << QByteArray("data\ndata\n\n") << QByteArrayList{msg("\n")};
    QTest::newRow("only one trailing LF removed")
        << QByteArray("data: a\ndata:\n\n") << QByteArrayList{msg("a\n")};
    QTest::newRow("block without data is not dispatched and resets the type")
        << QByteArray("event: x\n\ndata: y\n\n") << QByteArrayList{msg("y")};
    QTest::newRow("event type reset after dispatch")
        << QByteArray("event: add\ndata: 1\n\ndata: 2\n\n")
        << QByteArrayList{ev("add", "1"), msg("2")};
    QTest::newRow("data buffer reset after dispatch")
        << QByteArray("data: 1\n\ndata: 2\n\n") << QByteArrayList{msg("1"), msg("2")};
    QTest::newRow("unterminated final block is not dispatched")
        << QByteArray("data: a\n\ndata: b\n") << QByteArrayList{msg("a")};
    QTest::newRow("unterminated final line is not dispatched")
        << QByteArray("data: a\n\ndata: b") << QByteArrayList{msg("a")};
    QTest::newRow("final CR ends the line but is no empty line")
        << QByteArray("data: a\r") << QByteArrayList{};
    QTest::newRow("RCRT frames")
        << QByteArray("data: {\"type\":\"ping\",\"ts\":\"2025-11-07T10:29:58Z\"}\n\n"
                      "data: {\"type\":\"breadcrumb.updated\",\"version\":2}\n\n")
        << QByteArrayList{msg("{\"type\":\"ping\",\"ts\":\"2025-11-07T10:29:58Z\"}"),
                          msg("{\"type\":\"breadcrumb.updated\",\"version\":2}")};
}

void TestSseParser::dispatch()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParser::lastEventId_data()
{
    addColumns();
    QTest::newRow("id set") << QByteArray("id: 7\ndata: a\n\n") << QByteArrayList{msg("a", "7")};
    QTest::newRow("id persists across events")
        << QByteArray("id: 7\ndata: a\n\ndata: b\n\n")
        << QByteArrayList{msg("a", "7"), msg("b", "7")};
    QTest::newRow("id without colon resets to empty")
        << QByteArray("id: 7\ndata: a\n\nid\ndata: b\n\n")
        << QByteArrayList{msg("a", "7"), msg("b", "")};
    QTest::newRow("empty id value resets to empty")
        << QByteArray("id: 7\ndata: a\n\nid:\ndata: b\n\n")
        << QByteArrayList{msg("a", "7"), msg("b", "")};
    QTest::newRow("id containing NUL is ignored")
        << bytes("id: 7\ndata: a\n\nid: 8\0x\ndata: b\n\n")
        << QByteArrayList{msg("a", "7"), msg("b", "7")};
    QTest::newRow("id that is only NUL is ignored")
        << bytes("id: 7\nid:\0\ndata: a\n\n") << QByteArrayList{msg("a", "7")};
    QTest::newRow("NUL in data is kept")
        << bytes("data: a\0b\n\n") << QByteArrayList{msg(bytes("a\0b"))};
    QTest::newRow("id set in a block without data persists")
        << QByteArray("id: 3\n\ndata: a\n\n") << QByteArrayList{msg("a", "3")};
    QTest::newRow("id after data in the same block applies")
        << QByteArray("data: a\nid: 9\n\n") << QByteArrayList{msg("a", "9")};
    QTest::newRow("id keeps inner and trailing spaces")
        << QByteArray("id:  x y \ndata: a\n\n") << QByteArrayList{msg("a", " x y ")};
    QTest::newRow("id is UTF-8")
        << QByteArray("id: \xC3\xA9\ndata: a\n\n") << QByteArrayList{msg("a", "\xC3\xA9")};
}

void TestSseParser::lastEventId()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParser::lastEventIdAccessor()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    QCOMPARE(parser.lastEventId(), QByteArray());
    parser.feed("id: 42\n");
    QCOMPARE(parser.lastEventId(), QByteArray("42")); // the buffer, before any dispatch
    parser.feed(bytes("id: 4\x00" "3\n"));
    QCOMPARE(parser.lastEventId(), QByteArray("42"));
    parser.feed("id\n");
    QCOMPARE(parser.lastEventId(), QByteArray(""));
    QVERIFY(log.isEmpty());
}

void TestSseParser::retryField_data()
{
    addColumns();
    QTest::newRow("digits") << QByteArray("retry: 1000\n") << QByteArrayList{retry(1000)};
    QTest::newRow("no space") << QByteArray("retry:5\n") << QByteArrayList{retry(5)};
    QTest::newRow("zero") << QByteArray("retry: 0\n") << QByteArrayList{retry(0)};
    QTest::newRow("leading zeros") << QByteArray("retry: 007\n") << QByteArrayList{retry(7)};
    QTest::newRow("largest qint64")
        << QByteArray("retry: 9223372036854775807\n")
        << QByteArrayList{retry(std::numeric_limits<qint64>::max())};
    QTest::newRow("overflow ignored") << QByteArray("retry: 9223372036854775808\n")
                                      << QByteArrayList{};
    QTest::newRow("far overflow ignored")
        << QByteArray("retry: 123456789012345678901234567890\n") << QByteArrayList{};
    QTest::newRow("10a ignored") << QByteArray("retry: 10a\n") << QByteArrayList{};
    QTest::newRow("-1 ignored") << QByteArray("retry: -1\n") << QByteArrayList{};
    QTest::newRow("+1 ignored") << QByteArray("retry: +1\n") << QByteArrayList{};
    QTest::newRow("empty after space ignored") << QByteArray("retry: \n") << QByteArrayList{};
    QTest::newRow("empty ignored") << QByteArray("retry:\n") << QByteArrayList{};
    QTest::newRow("no colon ignored") << QByteArray("retry\n") << QByteArrayList{};
    QTest::newRow("second space ignored") << QByteArray("retry:  10\n") << QByteArrayList{};
    QTest::newRow("trailing space ignored") << QByteArray("retry: 10 \n") << QByteArrayList{};
    QTest::newRow("decimal ignored") << QByteArray("retry: 1.5\n") << QByteArrayList{};
    QTest::newRow("non-ASCII digit ignored")
        << QByteArray("retry: \xEF\xBC\x91\n") << QByteArrayList{}; // U+FF11 FULLWIDTH ONE
    QTest::newRow("each retry reported")
        << QByteArray("retry: 1\nretry: x\nretry: 2\n") << QByteArrayList{retry(1), retry(2)};
    QTest::newRow("retry alone dispatches nothing")
        << QByteArray("retry: 5\n\n") << QByteArrayList{retry(5)};
    QTest::newRow("retry reported when seen, before the event")
        << QByteArray("data: a\nretry: 7\n\n") << QByteArrayList{retry(7), msg("a")};
}

void TestSseParser::retryField()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParser::handlersMayBeEmpty()
{
    SseParser parser({}, smallLimits(8, 8));
    parser.feed("retry: 5\ndata: a\n\ndata: 0123456789\n\n");
    QCOMPARE(parser.bytesFed(), qint64(9 + 9 + 18));
}

void TestSseParser::bytesFedCountsEveryByte()
{
    QByteArrayList log;
    SseParser parser(recordInto(log));
    parser.feed("\xEF\xBB"); // a held-back BOM prefix counts as fed
    parser.feed("\xBF"
                "data: a\r");
    parser.feed("\n\n");
    QCOMPARE(parser.bytesFed(), qint64(3 + 8 + 2));
    QCOMPARE(log, QByteArrayList{msg("a")});
}

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
