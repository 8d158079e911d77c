// Property tests: generated streams with random fields, line ends, UTF-8 and BOMs must give
// the events an independent model of the WHATWG rules predicts, in every chunking. Plus the
// RCRT-shaped capture fixture and a throughput print (no timed assertion).

#include "tst_sseparser_harness.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace rcrt;
using namespace rcrt::ssetest;

namespace {

const QByteArray R("\xEF\xBF\xBD");

// A value piece: raw bytes on the wire and what a WHATWG decoder makes of them. Each piece
// leaves the decoder between characters, so decoded(a + b) == decoded(a) + decoded(b).
struct Piece
{
    QByteArray raw;
    QByteArray decoded;
};

const QList<Piece> &pieces()
{
    static const QList<Piece> all{
        {"abc", "abc"},
        {" ", " "},
        {":", ":"},
        {"\t", "\t"},
        {"{\"k\":[1,2]}", "{\"k\":[1,2]}"},
        {"\\\"", "\\\""},
        {"\xC3\xA9", "\xC3\xA9"},
        {"\xE2\x82\xAC", "\xE2\x82\xAC"},
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
        {"\xE2\x9C\x85", "\xE2\x9C\x85"},
        {"\xEF\xBB\xBF", "\xEF\xBB\xBF"}, // U+FEFF inside a value stays
        {QByteArray("\0", 1), QByteArray("\0", 1)},
        {"\x80", R},
        {"\xFF" "q", R + "q"},
        {"\xE2\x82" "w", R + "w"},
        {"\xF0\x9F\x98" "z", R + "z"},
        {"\xC0\xAF", R + R},
        {"\xED\xA0\x80", R + R + R},
    };
    return all;
}

struct Corpus
{
    QByteArray bytes;
    QByteArrayList expected;
    int events = 0;
};

// Writes a random stream and, line by line, applies the interpretation rules to a model of
// the parser's buffers to predict what it must report.
class CorpusGenerator
{
public:
    explicit CorpusGenerator(quint32 seed)
        : m_rng(seed)
    {
    }

    Corpus generate(int blocks, bool longLines = false)
    {
        m_longLines = longLines;
        if (chance(30))
            m_out.bytes += "\xEF\xBB\xBF";
        for (int b = 0; b < blocks; ++b) {
            const int lines = m_rng.bounded(0, 6);
            for (int l = 0; l < lines; ++l)
                randomLine();
            line({}); // the empty line that dispatches
            modelDispatch();
        }
        if (chance(50)) { // an unterminated block at the end of the stream is never dispatched
            m_out.bytes += "data: tail";
            if (chance(50))
                m_out.bytes += "\n";
        }
        return m_out;
    }

private:
    bool chance(int percent) { return int(m_rng.bounded(100)) < percent; }

    Piece value()
    {
        Piece v;
        const int n = m_rng.bounded(0, 6);
        for (int i = 0; i < n; ++i) {
            const Piece &p = pieces().at(m_rng.bounded(pieces().size()));
            v.raw += p.raw;
            v.decoded += p.decoded;
        }
        return v;
    }

    // field ":" [" "] value; returns the decoded value the rules give (one leading space off).
    QByteArray fieldLine(const QByteArray &field, const Piece &v)
    {
        const bool space = chance(80);
        line(field + ":" + (space ? " " : "") + v.raw);
        const QByteArray afterColon = (space ? " " : "") + v.decoded;
        return afterColon.startsWith(' ') ? afterColon.mid(1) : afterColon;
    }

    void randomLine()
    {
        switch (m_rng.bounded(8)) {
        case 0:
        case 1:
        case 2: {
            if (chance(15)) {
                line("data");
                modelData({});
            } else {
                modelData(fieldLine("data", value()));
            }
            break;
        }
        case 3:
            m_type = fieldLine("event", value());
            break;
        case 4: {
            const Piece v = value();
            const QByteArray decoded = fieldLine("id", v);
            if (!v.raw.contains('\0'))
                m_lastId = decoded;
            break;
        }
        case 5: {
            static const QByteArrayList values{"0", "7", "3000", "10a", "-1", "", " 5", "1.5",
                                               "99999999999999999999", "9223372036854775807"};
            const QByteArray v = values.at(m_rng.bounded(values.size()));
            line("retry: " + v);
            bool ok = false;
            const qint64 ms = v.toLongLong(&ok);
            if (ok && !v.isEmpty() && v.front() >= '0' && v.front() <= '9')
                m_out.expected.append(retry(ms));
            break;
        }
        case 6:
            line(":" + value().raw);
            break;
        default: {
            static const QByteArrayList fields{"foo", "Data", "dataa", "event ", "ID", "retr"};
            const QByteArray field = fields.at(m_rng.bounded(fields.size()));
            if (chance(30))
                line(field);
            else
                fieldLine(field, value());
            break;
        }
        }
        if (m_longLines && chance(5)) // a line over a 100-byte limit
            line("data: " + QByteArray(m_rng.bounded(95, 200), 'L'));
        if (m_longLines && chance(5)) { // lines within it that add up past a 150-byte event
            for (int i = 0; i < 3; ++i)
                line("data: " + QByteArray(60, 'E'));
        }
    }

    // A CR followed by an LF-terminated empty line would read as one CRLF, so that
    // combination is never written.
    void line(const QByteArray &content)
    {
        m_out.bytes += content;
        static const QByteArrayList ends{"\n", "\r", "\r\n"};
        QByteArray end = ends.at(m_rng.bounded(3));
        if (content.isEmpty() && m_lastEnd == "\r" && end == "\n")
            end = "\r\n";
        m_out.bytes += end;
        m_lastEnd = end;
    }

    void modelData(const QByteArray &decoded) { m_data += decoded + "\n"; }

    void modelDispatch()
    {
        if (!m_data.isEmpty()) {
            m_data.chop(1);
            m_out.expected.append(ev(m_type.isEmpty() ? QByteArray("message") : m_type, m_data,
                                     m_lastId));
            ++m_out.events;
        }
        m_data.clear();
        m_type.clear();
    }

    QRandomGenerator m_rng;
    Corpus m_out;
    QByteArray m_data, m_type, m_lastId, m_lastEnd;
    bool m_longLines = false;
};

QByteArray readFixture(const QString &name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("data/sse/") + name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class TestSseParserProperty : public QObject
{
    Q_OBJECT
private slots:
    void generatedStreamsMatchModel_data();
    void generatedStreamsMatchModel();
    void overLimitStreamsIndependentOfChunking();
    void rcrtFixture_data();
    void rcrtFixture();
    void throughputOnRcrtShapedInput();
};

void TestSseParserProperty::generatedStreamsMatchModel_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed = 1; seed <= 24; ++seed)
        QTest::addRow("seed %u", seed) << seed;
    QTest::addRow("seed %u (this run)", runSeed()) << runSeed();
}

void TestSseParserProperty::generatedStreamsMatchModel()
{
    QFETCH(quint32, seed);
    const Corpus corpus = CorpusGenerator(seed).generate(300);
    QVERIFY(corpus.events > 50); // the generator does produce events
    const QString small = checkAllCuts(corpus.bytes, corpus.expected, {}, 64);
    QVERIFY2(small.isEmpty(), qPrintable(QStringLiteral("corpus seed %1, ").arg(seed) + small));
    const QString large = checkAllCuts(corpus.bytes, corpus.expected, {}, 4096);
    QVERIFY2(large.isEmpty(), qPrintable(QStringLiteral("corpus seed %1, ").arg(seed) + large));
}

// With small limits the model does not predict the output, but every chunking must agree
// with the whole-stream parse, errors included.
void TestSseParserProperty::overLimitStreamsIndependentOfChunking()
{
    for (quint32 seed : {11u, 12u, 13u, 14u, runSeed()}) {
        const Corpus corpus = CorpusGenerator(seed).generate(300, true);
        const auto limits = smallLimits(100, 150);
        const QByteArrayList whole = parse(corpus.bytes, {}, limits);
        QVERIFY(whole.count(lineError(100)) > 0);
        QVERIFY(whole.count(eventError(150)) > 0);
        QVERIFY(std::count_if(whole.cbegin(), whole.cend(),
                              [](const QByteArray &r) { return r.startsWith("event"); })
                > 20);
        const QString difference = checkAllCuts(corpus.bytes, whole, limits, 64);
        QVERIFY2(difference.isEmpty(),
                 qPrintable(QStringLiteral("corpus seed %1, ").arg(seed) + difference));
    }
}

void TestSseParserProperty::rcrtFixture_data()
{
    QTest::addColumn<QByteArray>("lineEnd");
    QTest::newRow("LF, as the server writes") << QByteArray("\n");
    QTest::newRow("CRLF") << QByteArray("\r\n");
    QTest::newRow("CR") << QByteArray("\r");
}

// rcrt-sample.sse is the rcrt-protocol.md §6 timeline as `data: <json>\n\n` frames: every
// data line must come out byte-exact as one "message" event whose data is valid JSON.
void TestSseParserProperty::rcrtFixture()
{
    QFETCH(QByteArray, lineEnd);
    QByteArray input = readFixture(QStringLiteral("rcrt-sample.sse"));
    QVERIFY(!input.isEmpty());
    QByteArrayList expected;
    for (const QByteArray &l : input.split('\n'))
        if (l.startsWith("data: "))
            expected.append(msg(l.mid(6)));
    QCOMPARE(expected.size(), 20);
    input.replace("\n", lineEnd);
    SSE_CHECK(input, expected, SseParser::Limits{}, 4096);
    SSE_CHECK(input, expected, SseParser::Limits{}, 16);

    QList<SseEvent> events;
    SseParser parser({[&events](SseEvent &&e) { events.append(std::move(e)); }, {}, {}});
    parser.feed(input);
    QCOMPARE(events.size(), 20);
    int pings = 0;
    for (const SseEvent &e : events) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data, &error);
        QVERIFY2(error.error == QJsonParseError::NoError, e.data.constData());
        pings += doc[QLatin1String("type")].toString() == QLatin1String("ping");
    }
    QCOMPARE(pings, 3);
}

void TestSseParserProperty::throughputOnRcrtShapedInput()
{
    const QByteArray sample = readFixture(QStringLiteral("rcrt-sample.sse"));
    QVERIFY(!sample.isEmpty());
    const int repeats = 3000; // about 32 MB
    const QByteArray input = sample.repeated(repeats);
    qint64 events = 0, bytes = 0;
    SseParser parser({[&](SseEvent &&e) {
                          ++events;
                          bytes += e.data.size();
                      },
                      {}, {}});
    QElapsedTimer timer;
    timer.start();
    const qsizetype chunk = 64 * 1024;
    for (qsizetype at = 0; at < input.size(); at += chunk)
        parser.feed(QByteArrayView(input).sliced(at, std::min(chunk, input.size() - at)));
    const qint64 ns = std::max<qint64>(timer.nsecsElapsed(), 1);
    QCOMPARE(events, qint64(20) * repeats);
    qInfo("SseParser: %.1f MB in %.1f ms = %.0f MB/s, %.2f M events/s (64 KiB chunks)",
          double(input.size()) / 1e6, double(ns) / 1e6, double(input.size()) * 1e3 / double(ns),
          double(events) * 1e3 / double(ns));
}

QTEST_GUILESS_MAIN(TestSseParserProperty)
#include "tst_sseparser_property.moc"
