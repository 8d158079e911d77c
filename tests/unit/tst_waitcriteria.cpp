#include "model/waitcriteria.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rcrt;

namespace {

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (!doc.isObject())
        qFatal("bad test JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

// A §6 workflow response, SSE shape.
QJsonObject sumResponse()
{
    return json(R"({"breadcrumb_id":"88119922-aa33-4b44-8c55-ddeeff001122","version":1,
        "tags":["workspace:tools","tool:response","request:workflow-sum-1"],
        "schema_name":"tool.response.v1","updated_at":"2025-11-07T10:30:05.021448Z",
        "context":{"tool":"calculator","output":{"result":10,"formatted":"7 + 3 = 10",
        "numbers":[7,3],"steps":[{"id":"a"},{"id":"b","n":2.5}]},"status":"success",
        "request_id":"workflow-sum-1","execution_time_ms":201}})");
}

} // namespace

class TestWaitCriteria : public QObject
{
    Q_OBJECT

private slots:
    void valueAtPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("expected");
        QTest::newRow("top") << "tool" << QJsonValue(QStringLiteral("calculator"));
        QTest::newRow("nested") << "output.result" << QJsonValue(10);
        QTest::newRow("index") << "output.numbers[1]" << QJsonValue(3);
        QTest::newRow("index then key") << "output.steps[1].id" << QJsonValue(QStringLiteral("b"));
        QTest::newRow("selector $.") << "$.status" << QJsonValue(QStringLiteral("success"));
        QTest::newRow("absent key") << "output.nope" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("index out of range") << "output.numbers[2]" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("negative index") << "output.numbers[-1]" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("index on object") << "output[0]" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("key on array") << "output.numbers.x" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("unclosed bracket") << "output.numbers[1" << QJsonValue(QJsonValue::Undefined);
        QTest::newRow("empty segment") << "output..result" << QJsonValue(QJsonValue::Undefined);
    }

    void valueAtPath()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, expected);
        const QJsonValue actual = rcrt::valueAtPath(sumResponse().value(QStringLiteral("context")), path);
        QCOMPARE(actual.type(), expected.type());
        QCOMPARE(actual, expected);
    }

    void matchesEachField()
    {
        const QJsonObject b = sumResponse();
        WaitCriteria c;
        QVERIFY(c.matches(b)); // empty criteria match anything
        c.schemaName = QStringLiteral("tool.response.v1");
        QVERIFY(c.matches(b));
        c.schemaName = QStringLiteral("tool.request.v1");
        QVERIFY(!c.matches(b));
        c = {};
        c.tags = {QStringLiteral("tool:response"), QStringLiteral("request:workflow-sum-1")};
        QVERIFY(c.matches(b));
        c.tags.append(QStringLiteral("request:llm"));
        QVERIFY(!c.matches(b));
        c = {};
        c.requestId = QStringLiteral("workflow-sum-1");
        QVERIFY(c.matches(b));
        c.requestId = QStringLiteral("workflow-sum-2");
        QVERIFY(!c.matches(b));
    }

    void requestIdMatchesCamelCaseToo()
    {
        const QJsonObject request = json(R"({"schema_name":"tool.request.v1","tags":[],
            "context":{"tool":"random","requestId":"workflow-num1-5"}})");
        WaitCriteria c;
        c.requestId = QStringLiteral("workflow-num1-5");
        QVERIFY(c.matches(request));
        // A number that looks like the id is not the id.
        const QJsonObject numeric = json(R"({"context":{"request_id":5}})");
        c.requestId = QStringLiteral("5");
        QVERIFY(!c.matches(numeric));
        // No context at all (minimal REST item): a request id cannot match.
        QVERIFY(!c.matches(json(R"({"id":"x","tags":[]})")));
    }

    void contextMatchOps_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<bool>("expected");
        QTest::newRow("eq number") << "output.result" << "eq" << QJsonValue(10) << true;
        QTest::newRow("eq int vs double") << "output.result" << "eq" << QJsonValue(10.0) << true;
        QTest::newRow("eq string vs number") << "output.result" << "eq" << QJsonValue(QStringLiteral("10")) << false;
        QTest::newRow("eq object") << "output.steps[0]" << "eq" << QJsonValue(QJsonObject{{QStringLiteral("id"), QStringLiteral("a")}}) << true;
        QTest::newRow("eq absent") << "output.nope" << "eq" << QJsonValue(QJsonValue::Null) << false;
        QTest::newRow("ne") << "status" << "ne" << QJsonValue(QStringLiteral("error")) << true;
        QTest::newRow("ne same") << "status" << "ne" << QJsonValue(QStringLiteral("success")) << false;
        QTest::newRow("ne absent") << "nope" << "ne" << QJsonValue(1) << true;
        QTest::newRow("gt") << "execution_time_ms" << "gt" << QJsonValue(200) << true;
        QTest::newRow("gt equal") << "execution_time_ms" << "gt" << QJsonValue(201) << false;
        QTest::newRow("lt double") << "output.steps[1].n" << "lt" << QJsonValue(3) << true;
        QTest::newRow("gt strings") << "tool" << "gt" << QJsonValue(QStringLiteral("abc")) << true;
        QTest::newRow("gt mixed types") << "tool" << "gt" << QJsonValue(1) << false;
        QTest::newRow("lt absent") << "nope" << "lt" << QJsonValue(1) << false;
        QTest::newRow("contains array") << "output.numbers" << "contains" << QJsonValue(3) << true;
        QTest::newRow("contains array miss") << "output.numbers" << "contains" << QJsonValue(4) << false;
        QTest::newRow("contains string") << "output.formatted" << "contains" << QJsonValue(QStringLiteral("= 10")) << true;
        QTest::newRow("contains string miss") << "output.formatted" << "contains" << QJsonValue(QStringLiteral("11")) << false;
        QTest::newRow("contains on number") << "output.result" << "contains" << QJsonValue(1) << false;
    }

    void contextMatchOps()
    {
        QFETCH(QString, path);
        QFETCH(QString, op);
        QFETCH(QJsonValue, value);
        QFETCH(bool, expected);
        QString error;
        const auto c = WaitCriteria::fromJson(
            QJsonObject{{QStringLiteral("context_match"),
                         QJsonArray{QJsonObject{{QStringLiteral("path"), path},
                                                {QStringLiteral("op"), op},
                                                {QStringLiteral("value"), value}}}}},
            &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->matches(sumResponse()), expected);
    }

    void allConditionsMustHold()
    {
        auto c = WaitCriteria::fromJson(json(R"({"schema_name":"tool.response.v1",
            "request_id":"workflow-sum-1","tags":["tool:response"],
            "context_match":[{"path":"status","op":"eq","value":"success"},
                             {"path":"output.result","op":"gt","value":9}]})"));
        QVERIFY(c);
        QVERIFY(c->matches(sumResponse()));
        c->contextMatch[1].value = 10;
        QVERIFY(!c->matches(sumResponse()));
    }

    void jsonRoundTrip()
    {
        const QJsonObject in = json(R"({"schema_name":"tool.response.v1","request_id":"r1",
            "tags":["a","b"],"context_match":[{"path":"x[0].y","op":"contains","value":[1]},
            {"path":"s","op":"ne","value":null}]})");
        const auto c = WaitCriteria::fromJson(in);
        QVERIFY(c);
        QCOMPARE(c->toJson(), in);
        QCOMPARE(WaitCriteria().toJson(), QJsonObject());
    }

    void badJsonIsRejectedWithAMessage_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("schema not string") << QByteArray(R"({"schema_name":1})") << "schema_name";
        QTest::newRow("request_id not string") << QByteArray(R"({"request_id":{}})") << "request_id";
        QTest::newRow("tags not array") << QByteArray(R"({"tags":"a"})") << "tags";
        QTest::newRow("tag not string") << QByteArray(R"({"tags":["a",2]})") << "tags";
        QTest::newRow("context_match not array") << QByteArray(R"({"context_match":{}})") << "context_match";
        QTest::newRow("item not object") << QByteArray(R"({"context_match":[1]})") << "context_match[0]";
        QTest::newRow("no path") << QByteArray(R"({"context_match":[{"op":"eq","value":1}]})") << "path";
        QTest::newRow("unknown op") << QByteArray(R"({"context_match":[{"path":"a","op":"gte","value":1}]})") << "op";
        QTest::newRow("op missing") << QByteArray(R"({"context_match":[{"path":"a","value":1}]})") << "op";
    }

    void badJsonIsRejectedWithAMessage()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, fragment);
        QString error;
        QVERIFY(!WaitCriteria::fromJson(QJsonDocument::fromJson(text).object(), &error));
        QVERIFY2(error.contains(fragment), qPrintable(error));
    }

    void responseToMatchesTaggedAndUntaggedResponses()
    {
        const WaitCriteria c = WaitCriteria::responseTo(QStringLiteral("workflow-sum-1"));
        QVERIFY(c.matches(sumResponse()));
        // The real runner's "not found" error carries no request:<id> tag (§5.2).
        QVERIFY(c.matches(json(R"({"schema_name":"tool.response.v1","tags":["workspace:tools",
            "tool:response","error"],"context":{"request_id":"workflow-sum-1","status":"error"}})")));
        // The request itself (requestId in its context) is not a response.
        QVERIFY(!c.matches(json(R"({"schema_name":"tool.request.v1","tags":[],
            "context":{"requestId":"workflow-sum-1"}})")));
    }
};

QTEST_GUILESS_MAIN(TestWaitCriteria)
#include "tst_waitcriteria.moc"
