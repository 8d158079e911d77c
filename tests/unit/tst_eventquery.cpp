// The events filter language: every term kind on hand-built records, negation, AND, quoting,
// and parse errors with their positions.
#include "model/eventquery.h"

#include <QTest>

using rcrt::EventQuery;
using rcrt::EventRecord;
using rcrt::EventSource;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kUpdatedAt = 1'762'509'000'000'000'000; // 2025-11-07T09:50:00Z

EventRecord record(const QByteArray &schema, const QList<QByteArray> &tags, const QByteArray &id,
                   qint32 version, qint64 lagMs, EventSource source = EventSource::Sse)
{
    EventRecord r;
    r.seq = 1;
    r.envelope.kind = rcrt::Envelope::Kind::Breadcrumb;
    r.envelope.hasSchema = !schema.isEmpty();
    r.envelope.schemaName = schema;
    r.envelope.tags = tags;
    r.envelope.breadcrumbId = id;
    r.envelope.version = version;
    r.envelope.updatedAtNs = kUpdatedAt;
    r.first = {kUpdatedAt + lagMs * kMs, source};
    return r;
}

const QByteArray kRequestId = "b7d01e22-5f60-4c2b-a8e9-1c2d3e4f5a6b";
const QByteArray kResponseId = "E1A2B3C4-d5e6-4f70-8192-a3b4c5d6e7f8";

EventRecord toolRequest()
{
    return record("tool.request.v1", {"tool:request", "workspace:tools", "agent:default-chat"},
                  kRequestId, 1, 120);
}

EventRecord toolResponse()
{
    return record("tool.response.v1",
                  {"workspace:tools", "tool:response", "request:llm-1762509000640-k3j9x2m1q"},
                  kResponseId, 3, 2500, EventSource::Backfill);
}

EventRecord noSchema()
{
    return record({}, {}, "00000000-0000-4000-8000-000000000000", 2, -40, EventSource::Local);
}

} // namespace

class TstEventQuery : public QObject
{
    Q_OBJECT

private slots:
    void matches_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("title");
        QTest::addColumn<bool>("request");
        QTest::addColumn<bool>("response");
        QTest::addColumn<bool>("bare");

        const QString none;
        QTest::newRow("empty") << QString() << none << true << true << true;
        QTest::newRow("blank") << QStringLiteral("   \t ") << none << true << true << true;
        QTest::newRow("schema glob") << QStringLiteral("schema:tool.*") << none << true << true << false;
        QTest::newRow("schema exact") << QStringLiteral("schema:tool.request.v1") << none << true << false << false;
        QTest::newRow("schema is anchored") << QStringLiteral("schema:tool") << none << false << false << false;
        QTest::newRow("schema ?") << QStringLiteral("schema:tool.re????se.v1") << none << false << true << false;
        QTest::newRow("schema case") << QStringLiteral("SCHEMA:Tool.Request.*") << none << true << false << false;
        QTest::newRow("schema star matches empty") << QStringLiteral("schema:*") << none << true << true << true;
        QTest::newRow("negated schema") << QStringLiteral("-schema:tool.req*") << none << false << true << true;
        QTest::newRow("tag with colons") << QStringLiteral("tag:workspace:tools") << none << true << true << false;
        QTest::newRow("tag glob") << QStringLiteral("tag:request:llm-*") << none << false << true << false;
        QTest::newRow("tag exact only") << QStringLiteral("tag:request:llm") << none << false << false << false;
        QTest::newRow("tag quoted") << QStringLiteral("tag:\"agent:default-chat\"") << none << true << false << false;
        QTest::newRow("negated tag") << QStringLiteral("-tag:tool:*") << none << false << false << true;
        QTest::newRow("id prefix") << QStringLiteral("id:b7d0") << none << true << false << false;
        QTest::newRow("id prefix case") << QStringLiteral("id:e1a2b3") << none << false << true << false;
        QTest::newRow("id not infix") << QStringLiteral("id:5f60") << none << false << false << false;
        QTest::newRow("source sse") << QStringLiteral("source:sse") << none << true << false << false;
        QTest::newRow("source backfill") << QStringLiteral("source:BACKFILL") << none << false << true << false;
        QTest::newRow("source local") << QStringLiteral("source:local") << none << false << false << true;
        QTest::newRow("lag>1s") << QStringLiteral("lag>1s") << none << false << true << false;
        QTest::newRow("lag<500ms") << QStringLiteral("lag<500ms") << none << true << false << true;
        QTest::newRow("lag>=2.5s boundary") << QStringLiteral("lag>=2.5s") << none << false << true << false;
        QTest::newRow("lag>2.5s boundary") << QStringLiteral("lag>2.5s") << none << false << false << false;
        QTest::newRow("lag<=120ms boundary") << QStringLiteral("lag<=120ms") << none << true << false << true;
        QTest::newRow("lag minutes") << QStringLiteral("lag<0.05m") << none << true << true << true;
        QTest::newRow("negative lag") << QStringLiteral("lag<0ms") << none << false << false << true;
        QTest::newRow("lag equal") << QStringLiteral("lag=120ms") << none << true << false << false;
        QTest::newRow("version>1") << QStringLiteral("version>1") << none << false << true << true;
        QTest::newRow("version:3") << QStringLiteral("version:3") << none << false << true << false;
        QTest::newRow("version<=2") << QStringLiteral("version<=2") << none << true << false << true;
        QTest::newRow("created") << QStringLiteral("created") << none << true << false << false;
        QTest::newRow("updated") << QStringLiteral("Updated") << none << false << true << true;
        QTest::newRow("-created") << QStringLiteral("-created") << none << false << true << true;
        QTest::newRow("free word in schema") << QStringLiteral("RESPONSE") << none << false << true << false;
        QTest::newRow("free word in tag") << QStringLiteral("k3j9x2") << none << false << true << false;
        QTest::newRow("free word in id") << QStringLiteral("a8e9") << none << true << false << false;
        QTest::newRow("free word in title") << QStringLiteral("openrouter") << QStringLiteral("OpenRouter call") << true << true << true;
        QTest::newRow("free word no title") << QStringLiteral("openrouter") << none << false << false << false;
        QTest::newRow("unknown key is free text") << QStringLiteral("workspace:tools") << none << true << true << false;
        QTest::newRow("quoted phrase") << QStringLiteral("\"call to\"") << QStringLiteral("A call to add") << true << true << true;
        QTest::newRow("quoted phrase no match") << QStringLiteral("\"to call\"") << QStringLiteral("A call to add") << false << false << false;
        QTest::newRow("negated phrase") << QStringLiteral("-\"tool:request\"") << none << false << true << true;
        QTest::newRow("AND") << QStringLiteral("schema:tool.* tag:workspace:tools lag>1s") << none << false << true << false;
        QTest::newRow("AND none") << QStringLiteral("created updated") << none << false << false << false;
        QTest::newRow("the placeholder") << QStringLiteral("schema:tool.* tag:workspace:tools lag>1s") << none << false << true << false;
        QTest::newRow("extra spaces") << QStringLiteral("  schema:tool.*    created  ") << none << true << false << false;
    }

    void matches()
    {
        QFETCH(QString, query);
        QFETCH(QString, title);
        QFETCH(bool, request);
        QFETCH(bool, response);
        QFETCH(bool, bare);

        EventQuery::Error error;
        const auto parsed = EventQuery::parse(query, &error);
        QVERIFY2(parsed, qPrintable(error.toString()));
        QCOMPARE(parsed->matches(toolRequest(), title), request);
        QCOMPARE(parsed->matches(toolResponse(), title), response);
        QCOMPARE(parsed->matches(noSchema(), title), bare);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("position");
        QTest::addColumn<QString>("fragment");

        QTest::newRow("lag without unit") << QStringLiteral("lag>100") << 7 << QStringLiteral("unit");
        QTest::newRow("lag bad unit") << QStringLiteral("created lag>1h") << 13 << QStringLiteral("unknown unit 'h'");
        QTest::newRow("lag no number") << QStringLiteral("lag>=s") << 5 << QStringLiteral("number");
        QTest::newRow("lag two dots") << QStringLiteral("lag>1.2.3s") << 4 << QStringLiteral("number");
        QTest::newRow("version fraction") << QStringLiteral("version>1.5") << 8 << QStringLiteral("whole number");
        QTest::newRow("version unit") << QStringLiteral("version>2s") << 8 << QStringLiteral("whole number");
        QTest::newRow("empty schema") << QStringLiteral("x schema:") << 9 << QStringLiteral("'schema:' needs a value");
        QTest::newRow("empty tag") << QStringLiteral("tag:") << 4 << QStringLiteral("'tag:' needs a value");
        QTest::newRow("bad source") << QStringLiteral("source:nats") << 7 << QStringLiteral("sse, backfill, local or replay");
        QTest::newRow("unterminated") << QStringLiteral("a \"open phrase") << 2 << QStringLiteral("unterminated");
        QTest::newRow("unterminated value") << QStringLiteral("tag:\"x") << 4 << QStringLiteral("unterminated");
        QTest::newRow("lone minus") << QStringLiteral("a - b") << 2 << QStringLiteral("'-'");
        QTest::newRow("minus at end") << QStringLiteral("a -") << 2 << QStringLiteral("'-'");
        QTest::newRow("quote inside word") << QStringLiteral("ab\"c\"") << 2 << QStringLiteral("unexpected");
        QTest::newRow("text after quote") << QStringLiteral("\"ab\"c") << 4 << QStringLiteral("space");
        QTest::newRow("empty phrase") << QStringLiteral("\"\"") << 0 << QStringLiteral("empty");
    }

    void errors()
    {
        QFETCH(QString, query);
        QFETCH(int, position);
        QFETCH(QString, fragment);

        EventQuery::Error error;
        QVERIFY(!EventQuery::parse(query, &error));
        QCOMPARE(error.position, position);
        QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
        QVERIFY(error.toString().startsWith(QStringLiteral("column %1:").arg(position + 1)));
    }

    void usesTitle()
    {
        QVERIFY(!EventQuery::parse(u"schema:x tag:y lag>1s created")->usesTitle());
        QVERIFY(EventQuery::parse(u"schema:x word")->usesTitle());
        QVERIFY(EventQuery::parse(u"-\"a b\"")->usesTitle());
        QCOMPARE(EventQuery::parse(u"a b  c")->termCount(), 3);
        QVERIFY(EventQuery::parse(u"")->isEmpty());
    }

    void glob_data()
    {
        QTest::addColumn<QByteArray>("pattern");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("match");

        QTest::newRow("literal") << QByteArray("abc") << QByteArray("ABC") << true;
        QTest::newRow("literal longer") << QByteArray("abc") << QByteArray("abcd") << false;
        QTest::newRow("star end") << QByteArray("ab*") << QByteArray("ab") << true;
        QTest::newRow("star middle backtracks") << QByteArray("a*b*c") << QByteArray("axxbyybzc") << true;
        QTest::newRow("star middle no c") << QByteArray("a*b*c") << QByteArray("axxbyyb") << false;
        QTest::newRow("question") << QByteArray("a?c") << QByteArray("abc") << true;
        QTest::newRow("question needs one") << QByteArray("a?c") << QByteArray("ac") << false;
        QTest::newRow("stars only") << QByteArray("**") << QByteArray("") << true;
        QTest::newRow("empty pattern") << QByteArray("") << QByteArray("x") << false;
        QTest::newRow("utf8 exact") << QByteArray("caf\xc3\xa9*") << QByteArray("caf\xc3\xa9s") << true;
    }

    void glob()
    {
        QFETCH(QByteArray, pattern);
        QFETCH(QByteArray, text);
        QFETCH(bool, match);
        QCOMPARE(rcrt::globMatch(pattern, text), match);
    }
};

QTEST_GUILESS_MAIN(TstEventQuery)
#include "tst_eventquery.moc"
