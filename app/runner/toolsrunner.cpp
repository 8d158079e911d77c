#include "app/runner/toolsrunner.h"

#include "app/breadcrumbwriter.h"
#include "model/eventwaiter.h"
#include "net/restclient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>

namespace rcrt {

namespace {

const QLatin1StringView kRequestSchema("tool.request.v1");
const QLatin1StringView kResponseSchema("tool.response.v1");

bool hasTag(const EnvelopeView &view, std::string_view tag)
{
    return std::find(view.tags.begin(), view.tags.end(), tag) != view.tags.end();
}

QString isoMillisNow()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

qint64 msBetween(qint64 fromNs, qint64 toNs)
{
    return (toNs - fromNs) / 1'000'000;
}

} // namespace

QJsonObject toolResponseBody(const QString &workspace, const QString &requestId, const QString &tool,
                             const ToolResult &result, qint64 executionMs)
{
    QJsonArray tags{workspace, QStringLiteral("tool:response")};
    if (requestId.startsWith(QLatin1StringView("llm-")))
        tags.append(QStringLiteral("request:llm"));
    tags.append(QString(QStringLiteral("request:") + requestId));
    QJsonObject context{
        {QStringLiteral("request_id"), requestId},
        {QStringLiteral("tool"), tool},
        {QStringLiteral("status"), result.ok ? QStringLiteral("success") : QStringLiteral("error")},
        {QStringLiteral("execution_time_ms"), executionMs},
        {QStringLiteral("timestamp"), isoMillisNow()},
    };
    if (result.ok)
        context.insert(QStringLiteral("output"), result.output.isUndefined() ? QJsonValue() : result.output);
    else
        context.insert(QStringLiteral("error"), result.error);
    return QJsonObject{
        {QStringLiteral("title"), QString((result.ok ? QStringLiteral("Response: ") : QStringLiteral("Error: ")) + tool)},
        {QStringLiteral("schema_name"), QString(kResponseSchema)},
        {QStringLiteral("tags"), tags},
        {QStringLiteral("context"), context},
    };
}

struct ToolsRunner::Job
{
    QString id; // request breadcrumb id
    QString requestId; // correlation id
    QString toolName;
    QJsonValue input;
    QString problem; // set when the request cannot run; answered as an error
    Tool *tool = nullptr; // owned by the runner's registry
    EventSource source = EventSource::Sse;
    qint64 seenNs = 0;
    qint64 queuedNs = 0;
    qint64 startNs = 0;
    qint64 endNs = 0;
    QPointer<QObject> holder; // parent of the run; deleting it cancels the run
    bool runFinished = false;
};

// What tools may ask of the runner (app/runner/tool.h): step requests through the writer, so
// they reach the local bus at once, and waits through the EventWaiter.
class ToolsRunner::Context final : public ToolContext
{
public:
    explicit Context(ToolsRunner &runner) : m_runner(runner) {}

    void requestTool(const QString &tool, const QJsonValue &input, const QString &requestId,
                     const QJsonObject &extraContext, const QStringList &extraTags, QObject *guard,
                     std::function<void(QString error)> acknowledged) override
    {
        QJsonObject context = extraContext;
        context.insert(QStringLiteral("tool"), tool);
        context.insert(QStringLiteral("input"), input);
        context.insert(QStringLiteral("requestId"), requestId);
        QJsonArray tags{QStringLiteral("tool:request"), workspace()};
        for (const QString &tag : extraTags)
            if (!tags.contains(tag))
                tags.append(tag);
        const QJsonObject body{{QStringLiteral("title"), QString(QStringLiteral("Tool request: ") + tool)},
                               {QStringLiteral("schema_name"), QString(kRequestSchema)},
                               {QStringLiteral("tags"), tags},
                               {QStringLiteral("context"), context}};
        if (!m_runner.m_writer) {
            QTimer::singleShot(0, guard ? guard : &m_runner, [acknowledged] {
                acknowledged(QStringLiteral("runner has no writer"));
            });
            return;
        }
        BreadcrumbWrite *write = m_runner.m_writer->create(body);
        const bool guarded = guard != nullptr;
        QPointer<QObject> g(guard);
        QObject::connect(write, &BreadcrumbWrite::finished, guard ? guard : write,
                         [g, guarded, acknowledged](const WriteReport &report) {
                             if (guarded && !g)
                                 return;
                             acknowledged(report.ok() ? QString() : report.error);
                         });
    }

    void waitFor(const WaitCriteria &criteria, int timeoutMs, QObject *guard,
                 std::function<void(std::optional<QJsonObject> breadcrumb)> done) override
    {
        if (!m_runner.m_waiter) {
            QTimer::singleShot(0, guard ? guard : &m_runner, [done] { done(std::nullopt); });
            return;
        }
        m_runner.m_waiter->waitFor(criteria, timeoutMs, guard, std::move(done));
    }

    QString workspace() const override { return m_runner.m_options.workspace; }

private:
    ToolsRunner &m_runner;
};

ToolsRunner::ToolsRunner(BreadcrumbWriter *writer, RestClient *rest, EventWaiter *waiter,
                         RunnerOptions options, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_rest(rest)
    , m_waiter(waiter)
    , m_options(std::move(options))
    , m_context(std::make_unique<Context>(*this))
{
    m_options.concurrency = std::max(1, m_options.concurrency);
    m_tools = m_options.makeTools ? m_options.makeTools() : ToolRegistry::builtins();
}

ToolsRunner::~ToolsRunner()
{
    // Runs live under holders parented to this runner: delete them while the context they
    // may use still exists; their guarded callbacks never fire.
    m_queue.clear();
    qDeleteAll(findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly));
}

QStringList ToolsRunner::toolNames() const
{
    return m_tools.names();
}

const Tool *ToolsRunner::tool(const QString &name) const
{
    return m_tools.find(name);
}

std::optional<ToolsRunner::State> ToolsRunner::stateOf(const QString &requestBreadcrumbId) const
{
    const auto it = m_states.constFind(requestBreadcrumbId);
    if (it == m_states.cend())
        return std::nullopt;
    return *it;
}

void ToolsRunner::start()
{
    emit logMessage(QStringLiteral("tools-runner on %1, tools: %2, concurrency %3")
                        .arg(m_options.workspace, toolNames().join(QStringLiteral(", ")))
                        .arg(m_options.concurrency));
    if (m_options.publishCatalog)
        publishCatalog();
}

void ToolsRunner::publishCatalog()
{
    if (!m_writer)
        return;
    const QString now = isoMillisNow();
    QJsonArray tools;
    const QJsonArray entries = m_tools.catalogEntries();
    for (const QJsonValue &entry : entries) {
        QJsonObject e = entry.toObject();
        e.insert(QStringLiteral("lastSeen"), now);
        tools.append(e);
    }
    const QJsonObject body{
        {QStringLiteral("title"), QStringLiteral("Tool Catalog (rcrt-console)")},
        {QStringLiteral("schema_name"), QStringLiteral("tool.catalog.v1")},
        {QStringLiteral("tags"), QJsonArray{m_options.workspace, QStringLiteral("tool:catalog")}},
        {QStringLiteral("context"), QJsonObject{{QStringLiteral("tools"), tools},
                                                {QStringLiteral("totalTools"), tools.size()},
                                                {QStringLiteral("activeTools"), tools.size()},
                                                {QStringLiteral("runner"), QStringLiteral("rcrt-console")},
                                                {QStringLiteral("lastUpdated"), now}}}};
    BreadcrumbWrite *write = m_writer->create(body);
    connect(write, &BreadcrumbWrite::finished, this, [this](const WriteReport &report) {
        if (report.ok())
            emit catalogPublished(report.id);
        else
            emit logMessage(QStringLiteral("could not publish the tool catalog: %1").arg(report.error));
    });
}

void ToolsRunner::feed(const StreamEvent &event)
{
    if (m_decoder.decodeView(event.raw, m_view))
        feed(event, m_view);
}

void ToolsRunner::feed(const StreamEvent &event, const EnvelopeView &view)
{
    if (view.kind != Envelope::Kind::Breadcrumb)
        return;
    if (!view.hasSchema || view.schemaName != std::string_view("tool.request.v1"))
        return;
    const QByteArray workspace = m_options.workspace.toUtf8();
    if (!hasTag(view, "tool:request") || !hasTag(view, std::string_view(workspace.constData(), size_t(workspace.size())))
        || hasTag(view, "health:check"))
        return;
    const QString id = QString::fromUtf8(view.breadcrumbId.data(), qsizetype(view.breadcrumbId.size()));
    if (m_states.contains(id)) {
        ++m_stats.duplicates;
        return;
    }
    QByteArrayView context;
    if (view.hasContext && view.contextOffset >= 0)
        context = QByteArrayView(event.raw.constData() + view.contextOffset, view.contextLength);
    // This process created it a moment ago (the local bus carries only our own acknowledged
    // writes): no answer can exist yet, so skip the lookup round trip.
    const bool ownFreshRequest = event.source == EventSource::Local && view.version == 1;
    accept(event, id, context, !ownFreshRequest);
}

void ToolsRunner::accept(const StreamEvent &event, const QString &id, QByteArrayView contextBytes, bool lookup)
{
    auto job = std::make_shared<Job>();
    job->id = id;
    job->source = event.source;
    job->seenNs = nowNs();
    job->requestId = id;
    setState(id, State::Checking);

    if (contextBytes.isEmpty()) {
        job->problem = QStringLiteral("request has no context");
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(contextBytes.toByteArray());
        const QJsonObject context = doc.object();
        const QJsonValue requestId = context.value(QLatin1StringView("requestId"));
        if (requestId.isString() && !requestId.toString().isEmpty())
            job->requestId = requestId.toString();
        const QJsonValue tool = context.value(QLatin1StringView("tool"));
        job->toolName = tool.toString();
        job->input = context.value(QLatin1StringView("input"));
        if (!doc.isObject())
            job->problem = QStringLiteral("request context is not a JSON object");
        else if (!tool.isString() || job->toolName.isEmpty())
            job->problem = QStringLiteral("request has no tool (context.tool)");
        else if (job->input.isUndefined() || job->input.isNull())
            job->problem = QStringLiteral("request has no input (context.input)");
    }

    if (!lookup || !m_rest) {
        enqueue(job);
        return;
    }
    ++m_stats.checking;
    changed();
    BreadcrumbListQuery query;
    query.schemaName = QString(kResponseSchema);
    query.tag = QStringLiteral("request:") + job->requestId;
    query.limit = 1;
    RestCall *call = m_rest->listBreadcrumbs(query);
    connect(call, &RestCall::finished, this, [this, job](const RestResult &result) { onLookup(job, result); });
}

void ToolsRunner::onLookup(const std::shared_ptr<Job> &job, const RestResult &result)
{
    --m_stats.checking;
    const QJsonDocument doc = QJsonDocument::fromJson(result.body);
    if (result.ok() && doc.isArray() && !doc.array().isEmpty()) {
        setState(job->id, State::Completed);
        ++m_stats.alreadyAnswered;
        RunnerExecution e;
        e.requestBreadcrumbId = job->id;
        e.requestId = job->requestId;
        e.tool = job->toolName;
        e.source = job->source;
        e.skipped = true;
        e.ok = true;
        e.responseId = doc.array().first().toObject().value(QLatin1StringView("id")).toString();
        emit executed(e);
        changed();
        return;
    }
    if (!result.ok())
        emit logMessage(QStringLiteral("looking for an existing response to %1 failed (%2); answering anyway, "
                                       "the idempotency key prevents a second answer from this console")
                            .arg(job->requestId, result.error));
    enqueue(job);
}

void ToolsRunner::enqueue(const std::shared_ptr<Job> &job)
{
    if (job->problem.isEmpty()) {
        job->problem = m_tools.checkRequest(job->toolName, job->input);
        job->tool = m_tools.find(job->toolName);
        if (job->problem.isEmpty() && !job->tool)
            job->problem = QStringLiteral("unknown tool: %1").arg(job->toolName);
    }
    job->queuedNs = nowNs();
    if (!job->problem.isEmpty()) {
        setState(job->id, State::Running);
        job->startNs = job->endNs = job->queuedNs;
        respond(job, ToolResult::failure(job->problem));
        return;
    }
    setState(job->id, State::Queued);
    m_queue.push_back(job);
    ++m_stats.queued;
    pump();
    changed();
}

void ToolsRunner::pump()
{
    while (m_stats.running < m_options.concurrency && !m_queue.empty()) {
        std::shared_ptr<Job> job = m_queue.front();
        m_queue.pop_front();
        --m_stats.queued;
        run(job);
    }
}

void ToolsRunner::run(const std::shared_ptr<Job> &job)
{
    ++m_stats.running;
    setState(job->id, State::Running);
    job->startNs = nowNs();
    auto *holder = new QObject(this);
    job->holder = holder;
    const int timeoutMs = job->tool->timeoutMs();
    auto *timer = new QTimer(holder);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, job, timeoutMs] {
        onRunFinished(job, ToolResult::failure(QStringLiteral("timed out after %1 ms").arg(timeoutMs)));
    });
    timer->start(timeoutMs);
    ToolRun *toolRun = job->tool->start(job->input, *m_context, holder);
    if (!toolRun) {
        QTimer::singleShot(0, holder, [this, job] {
            onRunFinished(job, ToolResult::failure(QStringLiteral("tool did not start")));
        });
        return;
    }
    connect(toolRun, &ToolRun::finished, this, [this, job](const ToolResult &result) { onRunFinished(job, result); });
}

void ToolsRunner::onRunFinished(const std::shared_ptr<Job> &job, const ToolResult &result)
{
    if (job->runFinished)
        return;
    job->runFinished = true;
    job->endNs = nowNs();
    if (job->holder)
        job->holder->deleteLater(); // cancels whatever the run still waits for
    --m_stats.running;
    respond(job, result);
    pump();
    changed();
}

void ToolsRunner::respond(const std::shared_ptr<Job> &job, const ToolResult &result)
{
    const qint64 executionMs = msBetween(job->startNs, job->endNs);
    const QJsonObject body = toolResponseBody(m_options.workspace, job->requestId,
                                              job->toolName.isEmpty() ? QStringLiteral("unknown") : job->toolName,
                                              result, executionMs);
    RunnerExecution e;
    e.requestBreadcrumbId = job->id;
    e.requestId = job->requestId;
    e.tool = job->toolName;
    e.source = job->source;
    e.ok = result.ok;
    e.error = result.error;
    e.queuedMs = msBetween(job->queuedNs, job->startNs);
    e.executionMs = executionMs;
    if (!m_writer) {
        setState(job->id, State::Completed);
        return;
    }
    BreadcrumbWrite *write = m_writer->create(body, QStringLiteral("rcrt-console-response:") + job->id);
    connect(write, &BreadcrumbWrite::finished, this, [this, job, e](const WriteReport &report) mutable {
        setState(job->id, State::Completed);
        e.responseId = report.id;
        e.responseAckNs = report.ackNs;
        if (report.ok()) {
            ++(e.ok ? m_stats.done : m_stats.failed);
        } else if (report.httpStatus == 409) {
            // Another console runner answered this request first (same idempotency key).
            ++m_stats.alreadyAnswered;
            e.skipped = true;
        } else {
            ++m_stats.responseWriteErrors;
            e.writeError = report.error;
            emit logMessage(QStringLiteral("response to %1 not written: %2").arg(job->requestId, report.error));
        }
        emit executed(e);
        changed();
    });
}

void ToolsRunner::setState(const QString &id, State state)
{
    auto it = m_states.find(id);
    if (it != m_states.end()) {
        *it = state;
        return;
    }
    m_states.insert(id, state);
    m_stateOrder.push_back(id);
    // Forget the oldest completed requests one by one; never the whole map.
    while (m_states.size() > m_options.maxTrackedRequests && !m_stateOrder.empty()
           && m_states.value(m_stateOrder.front()) == State::Completed) {
        m_states.remove(m_stateOrder.front());
        m_stateOrder.pop_front();
    }
}

void ToolsRunner::changed()
{
    emit statsChanged(m_stats);
}

} // namespace rcrt
