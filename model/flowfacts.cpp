#include "model/flowfacts.h"

#include "model/simdjsonsupport.h"

#include <cmath>

namespace rcrt {

namespace dom = simdjson::dom;

namespace {

constexpr qsizetype kMaxTextChars = 200;
constexpr QByteArrayView kWorkspacePrefix = "workspace:";
constexpr QByteArrayView kRequestPrefix = "request:";

QByteArray bytes(std::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

// Strings as they are; numbers as their decimal text (an LLM may write `"requestId": 7`).
QByteArray scalarText(dom::element value)
{
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS)
        return bytes(text);
    if (value.is_int64())
        return QByteArray::number(qint64(value.get_int64().value_unsafe()));
    if (value.is_uint64())
        return QByteArray::number(quint64(value.get_uint64().value_unsafe()));
    return {};
}

QByteArray field(dom::object object, std::string_view key)
{
    dom::element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS)
        return {};
    return scalarText(value);
}

// One line, at most kMaxTextChars: the tables show it, the inspector has the whole text.
QString shortText(QByteArrayView utf8)
{
    QString text = QString::fromUtf8(utf8);
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    if (newline >= 0)
        text.truncate(newline);
    if (text.size() > kMaxTextChars) {
        text.truncate(kMaxTextChars);
        text.append(QChar(0x2026));
    }
    return text;
}

QString shortField(dom::object object, std::string_view key)
{
    dom::element value;
    if (object.at_key(key).get(value) != simdjson::SUCCESS || value.is_null())
        return {};
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS)
        return shortText(QByteArrayView(text.data(), qsizetype(text.size())));
    // An error given as an object: show its JSON, shortened.
    return shortText(QByteArray::fromStdString(simdjson::minify(value)));
}

// JavaScript truthiness, because the runner tests `if (!input)` (§5.1): {} and [] count.
bool isTruthy(dom::element value)
{
    switch (value.type()) {
    case dom::element_type::NULL_VALUE:
        return false;
    case dom::element_type::BOOL:
        return value.get_bool().value_unsafe();
    case dom::element_type::STRING:
        return !value.get_string().value_unsafe().empty();
    case dom::element_type::INT64:
        return value.get_int64().value_unsafe() != 0;
    case dom::element_type::UINT64:
        return value.get_uint64().value_unsafe() != 0;
    case dom::element_type::DOUBLE: {
        const double d = value.get_double().value_unsafe();
        return d != 0.0 && !std::isnan(d);
    }
    case dom::element_type::ARRAY:
    case dom::element_type::OBJECT:
        return true;
    }
    return true;
}

void readTags(const Envelope &envelope, FlowFacts &facts)
{
    for (const QByteArray &tag : envelope.tags) {
        if (facts.workspace.isEmpty() && tag.startsWith(kWorkspacePrefix))
            facts.workspace = tag;
        else if (tag == "workflow:step")
            facts.isWorkflowStep = true;
        else if (tag.startsWith(kRequestPrefix)) {
            const QByteArray id = tag.mid(kRequestPrefix.size());
            if (id == "llm")
                facts.hasLlmTag = true;
            else if (!id.isEmpty() && !facts.requestTagIds.contains(id))
                facts.requestTagIds.append(id);
        }
    }
}

void readRequest(dom::object context, FlowFacts &facts)
{
    facts.tool = QString::fromUtf8(field(context, "tool"));
    facts.requestId = field(context, "requestId");
    facts.stepId = field(context, "stepId");
    facts.requestedBy = field(context, "requestedBy");
    dom::element input;
    facts.hasInput = context.at_key("input").get(input) == simdjson::SUCCESS && isTruthy(input);
    if (!facts.hasInput || facts.tool != QLatin1String("workflow"))
        return;
    dom::array steps;
    if (input.at_key("steps").get_array().get(steps) != simdjson::SUCCESS)
        return;
    for (const dom::element step : steps) {
        dom::object stepObject;
        if (step.get_object().get(stepObject) != simdjson::SUCCESS)
            continue;
        const QByteArray id = field(stepObject, "id");
        if (!id.isEmpty())
            facts.workflowStepIds.append(id);
    }
}

void readResponse(dom::object context, FlowFacts &facts)
{
    facts.tool = QString::fromUtf8(field(context, "tool"));
    facts.responseRequestId = field(context, "request_id");
    facts.status = QString::fromUtf8(field(context, "status"));
    facts.error = shortField(context, "error");
    dom::element ms;
    if (context.at_key("execution_time_ms").get(ms) == simdjson::SUCCESS && ms.is_number()) {
        double value = 0;
        if (ms.get_double().get(value) == simdjson::SUCCESS)
            facts.executionTimeMs = qint64(value);
    }
}

void readAgentResponse(dom::object context, FlowFacts &facts)
{
    facts.triggerEventId = field(context, "trigger_event_id");
    facts.message = shortField(context, "message");
    dom::object creator;
    if (context.at_key("creator").get_object().get(creator) == simdjson::SUCCESS)
        facts.agentId = field(creator, "agent_id");
    dom::object toolResult;
    if (context.at_key("tool_result").get_object().get(toolResult) == simdjson::SUCCESS)
        facts.resultTool = QString::fromUtf8(field(toolResult, "tool"));
}

} // namespace

FlowKind flowKindForSchema(QByteArrayView schemaName)
{
    // Every flow schema starts with "tool." or "agent.response": one cheap test first.
    if (schemaName.size() < 12 || (schemaName[0] != 't' && schemaName[0] != 'a'))
        return FlowKind::None;
    if (schemaName == "tool.request.v1")
        return FlowKind::Request;
    if (schemaName == "tool.response.v1")
        return FlowKind::Response;
    if (schemaName == "agent.response.v1")
        return FlowKind::AgentResponse;
    if (schemaName == "tool.catalog.v1")
        return FlowKind::RunnerCatalog;
    if (schemaName == "tool.code.v1")
        return FlowKind::ToolCode;
    return FlowKind::None;
}

struct FlowFactsExtractor::Private
{
    dom::parser parser;
    json::PaddedBuffer buffer;
};

FlowFactsExtractor::FlowFactsExtractor()
    : d(std::make_unique<Private>())
{
}

FlowFactsExtractor::~FlowFactsExtractor() = default;

FlowFacts FlowFactsExtractor::extract(const EventRecord &record)
{
    FlowFacts facts;
    const Envelope &envelope = record.envelope;
    if (!envelope.isBreadcrumb() || !envelope.hasSchema)
        return facts;
    const FlowKind kind = flowKindForSchema(envelope.schemaName);
    if (kind == FlowKind::None)
        return facts;

    const QByteArrayView contextText = record.context();
    if (contextText.isEmpty())
        return facts;
    const char *base = d->buffer.load(contextText);
    dom::element root;
    dom::object context;
    if (d->parser.parse(base, size_t(contextText.size()), false).get(root) != simdjson::SUCCESS
        || root.get_object().get(context) != simdjson::SUCCESS)
        return facts;

    facts.kind = kind;
    facts.breadcrumbId = envelope.breadcrumbId;
    facts.version = envelope.version;
    facts.updatedAtNs = envelope.updatedAtNs;
    facts.arrival = record.first;
    readTags(envelope, facts);
    switch (kind) {
    case FlowKind::Request:
        readRequest(context, facts);
        break;
    case FlowKind::Response:
        readResponse(context, facts);
        break;
    case FlowKind::AgentResponse:
        readAgentResponse(context, facts);
        break;
    case FlowKind::ToolCode:
        facts.tool = QString::fromUtf8(field(context, "name"));
        break;
    case FlowKind::RunnerCatalog:
    case FlowKind::None:
        break;
    }
    return facts;
}

} // namespace rcrt
