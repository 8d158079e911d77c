#include "model/decoder.h"
#include "model/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QTest>

using rcrt::Decoder;
using rcrt::Envelope;

namespace {

// The SSE timeline of rcrt-protocol.md §6, verbatim (one `data:` payload per entry).
QList<QByteArray> protocolTimeline()
{
    return {
        QByteArray("{\"type\":\"ping\",\"ts\":\"2025-11-07T10:29:58Z\"}"),
        QByteArray("{\"breadcrumb_id\":\"4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"user:message\",\"extension:chat\",\"session:session-1762509000000\"],\"schema_name\":\"user.message.v1\",\"updated_at\":\"2025-11-07T10:30:00.101532Z\",\"context\":{\"source\":\"rcrt-extension-v2\",\"content\":\"Pick two random numbers between 1 and 10 and add them\",\"timestamp\":\"2025-11-07T10:30:00.087Z\",\"session_id\":\"session-1762509000000\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"9a2e5b1c-3d4f-4a6b-8c7d-0e1f2a3b4c5d\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":4,\"tags\":[\"agent:context\",\"consumer:default-chat-assistant\",\"session:session-1762509000000\"],\"schema_name\":\"agent.context.v1\",\"updated_at\":\"2025-11-07T10:30:00.388214Z\",\"context\":{\"breadcrumbs\":[{\"id\":\"4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\",\"content\":{\"source\":\"rcrt-extension-v2\",\"content\":\"Pick two random numbers between 1 and 10 and add them\",\"timestamp\":\"2025-11-07T10:30:00.087Z\",\"session_id\":\"session-1762509000000\"},\"created_at\":\"2025-11-07T10:30:00.101532Z\",\"schema_name\":\"user.message.v1\"}],\"consumer_id\":\"default-chat-assistant\",\"assembled_at\":\"2025-11-07T10:30:00.352118731+00:00\",\"token_estimate\":412,\"trigger_event_id\":\"4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90\",\"sources_assembled\":3}}"),
        QByteArray("{\"breadcrumb_id\":\"b7d01e22-5f60-4c2b-a8e9-1c2d3e4f5a6b\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"tool:request\",\"workspace:tools\",\"agent:default-chat-assistant\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\"2025-11-07T10:30:00.655470Z\",\"context\":{\"tool\":\"openrouter\",\"input\":{\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful AI assistant integrated with the RCRT system. …\"},{\"role\":\"user\",\"content\":\"# Available Context … # User Message …\"}]},\"config_id\":\"c0f1d2e3-a4b5-4c6d-8e7f-9a0b1c2d3e4f\",\"requestId\":\"llm-1762509000640-k3j9x2m1q\",\"requestedBy\":\"default-chat-assistant\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"type\":\"ping\",\"ts\":\"2025-11-07T10:30:03Z\"}"),
        QByteArray("{\"breadcrumb_id\":\"e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\",\"tool:response\",\"request:llm\",\"request:llm-1762509000640-k3j9x2m1q\"],\"schema_name\":\"tool.response.v1\",\"updated_at\":\"2025-11-07T10:30:03.912044Z\",\"context\":{\"tool\":\"openrouter\",\"output\":{\"model\":\"google/gemini-2.5-flash\",\"usage\":{\"total_tokens\":1530,\"prompt_tokens\":1402,\"completion_tokens\":128},\"content\":\"{\\\"action\\\":\\\"create\\\",\\\"breadcrumb\\\":{\\\"schema_name\\\":\\\"agent.response.v1\\\",\\\"title\\\":\\\"Chat Response\\\",\\\"tags\\\":[\\\"agent:response\\\",\\\"chat:output\\\",\\\"session:session-1762509000000\\\"],\\\"context\\\":{\\\"message\\\":\\\"Running a workflow…\\\",\\\"tool_requests\\\":[{\\\"tool\\\":\\\"workflow\\\",\\\"input\\\":{…},\\\"requestId\\\":\\\"wf-add-1\\\"}]}}}\",\"cost_estimate\":0.00077},\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":3190},\"timestamp\":\"2025-11-07T10:30:03.897Z\",\"request_id\":\"llm-1762509000640-k3j9x2m1q\",\"execution_time_ms\":3231},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"f0e1d2c3-b4a5-4968-8776-655443322110\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"tool:request\",\"workspace:tools\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\"2025-11-07T10:30:04.010377Z\",\"context\":{\"tool\":\"workflow\",\"input\":{\"steps\":[{\"id\":\"num1\",\"tool\":\"random\",\"input\":{\"max\":10,\"min\":1}},{\"id\":\"num2\",\"tool\":\"random\",\"input\":{\"max\":10,\"min\":1}},{\"id\":\"sum\",\"tool\":\"calculator\",\"input\":{\"expression\":\"${num1.numbers[0]} + ${num2.numbers[0]}\"},\"dependencies\":[\"num1\",\"num2\"]}]},\"requestId\":\"wf-add-1\",\"requestedBy\":\"default-chat-assistant\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"11aa22bb-33cc-44dd-85ee-66ff77008899\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"tool:request\",\"workflow:step\",\"workspace:tools\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\"2025-11-07T10:30:04.310881Z\",\"context\":{\"tool\":\"random\",\"input\":{\"max\":10,\"min\":1},\"stepId\":\"num1\",\"requestId\":\"workflow-num1-1762509004301\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"22bb33cc-44dd-45ee-86ff-778899aabbcc\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"tool:request\",\"workflow:step\",\"workspace:tools\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\"2025-11-07T10:30:04.312406Z\",\"context\":{\"tool\":\"random\",\"input\":{\"max\":10,\"min\":1},\"stepId\":\"num2\",\"requestId\":\"workflow-num2-1762509004302\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"33cc44dd-55ee-46ff-8700-8899aabbccdd\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\",\"tool:response\",\"request:workflow-num1-1762509004301\",\"request:workflow-num1-1762509004301\"],\"schema_name\":\"tool.response.v1\",\"updated_at\":\"2025-11-07T10:30:04.581902Z\",\"context\":{\"tool\":\"random\",\"output\":{\"numbers\":[7]},\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":131},\"timestamp\":\"2025-11-07T10:30:04.575Z\",\"request_id\":\"workflow-num1-1762509004301\",\"execution_time_ms\":143},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"44dd55ee-66ff-4700-8811-99aabbccddee\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\",\"tool:response\",\"request:workflow-num2-1762509004302\",\"request:workflow-num2-1762509004302\"],\"schema_name\":\"tool.response.v1\",\"updated_at\":\"2025-11-07T10:30:04.598117Z\",\"context\":{\"tool\":\"random\",\"output\":{\"numbers\":[3]},\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":139},\"timestamp\":\"2025-11-07T10:30:04.592Z\",\"request_id\":\"workflow-num2-1762509004302\",\"execution_time_ms\":152},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"55ee66ff-7700-4811-9922-aabbccddeeff\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"agent:response\",\"chat:output\"],\"schema_name\":\"agent.response.v1\",\"updated_at\":\"2025-11-07T10:30:04.742590Z\",\"context\":{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},\"message\":\"✅ random: {\\n  \\\"numbers\\\": [\\n    7\\n  ]\\n}\",\"timestamp\":\"2025-11-07T10:30:04.735Z\",\"tool_result\":{\"tool\":\"random\",\"output\":{\"numbers\":[7]}},\"trigger_event_id\":\"33cc44dd-55ee-46ff-8700-8899aabbccdd\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"66ff7700-8811-4922-aa33-bbccddeeff00\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"tool:request\",\"workflow:step\",\"workspace:tools\"],\"schema_name\":\"tool.request.v1\",\"updated_at\":\"2025-11-07T10:30:04.803233Z\",\"context\":{\"tool\":\"calculator\",\"input\":{\"expression\":\"7 + 3\"},\"stepId\":\"sum\",\"requestId\":\"workflow-sum-1762509004795\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"77008811-9922-4a33-bb44-ccddeeff0011\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"agent:response\",\"chat:output\"],\"schema_name\":\"agent.response.v1\",\"updated_at\":\"2025-11-07T10:30:04.860021Z\",\"context\":{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},\"message\":\"✅ random: {\\n  \\\"numbers\\\": [\\n    3\\n  ]\\n}\",\"timestamp\":\"2025-11-07T10:30:04.853Z\",\"tool_result\":{\"tool\":\"random\",\"output\":{\"numbers\":[3]}},\"trigger_event_id\":\"44dd55ee-66ff-4700-8811-99aabbccddee\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"88119922-aa33-4b44-8c55-ddeeff001122\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\",\"tool:response\",\"request:workflow-sum-1762509004795\",\"request:workflow-sum-1762509004795\"],\"schema_name\":\"tool.response.v1\",\"updated_at\":\"2025-11-07T10:30:05.021448Z\",\"context\":{\"tool\":\"calculator\",\"output\":{\"result\":10,\"formatted\":\"7 + 3 = 10\",\"expression\":\"7 + 3\"},\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":188},\"timestamp\":\"2025-11-07T10:30:05.015Z\",\"request_id\":\"workflow-sum-1762509004795\",\"execution_time_ms\":201},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"9922aa33-bb44-4c55-9d66-eeff00112233\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\",\"tool:response\",\"request:wf-add-1\",\"request:wf-add-1\"],\"schema_name\":\"tool.response.v1\",\"updated_at\":\"2025-11-07T10:30:05.191306Z\",\"context\":{\"tool\":\"workflow\",\"output\":{\"results\":{\"sum\":{\"result\":10,\"formatted\":\"7 + 3 = 10\",\"expression\":\"7 + 3\"},\"num1\":{\"numbers\":[7]},\"num2\":{\"numbers\":[3]}},\"executionOrder\":[\"num1\",\"num2\",\"sum\"]},\"status\":\"success\",\"metadata\":{\"exitCode\":0,\"timedOut\":false,\"duration_ms\":1163},\"timestamp\":\"2025-11-07T10:30:05.185Z\",\"request_id\":\"wf-add-1\",\"execution_time_ms\":1181},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"aa33bb44-cc55-4d66-8e77-ff0011223344\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"agent:response\",\"chat:output\"],\"schema_name\":\"agent.response.v1\",\"updated_at\":\"2025-11-07T10:30:05.210655Z\",\"context\":{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},\"message\":\"✅ calculator: {\\n  \\\"result\\\": 10, …}\",\"timestamp\":\"2025-11-07T10:30:05.204Z\",\"tool_result\":{\"tool\":\"calculator\",\"output\":{\"result\":10,\"formatted\":\"7 + 3 = 10\",\"expression\":\"7 + 3\"}},\"trigger_event_id\":\"88119922-aa33-4b44-8c55-ddeeff001122\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"breadcrumb_id\":\"bb44cc55-dd66-4e77-8f88-001122334455\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"agent:response\",\"chat:output\"],\"schema_name\":\"agent.response.v1\",\"updated_at\":\"2025-11-07T10:30:05.342871Z\",\"context\":{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},\"message\":\"✅ workflow: {\\n  \\\"results\\\": { … },\\n  \\\"executionOrder\\\": [ \\\"num1\\\", \\\"num2\\\", \\\"sum\\\" ]\\n}\",\"timestamp\":\"2025-11-07T10:30:05.336Z\",\"tool_result\":{\"tool\":\"workflow\",\"output\":{\"results\":{\"sum\":{\"result\":10,\"formatted\":\"7 + 3 = 10\",\"expression\":\"7 + 3\"},\"num1\":{\"numbers\":[7]},\"num2\":{\"numbers\":[3]}},\"executionOrder\":[\"num1\",\"num2\",\"sum\"]}},\"trigger_event_id\":\"9922aa33-bb44-4c55-9d66-eeff00112233\"},\"type\":\"breadcrumb.updated\"}"),
        QByteArray("{\"type\":\"ping\",\"ts\":\"2025-11-07T10:30:08Z\"}"),
        QByteArray("{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"18532073-3402-4f9a-9b92-5fa7e156e263\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":190,\"tags\":[\"workspace:agents\",\"agent:catalog\"],\"schema_name\":\"agent.catalog.v1\",\"updated_at\":\"2025-11-07T10:30:57.123114Z\",\"context\":{\"agents\":[{\"name\":\"Default Chat Assistant\",\"status\":\"active\",\"metrics\":{\"errors\":0,\"last_activity\":\"2025-11-07T10:30:57.118Z\",\"events_processed\":0},\"agent_id\":\"default-chat-assistant\",\"description\":\"Default Chat Assistant\",\"lastActivity\":\"2025-11-07T10:30:57.118Z\"}],\"workspace\":\"workspace:agents\",\"lastUpdated\":\"2025-11-07T10:30:57.118Z\",\"totalAgents\":1,\"activeAgents\":1}}"),
    };
}

qint64 ns(const char *rfc3339)
{
    return rcrt::parseRfc3339Ns(QByteArrayView(rfc3339, qsizetype(qstrlen(rfc3339)))).value();
}

// Oracle for the context slice: Qt's JSON parser reading the whole payload.
QJsonValue contextPerQt(const QByteArray &raw)
{
    return QJsonDocument::fromJson(raw).object().value(QLatin1String("context"));
}

QJsonValue parseValue(QByteArrayView text)
{
    // QJsonDocument only takes objects/arrays at the top level; wrap to compare any value.
    const QByteArray wrapped = "[" + text.toByteArray() + "]";
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    return doc.array().first();
}

QList<QByteArray> bytesList(std::initializer_list<const char *> items)
{
    QList<QByteArray> list;
    for (const char *item : items)
        list.append(QByteArray(item));
    return list;
}

} // namespace

class TestDecoder : public QObject
{
    Q_OBJECT
private slots:
    void createOrderFromProtocolExample()
    {
        const QByteArray raw = protocolTimeline().at(1); // user.message.v1, `type` last
        QString error;
        Decoder decoder;
        const auto e = decoder.decode(raw, &error);
        QVERIFY2(e, qPrintable(error));
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->shape, Envelope::Shape::SseEvent);
        QCOMPARE(e->type, QByteArray("breadcrumb.updated"));
        QCOMPARE(e->breadcrumbId, QByteArray("4f1c2a7e-0b8d-4c1e-9a51-2f3d6e7a8b90"));
        QVERIFY(e->hasOwner);
        QCOMPARE(e->ownerId, QByteArray("00000000-0000-0000-0000-000000000001"));
        QCOMPARE(e->version, 1);
        QVERIFY(e->isCreate());
        QCOMPARE(e->tags, bytesList({"user:message", "extension:chat", "session:session-1762509000000"}));
        QVERIFY(e->hasSchema);
        QCOMPARE(e->schemaName, QByteArray("user.message.v1"));
        QCOMPARE(e->updatedAtNs, ns("2025-11-07T10:30:00.101532Z"));
        QVERIFY(e->hasContext);
        QCOMPARE(e->contextIn(raw).toByteArray(),
                 QByteArray("{\"source\":\"rcrt-extension-v2\",\"content\":\"Pick two random numbers between 1 and 10 and add them\",\"timestamp\":\"2025-11-07T10:30:00.087Z\",\"session_id\":\"session-1762509000000\"}"));
    }

    void updateOrderFromProtocolExample()
    {
        const QByteArray raw = protocolTimeline().at(2); // agent.context.v1 v4, `type` first
        QString error;
        Decoder decoder;
        const auto e = decoder.decode(raw, &error);
        QVERIFY2(e, qPrintable(error));
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->breadcrumbId, QByteArray("9a2e5b1c-3d4f-4a6b-8c7d-0e1f2a3b4c5d"));
        QCOMPARE(e->version, 4);
        QVERIFY(!e->isCreate());
        QCOMPARE(e->tags, bytesList({"agent:context", "consumer:default-chat-assistant", "session:session-1762509000000"}));
        QCOMPARE(e->schemaName, QByteArray("agent.context.v1"));
        QCOMPARE(e->updatedAtNs, ns("2025-11-07T10:30:00.388214Z"));
        // The context is the last key here: the slice must stop before the payload's final `}`.
        const QByteArrayView context = e->contextIn(raw);
        QVERIFY(context.startsWith("{\"breadcrumbs\":[{"));
        QVERIFY(context.endsWith("\"sources_assembled\":3}"));
        QCOMPARE(parseValue(context), contextPerQt(raw));
    }

    void wholeProtocolTimeline()
    {
        Decoder decoder;
        int pings = 0;
        int breadcrumbs = 0;
        for (const QByteArray &raw : protocolTimeline()) {
            QString error;
            const auto e = decoder.decode(raw, &error);
            QVERIFY2(e, qPrintable(error + QLatin1String(": ") + QString::fromUtf8(raw)));
            const QJsonObject qt = QJsonDocument::fromJson(raw).object();
            QCOMPARE(e->type, qt.value(QLatin1String("type")).toString().toUtf8());
            if (e->kind == Envelope::Kind::Ping) {
                ++pings;
                QCOMPARE(e->pingTsNs, ns(qPrintable(qt.value(QLatin1String("ts")).toString())));
                continue;
            }
            ++breadcrumbs;
            QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
            QCOMPARE(e->breadcrumbId, qt.value(QLatin1String("breadcrumb_id")).toString().toUtf8());
            QCOMPARE(e->version, qt.value(QLatin1String("version")).toInt());
            QCOMPARE(e->schemaName, qt.value(QLatin1String("schema_name")).toString().toUtf8());
            QCOMPARE(e->tags.size(), qt.value(QLatin1String("tags")).toArray().size());
            QCOMPARE(e->updatedAtNs, ns(qPrintable(qt.value(QLatin1String("updated_at")).toString())));
            QCOMPARE(parseValue(e->contextIn(raw)), contextPerQt(raw));
        }
        QCOMPARE(pings, 3);
        QCOMPARE(breadcrumbs, 17);
    }

    // Escaped JSON inside a context string (the LLM tool response, §6 step 4) and UTF-8 text.
    void escapedStringsInContext()
    {
        const QByteArray raw = protocolTimeline().at(5);
        Decoder decoder;
        const auto e = decoder.decode(raw);
        QVERIFY(e);
        QCOMPARE(e->tags, bytesList({"workspace:tools", "tool:response", "request:llm", "request:llm-1762509000640-k3j9x2m1q"}));
        QCOMPARE(parseValue(e->contextIn(raw)), contextPerQt(raw));
    }

    void anyKeyOrder_data()
    {
        QTest::addColumn<QList<QByteArray>>("fields");
        const QList<QByteArray> fields = {
            "\"type\":\"breadcrumb.updated\"",
            "\"breadcrumb_id\":\"b7d01e22-5f60-4c2b-a8e9-1c2d3e4f5a6b\"",
            "\"owner_id\":\"00000000-0000-0000-0000-000000000001\"",
            "\"version\":7",
            "\"tags\":[\"tool:request\",\"workspace:tools\"]",
            "\"schema_name\":\"tool.request.v1\"",
            "\"updated_at\":\"2025-11-07T10:30:00.655Z\"",
            "\"context\":{\"tool\":\"x\",\"input\":{\"a\":[1,{\"b\":\"}\"}]},\"requestId\":\"r-1\"}",
        };
        QTest::newRow("update order") << fields;
        QList<QByteArray> createOrder = fields.mid(1);
        createOrder.append(fields.first());
        QTest::newRow("create order") << createOrder;
        QList<QByteArray> reversed(fields.rbegin(), fields.rend());
        QTest::newRow("reversed") << reversed;
        QList<QByteArray> contextFirst = {fields.last()};
        contextFirst += fields.mid(0, fields.size() - 1);
        QTest::newRow("context first") << contextFirst;
        QList<QByteArray> interleaved;
        for (qsizetype i = 0; i < fields.size(); i += 2)
            interleaved.append(fields.at(i));
        for (qsizetype i = 1; i < fields.size(); i += 2)
            interleaved.append(fields.at(i));
        QTest::newRow("interleaved") << interleaved;
    }
    void anyKeyOrder()
    {
        QFETCH(QList<QByteArray>, fields);
        const QByteArray raw = '{' + fields.join(',') + '}';
        Decoder decoder;
        QString error;
        const auto e = decoder.decode(raw, &error);
        QVERIFY2(e, qPrintable(error));
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->breadcrumbId, QByteArray("b7d01e22-5f60-4c2b-a8e9-1c2d3e4f5a6b"));
        QCOMPARE(e->version, 7);
        QCOMPARE(e->tags, bytesList({"tool:request", "workspace:tools"}));
        QCOMPARE(e->schemaName, QByteArray("tool.request.v1"));
        QCOMPARE(e->updatedAtNs, ns("2025-11-07T10:30:00.655Z"));
        QCOMPARE(e->contextIn(raw).toByteArray(), QByteArray("{\"tool\":\"x\",\"input\":{\"a\":[1,{\"b\":\"}\"}]},\"requestId\":\"r-1\"}"));
    }

    void nullSchemaMissingOwnerNullContext()
    {
        const QByteArray raw = "{\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":2,\"tags\":[],\"schema_name\":null,\"updated_at\":\"2025-11-07T10:30:00Z\",\"context\":null,\"type\":\"breadcrumb.updated\"}";
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QVERIFY(!e->hasSchema);
        QVERIFY(e->schemaName.isEmpty());
        QVERIFY(!e->hasOwner);
        QVERIFY(e->ownerId.isEmpty());
        QVERIFY(e->tags.isEmpty());
        QVERIFY(e->hasContext);
        QCOMPARE(e->contextIn(raw).toByteArray(), QByteArray("null"));
    }

    void pings_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<qint64>("ts");
        QTest::newRow("server ping") << QByteArray("{\"type\":\"ping\",\"ts\":\"2025-11-07T10:30:05Z\"}") << ns("2025-11-07T10:30:05Z");
        QTest::newRow("ts first") << QByteArray("{\"ts\":\"2025-11-07T10:30:05Z\",\"type\":\"ping\"}") << ns("2025-11-07T10:30:05Z");
        QTest::newRow("proxy ping with source, no ts") << QByteArray("{\"type\":\"ping\",\"source\":\"secure_proxy\"}") << qint64(0);
    }
    void pings()
    {
        QFETCH(QByteArray, raw);
        QFETCH(qint64, ts);
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QCOMPARE(e->kind, Envelope::Kind::Ping);
        QCOMPARE(e->pingTsNs, ts);
        QVERIFY(!e->hasContext);
    }

    void otherTypes_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("type");
        QTest::newRow("proxy system message") << QByteArray("{\"type\":\"system\",\"message\":\"connected\"}") << QByteArray("system");
        QTest::newRow("breadcrumb.created (docs only)")
            << QByteArray("{\"type\":\"breadcrumb.created\",\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":1}")
            << QByteArray("breadcrumb.created");
        QTest::newRow("other type with odd fields") << QByteArray("{\"type\":\"x\",\"version\":\"not checked\",\"tags\":5}") << QByteArray("x");
    }
    void otherTypes()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, type);
        QString error;
        const auto e = Decoder().decode(raw, &error);
        QVERIFY2(e, qPrintable(error));
        QCOMPARE(e->kind, Envelope::Kind::Other);
        QCOMPARE(e->type, type);
    }

    // GET /breadcrumbs?include_context=true item (§1.3), used for backfill.
    void restListItemWithContext()
    {
        const QByteArray raw = "{\"id\":\"e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8\",\"title\":\"Response: openrouter\",\"description\":null,\"semantic_version\":null,\"context\":{\"tool\":\"openrouter\",\"status\":\"success\"},\"tags\":[\"workspace:tools\",\"tool:response\"],\"schema_name\":\"tool.response.v1\",\"llm_hints\":null,\"version\":3,\"updated_at\":\"2025-11-07T10:30:03.912044Z\"}";
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->shape, Envelope::Shape::ListItem);
        QVERIFY(e->type.isEmpty());
        QCOMPARE(e->breadcrumbId, QByteArray("e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"));
        QVERIFY(!e->hasOwner);
        QCOMPARE(e->version, 3);
        QCOMPARE(e->schemaName, QByteArray("tool.response.v1"));
        QCOMPARE(e->updatedAtNs, ns("2025-11-07T10:30:03.912044Z"));
        QCOMPARE(e->contextIn(raw).toByteArray(), QByteArray("{\"tool\":\"openrouter\",\"status\":\"success\"}"));
    }

    void restListItemMinimal()
    {
        const QByteArray raw = "{\"id\":\"e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8\",\"title\":\"t\",\"tags\":[\"a\"],\"schema_name\":null,\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\"}";
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->shape, Envelope::Shape::ListItem);
        QVERIFY(!e->hasContext);
        QVERIFY(e->contextIn(raw).isEmpty());
    }

    void eventWithoutTypeIsABreadcrumb()
    {
        // The server fills a missing `type` with breadcrumb.updated (§3.4).
        const QByteArray raw = "{\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":1,\"tags\":[],\"schema_name\":\"s\",\"updated_at\":\"2025-11-07T10:30:03Z\",\"context\":{}}";
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QCOMPARE(e->kind, Envelope::Kind::Breadcrumb);
        QCOMPARE(e->shape, Envelope::Shape::SseEvent);
    }

    void contextSliceIsExact_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("context");
        const QByteArray head = "{\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\",";
        const QByteArray tricky = "{\"a\":\"}{\\\"][\",\"b\":[{\"c\":\"\\u00e9\\ud83d\\ude00 \\\\\"},[],{}],\"d\":{\"e\":{\"f\":null}},\"g\":-1.5e-3,\"h\":true}";
        QTest::newRow("braces, quotes, escapes; more keys after") << head + "\"context\":" + tricky + ",\"tags\":[\"x\"],\"type\":\"breadcrumb.updated\"}" << tricky;
        QTest::newRow("context last") << head + "\"context\":" + tricky + "}" << tricky;
        QTest::newRow("pretty-printed") << QByteArray("{\n  \"breadcrumb_id\" : \"a0000000-0000-4000-8000-000000000001\",\n  \"version\" : 1,\n  \"updated_at\" : \"2025-11-07T10:30:03Z\",\n  \"context\" :  {\n    \"k\" : [ 1, 2 ]\n  }  \n,\n  \"type\" : \"breadcrumb.updated\"\n}\n")
                                        << QByteArray("{\n    \"k\" : [ 1, 2 ]\n  }");
        QTest::newRow("string context") << head + "\"context\":\"plain \\\"text\\\"\",\"type\":\"breadcrumb.updated\"}" << QByteArray("\"plain \\\"text\\\"\"");
        QTest::newRow("number context with spaces") << head + "\"context\":  42  ,\"tags\":[]}" << QByteArray("42");
        QTest::newRow("array context") << head + "\"context\":[[],[{}],\"]\"]}" << QByteArray("[[],[{}],\"]\"]");
        QTest::newRow("nested key named context first") << head + "\"title\":{\"context\":\"not me\"},\"context\":{\"me\":1}}" << QByteArray("{\"me\":1}");
        QTest::newRow("key containing context") << head + "\"contexts\":[1],\"context\":{\"me\":2}}" << QByteArray("{\"me\":2}");
    }
    void contextSliceIsExact()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, context);
        QString error;
        const auto e = Decoder().decode(raw, &error);
        QVERIFY2(e, qPrintable(error));
        QVERIFY(e->hasContext);
        QCOMPARE(e->contextIn(raw).toByteArray(), context);
    }

    void tagsAreUnescapedAndKeepDuplicates()
    {
        const QByteArray raw = "{\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\",\"tags\":[\"request:wf-1\",\"request:wf-1\",\"q\\\"uote\",\"caf\\u00e9\"]}";
        const auto e = Decoder().decode(raw);
        QVERIFY(e);
        QCOMPARE(e->tags, QList<QByteArray>({"request:wf-1", "request:wf-1", "q\"uote", "caf\xc3\xa9"}));
        QVERIFY(e->hasTag("q\"uote"));
        QVERIFY(!e->hasTag("request:wf"));
    }

    void rejectsWithAClearMessage_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("expected"); // a fragment of the message

        const QByteArray id = "\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\"";
        const QByteArray ok = "\"updated_at\":\"2025-11-07T10:30:03Z\"";
        auto bc = [&](const char *rest) -> QByteArray { return "{" + id + "," + ok + "," + rest + "}"; };

        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("blank") << QByteArray(" \r\n") << QStringLiteral("empty");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::newRow("string") << QByteArray("\"ping\"") << QStringLiteral("not a JSON object");
        QTest::newRow("number") << QByteArray("42") << QStringLiteral("not a JSON object");
        QTest::newRow("null") << QByteArray("null") << QStringLiteral("not a JSON object");
        QTest::newRow("empty object") << QByteArray("{}") << QStringLiteral("neither");
        QTest::newRow("type not a string") << QByteArray("{\"type\":5}") << QStringLiteral("`type` is not a string");
        QTest::newRow("type null") << QByteArray("{\"type\":null,\"breadcrumb_id\":\"x\"}") << QStringLiteral("`type` is not a string");
        QTest::newRow("updated without id") << QByteArray("{\"type\":\"breadcrumb.updated\",\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\"}") << QStringLiteral("without `breadcrumb_id`");
        QTest::newRow("id not a string") << QByteArray("{\"breadcrumb_id\":123,\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\"}") << QStringLiteral("id is not a string");
        QTest::newRow("id empty") << QByteArray("{\"breadcrumb_id\":\"\",\"version\":1,\"updated_at\":\"2025-11-07T10:30:03Z\"}") << QStringLiteral("id is empty");
        QTest::newRow("no version") << bc("\"tags\":[]") << QStringLiteral("has no `version`");
        QTest::newRow("version string") << bc("\"version\":\"3\"") << QStringLiteral("not an integer");
        QTest::newRow("version fraction") << bc("\"version\":1.5") << QStringLiteral("not an integer");
        QTest::newRow("version exponent") << bc("\"version\":1e3") << QStringLiteral("not an integer");
        QTest::newRow("version bool") << bc("\"version\":true") << QStringLiteral("not an integer");
        QTest::newRow("version null") << bc("\"version\":null") << QStringLiteral("not an integer");
        QTest::newRow("version zero") << bc("\"version\":0") << QStringLiteral("outside");
        QTest::newRow("version negative") << bc("\"version\":-1") << QStringLiteral("outside");
        QTest::newRow("version above int32") << bc("\"version\":2147483648") << QStringLiteral("outside");
        QTest::newRow("version above int64") << bc("\"version\":18446744073709551615") << QStringLiteral("outside");
        // Integers beyond 64 bits are valid JSON but beyond simdjson's number range; the server's
        // serde_json cannot emit them (it would print a float), so they are refused, not crashed on.
        QTest::newRow("version beyond 64 bits") << bc("\"version\":123456789012345678901234567890") << QStringLiteral("number");
        QTest::newRow("context number beyond 64 bits") << bc("\"version\":1,\"context\":{\"n\":123456789012345678901234567890}") << QStringLiteral("number");
        QTest::newRow("context number beyond double") << bc("\"version\":1,\"context\":[1e400]") << QStringLiteral("number");
        QTest::newRow("no updated_at") << QByteArray("{" + id + ",\"version\":1}") << QStringLiteral("has no `updated_at`");
        QTest::newRow("updated_at garbage") << QByteArray("{" + id + ",\"version\":1,\"updated_at\":\"yesterday\"}") << QStringLiteral("not an RFC 3339 timestamp");
        QTest::newRow("updated_at number") << QByteArray("{" + id + ",\"version\":1,\"updated_at\":1762511405}") << QStringLiteral("`updated_at` is not a string");
        QTest::newRow("tags string") << bc("\"version\":1,\"tags\":\"a\"") << QStringLiteral("`tags` is not an array of strings");
        QTest::newRow("tags numbers") << bc("\"version\":1,\"tags\":[\"a\",1]") << QStringLiteral("`tags` is not an array of strings");
        QTest::newRow("tags null") << bc("\"version\":1,\"tags\":null") << QStringLiteral("`tags` is not an array of strings");
        QTest::newRow("schema number") << bc("\"version\":1,\"schema_name\":5") << QStringLiteral("`schema_name` is neither");
        QTest::newRow("owner array") << bc("\"version\":1,\"owner_id\":[]") << QStringLiteral("`owner_id` is neither");
        QTest::newRow("ping ts garbage") << QByteArray("{\"type\":\"ping\",\"ts\":\"soon\"}") << QStringLiteral("ping `ts`");
        QTest::newRow("ping ts number") << QByteArray("{\"type\":\"ping\",\"ts\":1762511405}") << QStringLiteral("ping `ts` is not a string");
        QTest::newRow("trailing garbage") << QByteArray("{\"type\":\"ping\"} x") << QStringLiteral("malformed JSON");
        QTest::newRow("two objects") << QByteArray("{\"type\":\"ping\"}{\"type\":\"ping\"}") << QStringLiteral("malformed JSON");
        QTest::newRow("unterminated string") << QByteArray("{\"type\":\"ping") << QStringLiteral("malformed JSON");
        QTest::newRow("missing brace") << QByteArray("{\"type\":\"ping\"") << QStringLiteral("malformed JSON");
        QTest::newRow("single quotes") << QByteArray("{'type':'ping'}") << QStringLiteral("malformed JSON");
        QTest::newRow("trailing comma") << QByteArray("{\"type\":\"ping\",}") << QStringLiteral("malformed JSON");
        QTest::newRow("bad literal in context") << bc("\"version\":1,\"context\":{\"a\":tru}") << QStringLiteral("malformed JSON");
        QTest::newRow("NaN in context") << bc("\"version\":1,\"context\":{\"a\":NaN}") << QStringLiteral("malformed JSON");
        QTest::newRow("leading zero in context") << bc("\"version\":1,\"context\":[01]") << QStringLiteral("malformed JSON");
        QTest::newRow("bad escape in context") << bc("\"version\":1,\"context\":\"\\x\"") << QStringLiteral("malformed JSON");
        QTest::newRow("invalid utf-8") << bc("\"version\":1,\"context\":\"\xc3\x28\"") << QStringLiteral("malformed JSON");
        QTest::newRow("raw newline in string") << bc("\"version\":1,\"context\":\"a\nb\"") << QStringLiteral("malformed JSON");
        QTest::newRow("sse framing left in") << QByteArray("data: {\"type\":\"ping\"}") << QStringLiteral("malformed JSON");
        QTest::newRow("binary junk") << QByteArray("\x00\x01\x02{", 4) << QStringLiteral("malformed JSON");
        QTest::newRow("deep nesting") << bc(QByteArray("\"version\":1,\"context\":" + QByteArray(5000, '[') + QByteArray(5000, ']')).constData())
                                      << QStringLiteral("malformed JSON");
    }
    void rejectsWithAClearMessage()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, expected);
        QString error;
        Decoder decoder;
        QVERIFY(!decoder.decode(raw, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        // The decoder stays usable after any rejection.
        QVERIFY(decoder.decode(protocolTimeline().at(1)));
    }

    void everyTruncationIsRejected()
    {
        Decoder decoder;
        for (const QByteArray &raw : protocolTimeline()) {
            for (qsizetype cut = 0; cut < raw.size(); ++cut) {
                QString error;
                if (decoder.decode(QByteArrayView(raw.constData(), cut), &error))
                    QFAIL(qPrintable(QStringLiteral("accepted a payload cut at %1: %2").arg(cut).arg(QString::fromUtf8(raw.left(cut)))));
                QVERIFY(!error.isEmpty());
            }
        }
    }

    void largeContextAndBufferReuse()
    {
        Decoder decoder;
        const QByteArray big = "{\"breadcrumb_id\":\"a0000000-0000-4000-8000-000000000001\",\"version\":9,\"updated_at\":\"2025-11-07T10:30:03Z\",\"context\":{\"prompt\":\""
            + QByteArray(4 * 1024 * 1024, 'x') + "\"},\"type\":\"breadcrumb.updated\"}";
        const auto large = decoder.decode(big);
        QVERIFY(large);
        QCOMPARE(large->contextLength, 4 * 1024 * 1024 + 13);
        const auto small = decoder.decode(protocolTimeline().at(0));
        QVERIFY(small);
        QCOMPARE(small->kind, Envelope::Kind::Ping);
        // Envelopes own their bytes: earlier results survive later decodes.
        QCOMPARE(large->breadcrumbId, QByteArray("a0000000-0000-4000-8000-000000000001"));
        QCOMPARE(large->version, 9);
    }

    void viewMatchesEnvelope()
    {
        Decoder decoder;
        rcrt::EnvelopeView view;
        for (const QByteArray &raw : protocolTimeline()) {
            QVERIFY(decoder.decodeView(raw, view));
            const Envelope fromView = view.toEnvelope();
            const auto direct = decoder.decode(raw);
            QVERIFY(direct);
            QCOMPARE(fromView.breadcrumbId, direct->breadcrumbId);
            QCOMPARE(fromView.tags, direct->tags);
            QCOMPARE(fromView.contextOffset, direct->contextOffset);
            QCOMPARE(fromView.contextLength, direct->contextLength);
            QCOMPARE(fromView.updatedAtNs, direct->updatedAtNs);
        }
    }
};

QTEST_GUILESS_MAIN(TestDecoder)
#include "tst_decoder.moc"
