#include "simrunner.h"

#include "breadcrumbstore.h"
#include "breadcrumbwriter.h"
#include "jsonwriter.h"
#include "simlog.h"
#include "timestamps.h"
#include "toolbootstrap.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimer>

namespace rcrt::sim {

SimRunner::SimRunner(BreadcrumbWriter &writer, const BreadcrumbStore &store, const QUuid &owner,
                     int slotCount, quint64 seed, QObject *parent)
    : QObject(parent), m_writer(writer), m_store(store),
      m_identity(writerIdentity(owner, agents::kToolsRunner)), m_slots(slotCount), m_random(seed)
{
    m_writer.addListener([this](const WriteEvent &event) { onWrite(event); });
}

SimRunner::~SimRunner() = default;

void SimRunner::onWrite(const WriteEvent &event)
{
    const Breadcrumb &b = *event.breadcrumb;
    // The runner's stream only carries its own owner's events (§3.3).
    if (event.writerOwner != m_identity.owner || !b.schemaName)
        return;
    if (*b.schemaName == "tool.response.v1" && !m_waitingSteps.isEmpty()) {
        for (const QByteArray &tag : b.tags) {
            if (!tag.startsWith("request:"))
                continue;
            const QString requestId = QString::fromUtf8(tag.mid(8));
            if (m_waitingSteps.contains(requestId)) {
                onStepResponse(requestId, QJsonDocument::fromJson(b.context).object());
                break;
            }
        }
        return;
    }
    if (*b.schemaName != "tool.request.v1" || !b.hasTag("tool:request")
        || !b.hasTag("workspace:tools") || b.hasTag("health:check"))
        return;
    // Listeners must not write synchronously: defer to the event loop.
    const QByteArray id = b.idText;
    const QByteArray context = b.context;
    QTimer::singleShot(0, this, [this, id, context] { consider(id, context); });
}

void SimRunner::consider(const QByteArray &breadcrumbId, const QByteArray &contextJson)
{
    // processingStatus: one execution per request breadcrumb; the map resets past 100 (§5.4).
    if (m_processed.contains(breadcrumbId))
        return;
    if (m_processed.size() > 100)
        m_processed.clear();
    m_processed.insert(breadcrumbId);

    const QJsonObject context = QJsonDocument::fromJson(contextJson).object();
    const QJsonValue tool = context.value(QStringLiteral("tool"));
    const QJsonValue input = context.value(QStringLiteral("input"));
    if (!tool.isString() || tool.toString().isEmpty() || !isTruthy(input)) {
        // The real runner logs and returns: no response at all (§5.1).
        qCInfo(lcRunner) << "request" << breadcrumbId << "has no tool or input; not answered";
        return;
    }
    const QJsonValue requestId = context.value(QStringLiteral("requestId"));
    Job job{breadcrumbId, tool.toString(), input,
            requestId.isString() && !requestId.toString().isEmpty() ? requestId.toString()
                                                                     : QString::fromLatin1(breadcrumbId)};
    if (!toolExists(job.tool)) {
        respondNotFound(job);
        return;
    }
    m_queue.push_back(job);
    if (m_busy >= m_slots)
        qCInfo(lcRunner) << "all" << m_slots << "slots busy;" << m_queue.size() << "queued";
    pump();
}

bool SimRunner::toolExists(const QString &tool) const
{
    // The built-ins count as bootstrapped even when --workload none left the store empty, so
    // tests start from a clean list; any other tool needs its tool.code.v1 (§5.5).
    if (runBuiltinToolKnown(tool))
        return true;
    const QByteArray tag = "tool:" + tool.toUtf8();
    bool found = false;
    m_store.forEachNewestFirst([&](const Breadcrumb &b) {
        found = b.schemaName && *b.schemaName == "tool.code.v1" && b.hasTag(tag)
            && b.owner == m_identity.owner;
        return !found;
    });
    return found;
}

void SimRunner::pump()
{
    while (m_busy < m_slots && !m_queue.empty()) {
        const Job job = m_queue.front();
        m_queue.pop_front();
        ++m_busy;
        execute(job);
    }
}

void SimRunner::execute(const Job &job)
{
    const qint64 startedMs = QDateTime::currentMSecsSinceEpoch();
    if (job.tool == QStringLiteral("workflow")) {
        startWorkflow(job, startedMs);
        return;
    }
    const int simulatedMs = executionTimeMs(job.tool, job.input, m_random);
    QTimer::singleShot(simulatedMs, Qt::PreciseTimer, this, [this, job, startedMs, simulatedMs] {
        const auto outcome = runBuiltinTool(job.tool, job.input, m_random);
        finish(job,
               outcome.value_or(ToolOutcome{false, {},
                                            QStringLiteral("Tool %1 is not loaded in the runtime").arg(job.tool)}),
               startedMs, simulatedMs);
    });
}

void SimRunner::finish(const Job &job, const ToolOutcome &outcome, qint64 startedMs, int simulatedMs)
{
    if (outcome.ok)
        respondSuccess(job, outcome.output, QDateTime::currentMSecsSinceEpoch() - startedMs, simulatedMs);
    else
        respondExceptionError(job, outcome.error);
    releaseSlot();
}

void SimRunner::releaseSlot()
{
    --m_busy;
    QTimer::singleShot(0, this, &SimRunner::pump);
}

void SimRunner::respondSuccess(const Job &job, const QJsonValue &output, qint64 elapsedMs, int simulatedMs)
{
    const QByteArray requestTag = "request:" + job.correlation.toUtf8();
    NewBreadcrumb response;
    response.title = "Response: " + job.tool.toUtf8();
    response.schemaName = QByteArray("tool.response.v1");
    // Non-LLM responses carry the request tag twice, exactly like index.ts:284-300.
    response.tags = {"workspace:tools", "tool:response",
                     job.correlation.startsWith(QStringLiteral("llm-")) ? QByteArray("request:llm") : requestTag,
                     requestTag};
    response.context = canonicalJson(QJsonObject{
        {QStringLiteral("request_id"), job.correlation},
        {QStringLiteral("tool"), job.tool},
        {QStringLiteral("status"), QStringLiteral("success")},
        {QStringLiteral("output"), output},
        {QStringLiteral("execution_time_ms"), elapsedMs},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("duration_ms"), qMax(0, simulatedMs - 12)},
                                                 {QStringLiteral("timedOut"), false},
                                                 {QStringLiteral("exitCode"), 0}}},
        {QStringLiteral("timestamp"), QString::fromLatin1(formatMillis(nowMicros()))}});
    m_writer.create(m_identity, std::move(response));
}

void SimRunner::respondExceptionError(const Job &job, const QString &error)
{
    NewBreadcrumb response;
    response.title = "Error: " + job.tool.toUtf8();
    response.schemaName = QByteArray("tool.response.v1");
    response.tags = {"workspace:tools", "tool:response", "request:" + job.correlation.toUtf8()};
    response.context = canonicalJson(QJsonObject{
        {QStringLiteral("request_id"), job.correlation},
        {QStringLiteral("tool"), job.tool},
        {QStringLiteral("status"), QStringLiteral("error")},
        {QStringLiteral("error"), error},
        {QStringLiteral("execution_time_ms"), 0},
        {QStringLiteral("timestamp"), QString::fromLatin1(formatMillis(nowMicros()))}});
    m_writer.create(m_identity, std::move(response));
}

void SimRunner::respondNotFound(const Job &job)
{
    // No request:<id> tag: pollers never match it and wait their full 60 s (§8.2 item 1).
    qCInfo(lcRunner) << "tool" << job.tool << "not found; error response without request tag";
    NewBreadcrumb response;
    response.title = "Error: " + job.tool.toUtf8();
    response.schemaName = QByteArray("tool.response.v1");
    response.tags = {"workspace:tools", "tool:response", "error"};
    response.context = canonicalJson(QJsonObject{
        {QStringLiteral("request_id"), job.correlation},
        {QStringLiteral("tool"), job.tool},
        {QStringLiteral("status"), QStringLiteral("error")},
        {QStringLiteral("error"), QStringLiteral("Tool %1 not found").arg(job.tool)},
        {QStringLiteral("timestamp"), QString::fromLatin1(formatMillis(nowMicros()))}});
    m_writer.create(m_identity, std::move(response));
}

} // namespace rcrt::sim
