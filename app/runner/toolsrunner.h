#pragma once

#include "app/runner/tool.h"
#include "app/runner/toolregistry.h"
#include "model/decoder.h"
#include "model/streamevent.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace rcrt {

class BreadcrumbWriter;
class EventWaiter;
class RestClient;
struct RestResult;
struct WriteReport;

struct RunnerOptions
{
    QString workspace = QStringLiteral("workspace:tools");
    int concurrency = 4;
    // Request ids remembered (processing/completed); the oldest completed ones are forgotten
    // beyond this, one at a time — never the whole map, as the real runner does (§5.4).
    qsizetype maxTrackedRequests = 100'000;
    bool publishCatalog = true;
    // Makes the tools served (allow-list, input size and schema checks); null →
    // ToolRegistry::builtins(). A factory, so options stay copyable across threads.
    std::function<ToolRegistry()> makeTools;
};

struct RunnerStats
{
    int running = 0;
    int queued = 0; // waiting for a slot
    int checking = 0; // looking for an existing response
    qint64 done = 0; // answered with status success
    qint64 failed = 0; // answered with status error
    qint64 alreadyAnswered = 0; // a response existed (restart, another runner)
    qint64 duplicates = 0; // deliveries of a request already seen (local+SSE, selectors, backfill)
    qint64 responseWriteErrors = 0;
    bool saturated() const { return queued > 0; }
};

// One answered (or skipped) request, for logs and the GUI.
struct RunnerExecution
{
    QString requestBreadcrumbId;
    QString requestId; // correlation id: context.requestId, else the breadcrumb id
    QString tool;
    EventSource source = EventSource::Sse; // the delivery that triggered it
    bool skipped = false; // a response already existed
    bool ok = false;
    QString error; // the tool's (or the request check's) error, as answered
    QString writeError; // the response could not be written (then nobody got an answer)
    qint64 queuedMs = 0; // waiting for a slot
    qint64 executionMs = 0;
    QString responseId;
    qint64 responseAckNs = 0;
};

// The console's in-process tools-runner (issue 4 item 3).
//
// Accepts tool.request.v1 tagged tool:request and the workspace, never health:check (§5.1),
// from every source; reads context.tool / context.input from the event itself. Executes each
// request breadcrumb id exactly once:
//  - within one runner, a state per id (checking → queued → running → completed) skips every
//    further delivery (local bus and SSE copies, selector duplicates, backfill, new versions);
//  - across runners and restarts, before executing it asks the server for an existing answer
//    (GET /breadcrumbs?schema_name=tool.response.v1&tag=request:<id>), except for requests this
//    process itself just created (local bus, version 1): nobody can have answered those yet;
//  - responses are created with Idempotency-Key "rcrt-console-response:<request breadcrumb id>",
//    so two console runners racing on one request leave one response (the loser gets 409).
// A correlation id that repeats (LLM-chosen requestIds) therefore counts as answered: the
// pollers would match the old response anyway (§5.3).
//
// Unlike the real runner it answers every request: a missing tool or input, an unknown tool,
// input over ToolRegistry::kMaxInputBytes or failing the tool's input schema, a timeout (Tool::timeoutMs) and a
// tool failure all give a tool.response.v1 with status "error", tagged request:<id>.
//
// Single-threaded; feed() may be called with any event (it filters cheaply).
class ToolsRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolsRunner)

public:
    enum class State : quint8 { Checking, Queued, Running, Completed };

    ToolsRunner(BreadcrumbWriter *writer, RestClient *rest, EventWaiter *waiter,
                RunnerOptions options = {}, QObject *parent = nullptr);
    ~ToolsRunner() override;

    // Publishes the tool catalog (when enabled).
    void start();
    void feed(const StreamEvent &event);
    void feed(const StreamEvent &event, const EnvelopeView &view); // envelope already read

    const RunnerOptions &options() const { return m_options; }
    RunnerStats stats() const { return m_stats; }
    std::optional<State> stateOf(const QString &requestBreadcrumbId) const;
    QStringList toolNames() const;
    const Tool *tool(const QString &name) const;

signals:
    void statsChanged(const rcrt::RunnerStats &stats);
    void executed(const rcrt::RunnerExecution &execution);
    void catalogPublished(const QString &breadcrumbId);
    void logMessage(const QString &message);

private:
    struct Job;
    class Context;

    void accept(const StreamEvent &event, const QString &id, QByteArrayView context, bool lookup);
    void onLookup(const std::shared_ptr<Job> &job, const RestResult &result);
    void enqueue(const std::shared_ptr<Job> &job);
    void pump();
    void run(const std::shared_ptr<Job> &job);
    void onRunFinished(const std::shared_ptr<Job> &job, const ToolResult &result);
    void respond(const std::shared_ptr<Job> &job, const ToolResult &result);
    void setState(const QString &id, State state);
    void changed();
    void publishCatalog();

    QPointer<BreadcrumbWriter> m_writer;
    QPointer<RestClient> m_rest;
    QPointer<EventWaiter> m_waiter;
    RunnerOptions m_options;
    ToolRegistry m_tools;
    std::unique_ptr<Context> m_context;
    Decoder m_decoder;
    EnvelopeView m_view;
    QHash<QString, State> m_states;
    std::deque<QString> m_stateOrder; // insertion order, for the bound
    std::deque<std::shared_ptr<Job>> m_queue;
    RunnerStats m_stats;
};

// Builds a tool.response.v1 body in the real runner's shape (§5.2), always tagged
// request:<id> (plus request:llm for llm- ids).
QJsonObject toolResponseBody(const QString &workspace, const QString &requestId, const QString &tool,
                             const ToolResult &result, qint64 executionMs);

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::RunnerOptions)
Q_DECLARE_METATYPE(rcrt::RunnerStats)
Q_DECLARE_METATYPE(rcrt::RunnerExecution)
