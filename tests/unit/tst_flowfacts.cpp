// FlowFactsExtractor: what the flows read from each schema's context and tags (§5.1, §5.2, §5.7).
#include "tst_flowrig.h"

#include "model/decoder.h"
#include "model/flowfacts.h"

#include <QTest>

using namespace rcrt;
using namespace rcrt::test;

namespace {

EventRecord record(const QByteArray &raw, qint64 arrivalNs = kBaseNs)
{
    Decoder decoder;
    EventRecord r;
    r.seq = 0;
    r.envelope = decoder.decode(raw).value();
    r.raw = raw;
    r.first = Arrival{arrivalNs, EventSource::Sse};
    return r;
}

QByteArray withRawContext(const QByteArray &schema, const QByteArray &contextJson, const QList<QByteArray> &tags = {})
{
    QByteArray tagText;
    for (const QByteArray &tag : tags)
        tagText += (tagText.isEmpty() ? "\"" : ",\"") + tag + '"';
    return R"({"breadcrumb_id":"b1","owner_id":"o","version":2,"tags":[)" + tagText + R"(],"schema_name":")" + schema
        + R"(","updated_at":"2025-11-07T10:30:00.5Z","context":)" + contextJson + R"(,"type":"breadcrumb.updated"})";
}

} // namespace

class TestFlowFacts : public QObject
{
    Q_OBJECT

private slots:
    void kindsBySchema()
    {
        QCOMPARE(flowKindForSchema("tool.request.v1"), FlowKind::Request);
        QCOMPARE(flowKindForSchema("tool.response.v1"), FlowKind::Response);
        QCOMPARE(flowKindForSchema("agent.response.v1"), FlowKind::AgentResponse);
        QCOMPARE(flowKindForSchema("tool.catalog.v1"), FlowKind::RunnerCatalog);
        QCOMPARE(flowKindForSchema("tool.code.v1"), FlowKind::ToolCode);
        QCOMPARE(flowKindForSchema("tool.config.v1"), FlowKind::None);
        QCOMPARE(flowKindForSchema("agent.context.v1"), FlowKind::None);
        QCOMPARE(flowKindForSchema(""), FlowKind::None);
    }

    void sampleWorkflowRequest()
    {
        const QList<QByteArray> events = sampleEvents();
        QCOMPARE(events.size(), 20);
        FlowFactsExtractor extractor;
        const FlowFacts f = extractor.extract(record(events.at(6), kBaseNs + 7));
        QCOMPARE(f.kind, FlowKind::Request);
        QCOMPARE(f.breadcrumbId, kWorkflow);
        QCOMPARE(f.version, 1);
        QCOMPARE(f.updatedAtNs, parseRfc3339Ns(std::string_view("2025-11-07T10:30:04.010377Z")).value());
        QCOMPARE(f.arrival.arrivalNs, kBaseNs + 7);
        QCOMPARE(f.tool, s("workflow"));
        QCOMPARE(f.requestId, QByteArray("wf-add-1"));
        QCOMPARE(f.requestedBy, QByteArray("default-chat-assistant"));
        QCOMPARE(f.workspace, QByteArray("workspace:tools"));
        QVERIFY(f.hasInput);
        QVERIFY(!f.isWorkflowStep);
        QCOMPARE(f.workflowStepIds, (QList<QByteArray>{"num1", "num2", "sum"}));
    }

    void sampleStepAndResponses()
    {
        const QList<QByteArray> events = sampleEvents();
        FlowFactsExtractor extractor;
        const FlowFacts step = extractor.extract(record(events.at(7)));
        QVERIFY(step.isWorkflowStep);
        QCOMPARE(step.stepId, QByteArray("num1"));
        QCOMPARE(step.requestId, QByteArray("workflow-num1-1762509004301"));
        QVERIFY(step.workflowStepIds.isEmpty());

        const FlowFacts llm = extractor.extract(record(events.at(5)));
        QCOMPARE(llm.kind, FlowKind::Response);
        QCOMPARE(llm.responseRequestId, QByteArray("llm-1762509000640-k3j9x2m1q"));
        QCOMPARE(llm.requestTagIds, QList<QByteArray>{"llm-1762509000640-k3j9x2m1q"});
        QVERIFY(llm.hasLlmTag);
        QCOMPARE(llm.status, s("success"));
        QCOMPARE(llm.executionTimeMs, 3231);

        // Success responses carry request:<id> twice; the id is listed once.
        const FlowFacts sum = extractor.extract(record(events.at(14)));
        QCOMPARE(sum.requestTagIds, QList<QByteArray>{"workflow-sum-1762509004795"});
        QVERIFY(!sum.hasLlmTag);

        const FlowFacts agent = extractor.extract(record(events.at(11)));
        QCOMPARE(agent.kind, FlowKind::AgentResponse);
        QCOMPARE(agent.triggerEventId, kNum1Response);
        QCOMPARE(agent.agentId, QByteArray("default-chat-assistant"));
        QCOMPARE(agent.message, s("✅ random: {")); // first line only
        QCOMPARE(agent.resultTool, s("random"));
    }

    void inputTruthiness_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<bool>("truthy");
        QTest::newRow("object") << QByteArray(R"({"a":1})") << true;
        QTest::newRow("empty object") << QByteArray("{}") << true;
        QTest::newRow("empty array") << QByteArray("[]") << true;
        QTest::newRow("string") << QByteArray(R"("x")") << true;
        QTest::newRow("empty string") << QByteArray(R"("")") << false;
        QTest::newRow("zero") << QByteArray("0") << false;
        QTest::newRow("zero float") << QByteArray("0.0") << false;
        QTest::newRow("one") << QByteArray("1") << true;
        QTest::newRow("false") << QByteArray("false") << false;
        QTest::newRow("true") << QByteArray("true") << true;
        QTest::newRow("null") << QByteArray("null") << false;
    }

    void inputTruthiness()
    {
        QFETCH(QByteArray, input);
        QFETCH(bool, truthy);
        FlowFactsExtractor extractor;
        const FlowFacts f = extractor.extract(record(withRawContext("tool.request.v1", R"({"tool":"t","input":)" + input + "}")));
        QCOMPARE(f.kind, FlowKind::Request);
        QCOMPARE(f.hasInput, truthy);
    }

    void oddValues()
    {
        FlowFactsExtractor extractor;
        // An LLM-written numeric requestId still correlates; a missing input is no input.
        FlowFacts f = extractor.extract(record(withRawContext("tool.request.v1", R"({"tool":"t","requestId":42})")));
        QCOMPARE(f.requestId, QByteArray("42"));
        QVERIFY(!f.hasInput);

        // An error given as an object is shown as compact JSON; the first workspace tag wins.
        f = extractor.extract(record(withRawContext("tool.response.v1",
                                                    R"({"tool":"t","status":"error","error":{"code":7,"msg":"no"}})",
                                                    {"workspace:a", "workspace:b", "request:llm"})));
        QCOMPARE(f.error, s(R"({"code":7,"msg":"no"})"));
        QCOMPARE(f.workspace, QByteArray("workspace:a"));
        QVERIFY(f.requestTagIds.isEmpty());
        QVERIFY(f.hasLlmTag);
        QVERIFY(f.isError());
        QCOMPARE(f.executionTimeMs, -1);

        // A long message is cut to 200 characters and an ellipsis.
        const QByteArray longText(300, 'x');
        f = extractor.extract(record(withRawContext("agent.response.v1", R"({"message":")" + longText + R"("})")));
        QCOMPARE(f.message.size(), 201);
        QVERIFY(f.message.endsWith(QChar(0x2026)));
    }

    void nothingWithoutContext()
    {
        FlowFactsExtractor extractor;
        QCOMPARE(extractor.extract(record(withRawContext("tool.request.v1", "[1,2]"))).kind, FlowKind::None);
        QCOMPARE(extractor.extract(record(withRawContext("tool.request.v1", "\"text\""))).kind, FlowKind::None);
        // The minimal REST list shape has no context at all.
        const QByteArray listItem = R"({"id":"b2","title":"t","tags":[],"schema_name":"tool.request.v1","version":1,"updated_at":"2025-11-07T10:30:00Z"})";
        QCOMPARE(extractor.extract(record(listItem)).kind, FlowKind::None);
        QCOMPARE(extractor.extract(record(withRawContext("user.message.v1", "{}"))).kind, FlowKind::None);
    }

    void toolCodeName()
    {
        FlowFactsExtractor extractor;
        const FlowFacts f = extractor.extract(
            record(withRawContext("tool.code.v1", R"({"name":"random","code":{"source":"…"}})", {"tool", "tool:random", "workspace:tools"})));
        QCOMPARE(f.kind, FlowKind::ToolCode);
        QCOMPARE(f.tool, s("random"));
        QCOMPARE(f.workspace, QByteArray("workspace:tools"));
    }
};

QTEST_GUILESS_MAIN(TestFlowFacts)
#include "tst_flowfacts.moc"
