// HttpResponseParser: every framing (Content-Length, chunked with extensions and trailers, the
// close), interim answers, bodies that HEAD/204/304 do not have, keep-alive rules, and the
// answers a broken or hostile server gives: each refused with a clear text and bounded memory.
// Every answer is also fed split at every byte, which must not change the result.
#include "net/httpresponseparser.h"

#include <QTest>

using rcrt::HttpLimits;
using rcrt::HttpResponseParser;
using State = rcrt::HttpResponseParser::State;

namespace {

struct Parsed
{
    State state = State::NeedMore;
    int status = 0;
    QByteArray body;
    bool keepAlive = false;
    QString error;
    qsizetype used = 0; // bytes that belonged to the answer
};

// The answer fed in two pieces split at `at` (-1: in one piece).
Parsed parse(const QByteArray &bytes, qsizetype at = -1, bool closeAtEnd = false, bool head = false,
             HttpLimits limits = {})
{
    HttpResponseParser parser(limits);
    parser.reset(head);
    Parsed out;
    const QByteArrayView view(bytes);
    out.used = parser.feed(at < 0 ? view : view.first(at));
    if (at >= 0 && parser.state() == State::NeedMore)
        out.used += parser.feed(view.sliced(at));
    if (closeAtEnd)
        parser.closed();
    out.state = parser.state();
    out.status = parser.status();
    out.body = parser.body();
    out.keepAlive = parser.keepAlive();
    out.error = parser.error();
    return out;
}

} // namespace

class TstHttpResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void framings_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("closeAtEnd");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("keepAlive");

        QTest::newRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n{\"id\":\"x\"}\n") << false
            << 200 << QByteArray("{\"id\":\"x\"}\n") << true;
        QTest::newRow("empty reason, bare LF lines")
            << QByteArray("HTTP/1.1 404\nContent-Length: 9\n\nnot found") << false << 404
            << QByteArray("not found") << true;
        QTest::newRow("zero length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                                     << false << 200 << QByteArray() << true;
        QTest::newRow("chunked, extensions, trailers")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5;name=value\r\nhello\r\nA\r\n, chunked!\r\n0\r\nX-Trailer: t\r\n\r\n")
            << false << 200 << QByteArray("hello, chunked!") << true;
        QTest::newRow("chunked upper-case hex")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                          "1F\r\n0123456789012345678901234567890\r\n0\r\n\r\n")
            << false << 200 << QByteArray("0123456789012345678901234567890") << true;
        QTest::newRow("body until close")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it") << true
            << 200 << QByteArray("all of it") << false;
        QTest::newRow("connection close")
            << QByteArray("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n"
                          "Content-Length: 4\r\n\r\nboom")
            << false << 500 << QByteArray("boom") << false;
        QTest::newRow("http/1.0 closes by default")
            << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok") << false << 200
            << QByteArray("ok") << false;
        QTest::newRow("http/1.0 keep-alive")
            << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"
                          "Content-Length: 2\r\n\r\nok")
            << false << 200 << QByteArray("ok") << true;
        QTest::newRow("100 continue first")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\n"
                          "Content-Length: 3\r\n\r\nnew")
            << false << 201 << QByteArray("new") << true;
        QTest::newRow("204 has no body")
            << QByteArray("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n") << false << 204
            << QByteArray() << true;
        QTest::newRow("both framings: chunked wins, no reuse")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: "
                          "chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")
            << false << 200 << QByteArray("ok") << false;
        QTest::newRow("same length twice")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
            << false << 200 << QByteArray("ok") << true;
    }
    void framings()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, closeAtEnd);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, keepAlive);
        const Parsed whole = parse(bytes, -1, closeAtEnd);
        QVERIFY2(whole.state == State::Done, qPrintable(whole.error));
        QCOMPARE(whole.status, status);
        QCOMPARE(whole.body, body);
        QCOMPARE(whole.keepAlive, keepAlive);
        QCOMPARE(whole.used, bytes.size());
        for (qsizetype at = 0; at <= bytes.size(); ++at) {
            const Parsed split = parse(bytes, at, closeAtEnd);
            QVERIFY2(split.state == State::Done,
                     qPrintable(QStringLiteral("split at %1: %2").arg(at).arg(split.error)));
            QCOMPARE(split.body, body);
            QCOMPARE(split.keepAlive, keepAlive);
        }
    }

    void headAnswerHasNoBody()
    {
        const Parsed p = parse("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", -1, false, true);
        QVERIFY(p.state == State::Done);
        QVERIFY(p.body.isEmpty());
        QVERIFY(p.keepAlive);
    }

    void stopsAtTheEndOfTheAnswer()
    {
        // Bytes after the answer are not consumed: the caller sees them and drops the connection.
        const QByteArray answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        const Parsed p = parse(answer + "HTTP/1.1 200 OK\r\n");
        QVERIFY(p.state == State::Done);
        QCOMPARE(p.used, answer.size());
        QCOMPARE(p.body, QByteArray("ok"));
    }

    void locationIsKept()
    {
        HttpResponseParser parser;
        parser.feed("HTTP/1.1 307 Temporary Redirect\r\nLocation:  /elsewhere?a=b "
                    "\r\nContent-Length: 0\r\n\r\n");
        QVERIFY(parser.state() == State::Done);
        QCOMPARE(parser.location(), QByteArray("/elsewhere?a=b"));
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("closeAtEnd");
        QTest::addColumn<QString>("error");

        QTest::newRow("not HTTP")
            << QByteArray("SSH-2.0-OpenSSH_9.6\r\n") << false
            << QStringLiteral("malformed HTTP answer: status line \"SSH-2.0-OpenSSH_9.6\"");
        QTest::newRow("letters in the status")
            << QByteArray("HTTP/1.1 2OO OK\r\n\r\n") << false
            << QStringLiteral("malformed HTTP answer: status line \"HTTP/1.1 2OO OK\"");
        QTest::newRow("binary status line")
            << QByteArray("\x16\x03\x01\x02\x00\x01\n", 7) << false
            << QStringLiteral(
                   "malformed HTTP answer: status line \"\\x16\\x03\\x01\\x02\\x00\\x01\"");
        QTest::newRow("HTTP/2 preface")
            << QByteArray("HTTP/2 200\r\n\r\n") << false
            << QStringLiteral("malformed HTTP answer: status line \"HTTP/2 200\"");
        QTest::newRow("header without colon")
            << QByteArray("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n") << false
            << QStringLiteral("malformed HTTP answer: header line \"no colon here\"");
        QTest::newRow("folded header")
            << QByteArray("HTTP/1.1 200 OK\r\nX-A: 1\r\n  continued\r\n\r\n") << false
            << QStringLiteral("malformed HTTP answer: folded header line \"  continued\"");
        QTest::newRow("negative length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n") << false
            << QStringLiteral("malformed HTTP answer: Content-Length \"-5\"");
        QTest::newRow("conflicting lengths")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n")
            << false << QStringLiteral("malformed HTTP answer: Content-Length \"3\"");
        QTest::newRow("gzip although identity was asked")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\nxx")
            << false
            << QStringLiteral(
                   "the HTTP answer is gzip-encoded although the request asked for identity");
        QTest::newRow("unknown transfer coding")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << false
            << QStringLiteral("unsupported Transfer-Encoding \"gzip, chunked\" in the HTTP answer");
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << false
            << QStringLiteral("malformed chunked answer: chunk size \"zz\"");
        QTest::newRow("chunk longer than its size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokay\r\n")
            << false << QStringLiteral("malformed chunked answer: chunk data longer than its size");
        QTest::newRow("switching protocols")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\n\r\n") << false
            << QStringLiteral("unexpected HTTP answer: 101 Switching Protocols");
        QTest::newRow("closed before answering")
            << QByteArray() << true
            << QStringLiteral("the server closed the connection before answering");
        QTest::newRow("closed in the headers")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-") << true
            << QStringLiteral("the server closed the connection in the middle of its answer");
        QTest::newRow("closed in the body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort") << true
            << QStringLiteral("the server closed the connection in the middle of its answer");
        QTest::newRow("closed in a chunk")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort")
            << true
            << QStringLiteral("the server closed the connection in the middle of its answer");
    }
    void refused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, closeAtEnd);
        QFETCH(QString, error);
        const Parsed p = parse(bytes, -1, closeAtEnd);
        QVERIFY(p.state == State::Error);
        QCOMPARE(p.error, error);
        QVERIFY(!p.keepAlive);
    }

    // A header section past the limit fails as soon as the limit is passed, whether it comes as
    // one endless line or as many lines, and never holds more than the limit.
    void headerLimit()
    {
        HttpLimits limits;
        limits.maxHeaderBytes = 4096;
        HttpResponseParser endless(limits);
        endless.feed("HTTP/1.1 200 OK\r\nX-Endless: ");
        const QByteArray chunk(1000, 'a');
        int fed = 0;
        while (endless.state() == State::NeedMore && fed < 100) {
            endless.feed(chunk);
            ++fed;
        }
        QVERIFY(endless.state() == State::Error);
        QVERIFY(fed <= 5);
        QCOMPARE(endless.error(), QStringLiteral("HTTP answer headers larger than 4 KiB"));

        HttpResponseParser many(limits);
        many.feed("HTTP/1.1 200 OK\r\n");
        fed = 0;
        while (many.state() == State::NeedMore && fed < 10000) {
            many.feed("X-Many: 1234567890\r\n");
            ++fed;
        }
        QVERIFY(many.state() == State::Error);
        QVERIFY(fed < 4096 / 20 + 2);
        QCOMPARE(many.error(), QStringLiteral("HTTP answer headers larger than 4 KiB"));

        // Endless interim answers count against the same limit.
        HttpResponseParser interim(limits);
        fed = 0;
        while (interim.state() == State::NeedMore && fed < 10000) {
            interim.feed("HTTP/1.1 100 Continue\r\nX-Pad: 0123456789\r\n\r\n");
            ++fed;
        }
        QVERIFY(interim.state() == State::Error);
        QVERIFY(fed < 4096 / 40 + 2);
    }

    void bodyLimit()
    {
        HttpLimits limits;
        limits.maxBodyBytes = 1 << 20;
        // A declared length past the limit is refused before any of the body is read.
        const Parsed declared = parse("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n", -1,
                                      false, false, limits);
        QVERIFY(declared.state == State::Error);
        QCOMPARE(
            declared.error,
            QStringLiteral("HTTP answer body of 10000000000 bytes is larger than the 1 MiB limit"));
        const Parsed huge = parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                                  -1, false, false, limits);
        QVERIFY(huge.state == State::Error);

        // Chunks and a body framed by the close are counted as they come.
        HttpResponseParser chunked(limits);
        chunked.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = "10000\r\n" + QByteArray(0x10000, 'x') + "\r\n";
        int fed = 0;
        while (chunked.state() == State::NeedMore && fed < 1000) {
            chunked.feed(chunk);
            ++fed;
        }
        QVERIFY(chunked.state() == State::Error);
        QCOMPARE(fed, 17);
        QVERIFY(chunked.body().size() <= limits.maxBodyBytes);
        QCOMPARE(chunked.error(), QStringLiteral("HTTP answer body larger than the 1 MiB limit"));

        HttpResponseParser untilClose(limits);
        untilClose.feed("HTTP/1.1 200 OK\r\n\r\n");
        fed = 0;
        while (untilClose.state() == State::NeedMore && fed < 1000) {
            untilClose.feed(QByteArray(0x10000, 'y'));
            ++fed;
        }
        QVERIFY(untilClose.state() == State::Error);
        QVERIFY(untilClose.body().size() <= limits.maxBodyBytes);

        // A chunk-size line cannot grow without bound either.
        HttpResponseParser sizeLine;
        sizeLine.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
        fed = 0;
        while (sizeLine.state() == State::NeedMore && fed < 1000) {
            sizeLine.feed(QByteArray(1000, 'e'));
            ++fed;
        }
        QVERIFY(sizeLine.state() == State::Error);
        QVERIFY(fed <= 5);
    }

    void resetStartsOver()
    {
        HttpResponseParser parser;
        parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        QVERIFY(parser.state() == State::Done);
        parser.reset();
        QVERIFY(parser.state() == State::NeedMore);
        QVERIFY(!parser.started());
        parser.feed("HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nnew");
        QVERIFY(parser.state() == State::Done);
        QCOMPARE(parser.status(), 201);
        QCOMPARE(parser.takeBody(), QByteArray("new"));
    }

    void printableBytes()
    {
        QCOMPARE(rcrt::printableBytes(QByteArray("ok\r\n\xff", 5)),
                 QStringLiteral("ok\\x0d\\x0a\\xff"));
        QCOMPARE(rcrt::printableBytes(QByteArray(100, 'a'), 3), QStringLiteral("aaa…"));
    }
};

QTEST_APPLESS_MAIN(TstHttpResponseParser)
#include "tst_httpresponseparser.moc"
