#pragma once

#include "model/eventrecord.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace rcrt {

// What one breadcrumb record says about tool flows (rcrt-protocol.md §5), extracted from its
// tags and raw `context`. Only the schemas below are parsed; everything else is FlowKind::None
// after a schema-name compare, so the hot path pays nothing for the other events.
enum class FlowKind : quint8 {
    None,
    Request,        // tool.request.v1
    Response,       // tool.response.v1
    AgentResponse,  // agent.response.v1
    RunnerCatalog,  // tool.catalog.v1: a tools-runner announced itself for its workspace
    ToolCode,       // tool.code.v1: a tool exists in a workspace (written by bootstrap, not the runner)
};

struct FlowFacts
{
    FlowKind kind = FlowKind::None;
    QByteArray breadcrumbId;
    qint32 version = 0;
    qint64 updatedAtNs = 0;          // server clock
    Arrival arrival;                 // console clock
    QByteArray workspace;            // the first `workspace:*` tag, whole ("workspace:tools")

    // Requests and responses.
    QString tool;                    // context.tool (ToolCode: context.name)

    // Requests (§5.1).
    QByteArray requestId;            // context.requestId; empty when absent
    bool hasInput = false;           // context.input present and truthy in the JavaScript sense
    bool isWorkflowStep = false;     // `workflow:step` tag
    QByteArray stepId;               // context.stepId
    QByteArray requestedBy;          // context.requestedBy
    QList<QByteArray> workflowStepIds; // tool == "workflow": context.input.steps[].id

    // Responses (§5.2).
    QByteArray responseRequestId;    // context.request_id (snake_case); empty when absent
    QList<QByteArray> requestTagIds; // ids of the `request:<id>` tags other than request:llm, unique
    bool hasLlmTag = false;          // `request:llm`
    QString status;                  // context.status ("success" / "error")
    QString error;                   // context.error, shortened
    qint64 executionTimeMs = -1;     // context.execution_time_ms; -1 when absent

    // Agent responses (§5.7).
    QByteArray triggerEventId;       // context.trigger_event_id
    QByteArray agentId;              // context.creator.agent_id
    QString message;                 // context.message, first line, shortened
    QString resultTool;              // context.tool_result.tool

    bool isError() const { return status == QLatin1String("error"); }
};

// Which FlowKind a schema name maps to; None for every schema the flows do not use.
FlowKind flowKindForSchema(QByteArrayView schemaName);

// Extracts flow facts with simdjson (the DOM API, like the decoder). Keeps one parser and one
// padded buffer, so it does not allocate per event once warmed up. Not thread-safe.
//
// A record of a flow schema whose context is missing (the minimal REST list shape) or is not
// a JSON object yields FlowKind::None: without the context there is nothing to pair on.
class FlowFactsExtractor final
{
public:
    FlowFactsExtractor();
    ~FlowFactsExtractor();
    Q_DISABLE_COPY_MOVE(FlowFactsExtractor)

    FlowFacts extract(const EventRecord &record);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt
