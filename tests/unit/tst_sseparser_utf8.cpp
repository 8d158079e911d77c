// UTF-8 decoding of the event stream: U+FFFD per WHATWG maximal subpart, multi-byte characters
// cut by chunk boundaries, and the one leading BOM.

#include "net/utf8sanitizer.h"
#include "tst_sseparser_harness.h"

#include <QRandomGenerator>
#include <QTest>

using namespace rcrt;
using namespace rcrt::ssetest;

namespace {

const QByteArray R("\xEF\xBF\xBD"); // U+FFFD as UTF-8

QByteArray fffd(int n)
{
    return R.repeated(n);
}

void encode(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xC0 | (cp >> 6)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(char(0xE0 | (cp >> 12)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    } else {
        out.append(char(0xF0 | (cp >> 18)));
        out.append(char(0x80 | ((cp >> 12) & 0x3F)));
        out.append(char(0x80 | ((cp >> 6) & 0x3F)));
        out.append(char(0x80 | (cp & 0x3F)));
    }
}

// The Encoding Standard's UTF-8 decoder transcribed step by step (code points, bytes needed,
// lower/upper boundary, "prepend byte to stream"), then encoded back: an independent oracle
// for the byte-level sanitizer, which is written very differently for speed.
QByteArray whatwgDecode(const QByteArray &in)
{
    QByteArray out;
    char32_t cp = 0;
    int needed = 0, seen = 0;
    unsigned lower = 0x80, upper = 0xBF;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const unsigned b = static_cast<unsigned char>(in.at(i));
        if (needed == 0) {
            if (b <= 0x7F) {
                out.append(char(b));
            } else if (b >= 0xC2 && b <= 0xDF) {
                needed = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (b == 0xE0)
                    lower = 0xA0;
                if (b == 0xED)
                    upper = 0x9F;
                needed = 2;
                cp = b & 0xF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (b == 0xF0)
                    lower = 0x90;
                if (b == 0xF4)
                    upper = 0x8F;
                needed = 3;
                cp = b & 0x7;
            } else {
                out.append(R);
            }
            continue;
        }
        if (b < lower || b > upper) {
            cp = 0;
            needed = seen = 0;
            lower = 0x80;
            upper = 0xBF;
            out.append(R);
            --i; // prepend byte to stream
            continue;
        }
        lower = 0x80;
        upper = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
        if (++seen == needed) {
            encode(out, cp);
            cp = 0;
            needed = seen = 0;
        }
    }
    if (needed != 0)
        out.append(R);
    return out;
}

} // namespace

class TestSseParserUtf8 : public QObject
{
    Q_OBJECT
private slots:
    void invalidSequences_data();
    void invalidSequences();
    void decodingPerField_data();
    void decodingPerField();
    void multiByteSplitAtEveryPosition_data();
    void multiByteSplitAtEveryPosition();
    void sanitizerMatchesWhatwgDecoder();
    void bom_data();
    void bom();
    void bomSplitOneThenTwo();
};

void TestSseParserUtf8::invalidSequences_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("decoded");
    QTest::addColumn<int>("replacements");
    // Expected counts cross-checked against Python's bytes.decode("utf-8", "replace"), which
    // follows the same maximal-subpart practice.
    QTest::newRow("lone continuation") << QByteArray("\x80") << fffd(1) << 1;
    QTest::newRow("continuation inside text")
        << QByteArray("a\x80" "b") << QByteArray("a" + R + "b") << 1;
    QTest::newRow("two continuations") << QByteArray("\x80\xBF") << fffd(2) << 2;
    QTest::newRow("truncated 2-byte at line end") << QByteArray("\xC3") << fffd(1) << 1;
    QTest::newRow("truncated 3-byte at line end") << QByteArray("\xE2\x82") << fffd(1) << 1;
    QTest::newRow("truncated 4-byte at line end") << QByteArray("\xF0\x9F\x98") << fffd(1) << 1;
    QTest::newRow("truncated then ASCII")
        << QByteArray("\xE2\x82" "a") << QByteArray(R + "a") << 1;
    QTest::newRow("overlong C0 AF") << QByteArray("\xC0\xAF") << fffd(2) << 2;
    QTest::newRow("overlong C1 BF") << QByteArray("\xC1\xBF") << fffd(2) << 2;
    QTest::newRow("overlong 3-byte") << QByteArray("\xE0\x80\xAF") << fffd(3) << 3;
    QTest::newRow("overlong 4-byte") << QByteArray("\xF0\x80\x80\xAF") << fffd(4) << 4;
    QTest::newRow("surrogate ED A0 80") << QByteArray("\xED\xA0\x80") << fffd(3) << 3;
    QTest::newRow("surrogate ED BF BF") << QByteArray("\xED\xBF\xBF") << fffd(3) << 3;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << fffd(4) << 4;
    QTest::newRow("F5 lead") << QByteArray("\xF5\x80\x80\x80") << fffd(4) << 4;
    QTest::newRow("FF") << QByteArray("\xFF") << fffd(1) << 1;
    QTest::newRow("FE FF") << QByteArray("\xFE\xFF") << fffd(2) << 2;
    QTest::newRow("lead then lead")
        << QByteArray("\xC3\xC3\xA9") << QByteArray(R + "\xC3\xA9") << 1;
    QTest::newRow("truncated then valid 3-byte")
        << QByteArray("\xE2\x82\xE2\x82\xAC") << QByteArray(R + "\xE2\x82\xAC") << 1;
    QTest::newRow("truncated 4-byte before 2-byte")
        << QByteArray("\xF0\x9F\xC3\xA9") << QByteArray(R + "\xC3\xA9") << 1;
    QTest::newRow("Unicode table 3-8 example")
        << QByteArray("a\xF1\x80\x80\xE1\x80\xC2" "b\x80" "c\x80\xBF" "d")
        << QByteArray("a" + fffd(3) + "b" + R + "c" + fffd(2) + "d") << 6;
    QTest::newRow("valid: U+0800") << QByteArray("\xE0\xA0\x80") << QByteArray("\xE0\xA0\x80")
                                   << 0;
    QTest::newRow("valid: U+FFFF") << QByteArray("\xEF\xBF\xBF") << QByteArray("\xEF\xBF\xBF")
                                   << 0;
    QTest::newRow("valid: U+10FFFF")
        << QByteArray("\xF4\x8F\xBF\xBF") << QByteArray("\xF4\x8F\xBF\xBF") << 0;
    QTest::newRow("valid: U+FFFD itself") << R << R << 1;
}

void TestSseParserUtf8::invalidSequences()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, decoded);
    QFETCH(int, replacements);
    QCOMPARE(int(decoded.count(R)), replacements);
    SSE_CHECK(QByteArray("data: " + raw + "\n\n"), QByteArrayList{msg(decoded)});
    // The same bytes in the middle of a longer ASCII line, where the word-at-a-time path runs.
    const QByteArray pad(19, 'p');
    SSE_CHECK(QByteArray("data: " + pad + raw + pad + "\n\n"),
              QByteArrayList{msg(QByteArray(pad + decoded + pad))});
}

void TestSseParserUtf8::decodingPerField_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("invalid in event type")
        << QByteArray("event: \xFF\ndata: a\n\n") << QByteArrayList{ev(R, "a")};
    QTest::newRow("invalid in id")
        << QByteArray("id: \xC0\ndata: a\n\n") << QByteArrayList{msg("a", R)};
    QTest::newRow("invalid byte in field name: no such field")
        << QByteArray("data\xFF: x\ndat\xE1: y\ndata: z\n\n") << QByteArrayList{msg("z")};
    QTest::newRow("sequence cut by a line end is two errors, not one character")
        << QByteArray("data: \xE2\x82\ndata: \xAC\n\n")
        << QByteArrayList{msg(QByteArray(R + "\n" + R))};
    QTest::newRow("sequence cut by CR")
        << QByteArray("data: \xF0\x9F\rdata: \x98\x80\r\r")
        << QByteArrayList{msg(QByteArray(R + "\n" + fffd(2)))};
    QTest::newRow("valid multi-byte in every field")
        << QByteArray("event: \xC3\xA9v\nid: \xE2\x82\xAC\ndata: \xF0\x9F\x98\x80\n\n")
        << QByteArrayList{ev("\xC3\xA9v", "\xF0\x9F\x98\x80", "\xE2\x82\xAC")};
}

void TestSseParserUtf8::decodingPerField()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParserUtf8::multiByteSplitAtEveryPosition_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("2-byte") << QByteArray("\xC3\xA9");
    QTest::newRow("3-byte") << QByteArray("\xE2\x82\xAC");
    QTest::newRow("4-byte") << QByteArray("\xF0\x9F\x98\x80");
    QTest::newRow("mixed") << QByteArray("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z");
    QTest::newRow("check mark and ellipsis") << QByteArray("\xE2\x9C\x85 random \xE2\x80\xA6");
}

// Every single cut and every pair of cuts of the whole frame, so each byte of each character
// lands at a chunk edge, in the partial-line path as well as the direct one.
void TestSseParserUtf8::multiByteSplitAtEveryPosition()
{
    QFETCH(QByteArray, text);
    const QByteArray input = "data: " + text + "\n\n";
    const QByteArrayList expected{msg(text)};
    for (qsizetype i = 0; i <= input.size(); ++i) {
        for (qsizetype j = i; j <= input.size(); ++j) {
            QByteArrayList log;
            SseParser parser(recordInto(log));
            parser.feed(QByteArrayView(input).first(i));
            parser.feed(QByteArrayView(input).sliced(i, j - i));
            parser.feed(QByteArrayView(input).sliced(j));
            const QString difference = diff(log, expected);
            QVERIFY2(difference.isEmpty(),
                     qPrintable(QStringLiteral("cuts at %1 and %2: ").arg(i).arg(j) + difference));
        }
    }
}

void TestSseParserUtf8::sanitizerMatchesWhatwgDecoder()
{
    auto check = [](const QByteArray &in) {
        const QByteArray expected = whatwgDecode(in);
        QCOMPARE(utf8::sanitized(in), expected);
        QCOMPARE(utf8::sanitizedSize(in), expected.size());
        // The decoder only ever outputs valid UTF-8, so input is valid exactly when it survives.
        QCOMPARE(utf8::isValid(in), expected == in);
    };
    // Every 1- and 2-byte input.
    for (int a = 0; a < 256; ++a) {
        check(QByteArray(1, char(a)));
        for (int b = 0; b < 256; ++b) {
            const char pair[] = {char(a), char(b)};
            check(QByteArray(pair, 2));
            if (QTest::currentTestFailed())
                return;
        }
    }
    // Every 3- and 4-byte input over the bytes where the decoder's decisions change.
    const QByteArray edges("\x00\x41\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC1\xC2\xDF\xE0\xE1\xEC"
                           "\xED\xEE\xEF\xF0\xF1\xF3\xF4\xF5\xFF",
                           25);
    for (const char a : edges)
        for (const char b : edges)
            for (const char c : edges) {
                const char triple[] = {a, b, c};
                check(QByteArray(triple, 3));
                for (const char d : edges) {
                    const char quad[] = {a, b, c, d};
                    check(QByteArray(quad, 4));
                }
                if (QTest::currentTestFailed())
                    return;
            }
    // Longer random mixes, with ASCII runs long enough for the word-at-a-time path.
    QRandomGenerator rng(runSeed());
    for (int round = 0; round < 20000; ++round) {
        QByteArray in;
        const int n = rng.bounded(1, 40);
        for (int k = 0; k < n; ++k)
            in.append(rng.bounded(3) == 0 ? edges.at(rng.bounded(edges.size())) : 'a');
        check(in);
        if (QTest::currentTestFailed()) {
            qWarning("seed %u", runSeed());
            return;
        }
    }
}

void TestSseParserUtf8::bom_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("leading BOM stripped")
        << QByteArray("\xEF\xBB\xBF" "data: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("stream of only a BOM") << QByteArray("\xEF\xBB\xBF") << QByteArrayList{};
    QTest::newRow("BOM then empty lines")
        << QByteArray("\xEF\xBB\xBF\n\ndata: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("second BOM is kept: field name becomes U+FEFF data")
        << QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n")
        << QByteArrayList{msg("b")};
    QTest::newRow("second BOM is kept in a value")
        << QByteArray("\xEF\xBB\xBF" "data: \xEF\xBB\xBF" "a\n\n")
        << QByteArrayList{msg("\xEF\xBB\xBF" "a")};
    QTest::newRow("BOM later in the stream is not stripped")
        << QByteArray("data: a\n\n\xEF\xBB\xBF" "data: b\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("partial BOM is kept (as U+FFFD)")
        << QByteArray("\xEF\xBB" "data: a\n\ndata: b\n\n") << QByteArrayList{msg("b")};
    QTest::newRow("partial BOM then line end")
        << QByteArray("\xEF\n" "data: a\n\n") << QByteArrayList{msg("a")};
    QTest::newRow("partial BOM before a colon is a field name, not a comment")
        << QByteArray("\xEF\xBB:x\ndata: a\n\n") << QByteArrayList{msg("a")};
}

void TestSseParserUtf8::bom()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArrayList, expected);
    SSE_CHECK(input, expected);
}

void TestSseParserUtf8::bomSplitOneThenTwo()
{
    const QByteArray input("\xEF\xBB\xBF" "data: a\n\n");
    for (qsizetype first = 1; first <= 3; ++first) {
        for (qsizetype second = first; second <= 4; ++second) {
            QByteArrayList log;
            SseParser parser(recordInto(log));
            parser.feed(QByteArrayView(input).first(first));
            parser.feed(QByteArrayView(input).sliced(first, second - first));
            parser.feed(QByteArrayView(input).sliced(second));
            QCOMPARE(log, QByteArrayList{msg("a")});
        }
    }
}

QTEST_GUILESS_MAIN(TestSseParserUtf8)
#include "tst_sseparser_utf8.moc"
