#include "workloadload.h"

#include "breadcrumbwriter.h"
#include "jsonbuilder.h"
#include "simlog.h"
#include "timestamps.h"
#include "toolbootstrap.h"

namespace rcrt::sim {
namespace {

constexpr int kTickMs = 2;
// Generation per tick stops after this long so the event loop can write what was generated.
constexpr qint64 kTickBudgetNs = 4 * 1000 * 1000;
constexpr int kSessions = 64;
constexpr const char *kTools[] = {"random", "calculator", "echo", "openrouter", "timer", "workflow"};

const char kLorem[] = "Lorem ipsum dolor sit amet, consectetur adipiscing elit ✅ sed do eiusmod "
                      "tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, "
                      "quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo. ";

} // namespace

WorkloadLoad::WorkloadLoad(BreadcrumbWriter &writer, const QUuid &owner, double rate,
                           qint64 maxWrites, quint64 seed, QObject *parent)
    : QObject(parent), m_writer(writer), m_rate(rate), m_maxWrites(maxWrites), m_random(seed),
      m_agentWriter(writerIdentity(owner, agents::kAgentRunner)),
      m_runnerWriter(writerIdentity(owner, agents::kToolsRunner)),
      m_contextWriter(writerIdentity(owner, agents::kContextBuilder)),
      m_userWriter(writerIdentity(owner, agents::kExtension))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &WorkloadLoad::tick);
}

void WorkloadLoad::start()
{
    for (int i = 0; i < kSessions; ++i)
        m_sessions.append("session:load-" + QByteArray::number(i));
    m_clock.start();
    m_timer.start();
    qCInfo(lcWorkload) << "load workload:" << m_rate << "writes/s"
                       << (m_maxWrites > 0 ? QByteArray("until ") + QByteArray::number(m_maxWrites) : QByteArray());
}

void WorkloadLoad::tick()
{
    const qint64 elapsedMs = m_clock.elapsed();
    qint64 target = qint64(m_rate * double(elapsedMs) / 1000.0) - m_skipped;
    // Never carry more than a quarter second of backlog: if we cannot keep up, the schedule
    // slips (the rate drops) instead of bursting later. m_done only counts real writes.
    const qint64 maxBurst = qMax<qint64>(1, qint64(m_rate / 4));
    if (target - m_done > maxBurst) {
        m_skipped += target - m_done - maxBurst;
        target = m_done + maxBurst;
    }
    if (m_maxWrites > 0)
        target = qMin(target, m_maxWrites);
    QElapsedTimer budget;
    budget.start();
    while (m_done < target) {
        writeOne();
        ++m_done;
        if ((m_done & 63) == 0 && budget.nsecsElapsed() > kTickBudgetNs)
            break;
    }
    if (elapsedMs - m_lastReportMs >= 5000) {
        const double rate = double(m_writer.writes() - m_lastReportWrites) * 1000.0
            / double(qMax<qint64>(1, elapsedMs - m_lastReportMs));
        qCInfo(lcWorkload) << "load workload:" << qint64(rate) << "writes/s over the last"
                           << (elapsedMs - m_lastReportMs) << "ms";
        m_lastReportMs = elapsedMs;
        m_lastReportWrites = qint64(m_writer.writes());
    }
    // Behind schedule after the budget: go on as soon as the loop has written what is queued,
    // not 2 ms later, so a rate above what one core generates runs at that core's limit.
    if (m_done < target && !m_catchUpQueued) {
        m_catchUpQueued = true;
        QMetaObject::invokeMethod(this, [this] {
            m_catchUpQueued = false;
            tick();
        }, Qt::QueuedConnection);
    }
    if (m_maxWrites > 0 && m_done >= m_maxWrites) {
        m_timer.stop();
        qCInfo(lcWorkload) << "load workload finished:" << m_done << "writes in" << elapsedMs << "ms";
    }
}

void WorkloadLoad::writeOne()
{
    const int dice = int(m_random.between(0, 99));
    if (dice < 30)
        createRequest();
    else if (dice < 60)
        m_pending.empty() ? createRequest() : createResponse();
    else if (dice < 80)
        patchContext();
    else if (dice < 90)
        createUserMessage();
    else
        createAgentResponse();
}

QByteArray WorkloadLoad::filler(int minBytes, int maxBytes)
{
    const int size = int(m_random.between(minBytes, maxBytes));
    const qsizetype loremSize = qsizetype(sizeof kLorem) - 1;
    QByteArray out;
    out.reserve(size + loremSize);
    while (out.size() < size)
        out.append(kLorem, loremSize);
    // Cut on an ASCII byte so the text stays valid UTF-8 (cut == size() needs no check: the
    // text may end exactly there).
    qsizetype cut = size;
    while (cut > 0 && cut < out.size() && (static_cast<unsigned char>(out.at(cut)) & 0xC0) == 0x80)
        --cut;
    out.truncate(cut);
    return out;
}

void WorkloadLoad::createRequest()
{
    const int tool = int(m_random.between(0, 5));
    QByteArray requestId = (tool == 3 ? "llm-" : "req-") + QByteArray::number(nowMicros() / 1000) + '-'
        + QByteArray::number(++m_sequence, 36);
    JsonbObject input;
    input.str("message", filler(60, 260)).num("min", 1).num("max", 100);
    JsonbObject context;
    context.str("tool", kTools[tool]).raw("input", input.build()).str("requestId", requestId)
        .str("requestedBy", "load-agent");
    NewBreadcrumb b;
    b.title = QByteArrayLiteral("Tool request");
    b.schemaName = QByteArrayLiteral("tool.request.v1");
    b.tags = {QByteArrayLiteral("tool:request"), QByteArrayLiteral("workspace:tools"), QByteArrayLiteral("agent:load-agent")};
    b.context = context.build();
    m_writer.create(m_agentWriter, std::move(b));
    m_pending.push_back({std::move(requestId), tool});
    if (m_pending.size() > 10000)
        m_pending.pop_front();
}

void WorkloadLoad::createResponse()
{
    const PendingRequest request = std::move(m_pending.front());
    m_pending.pop_front();
    const QByteArray requestTag = "request:" + request.requestId;
    const qint64 duration = m_random.between(80, 250);
    JsonbObject output;
    output.raw("numbers", "[" + QByteArray::number(m_random.between(1, 100)) + ']')
        .str("note", filler(40, 200));
    JsonbObject metadata;
    metadata.num("duration_ms", duration).boolean("timedOut", false).num("exitCode", 0);
    JsonbObject context;
    context.str("request_id", request.requestId).str("tool", kTools[request.tool]).str("status", "success")
        .raw("output", output.build()).num("execution_time_ms", duration + 12)
        .raw("metadata", metadata.build()).str("timestamp", formatMillis(nowMicros()));
    static const QByteArray titles[] = {"Response: random", "Response: calculator", "Response: echo",
                                        "Response: openrouter", "Response: timer", "Response: workflow"};
    NewBreadcrumb b;
    b.title = titles[request.tool];
    b.schemaName = QByteArrayLiteral("tool.response.v1");
    b.tags = {QByteArrayLiteral("workspace:tools"), QByteArrayLiteral("tool:response"),
              request.requestId.startsWith("llm-") ? QByteArrayLiteral("request:llm") : requestTag, requestTag};
    b.context = context.build();
    m_writer.create(m_runnerWriter, std::move(b));
}

void WorkloadLoad::patchContext()
{
    const int session = int(m_random.between(0, kSessions - 1));
    // Mostly ~600 bytes; one in 500 is an assembled context of tens of KB, like LLM prompts.
    const bool large = m_random.between(0, 499) == 0;
    JsonbObject entry;
    entry.str("id", m_lastUserMessageId.isEmpty() ? QByteArray("none") : m_lastUserMessageId)
        .str("content", large ? filler(16000, 64000) : filler(150, 450))
        .str("created_at", formatTimestamp(nowMicros())).str("schema_name", "user.message.v1");
    JsonbObject context;
    context.raw("breadcrumbs", '[' + entry.build() + ']').str("consumer_id", "load-agent")
        .str("assembled_at", formatTimestamp(nowMicros())).num("token_estimate", m_random.between(100, 900))
        .str("trigger_event_id", m_lastUserMessageId).num("sources_assembled", 3);
    if (session >= m_contexts.size()) {
        NewBreadcrumb b;
        b.title = QByteArrayLiteral("Agent Context: load-agent");
        b.schemaName = QByteArrayLiteral("agent.context.v1");
        b.tags = {QByteArrayLiteral("agent:context"), QByteArrayLiteral("consumer:load-agent"), m_sessions.at(m_contexts.size())};
        b.context = context.build();
        m_contexts.append(m_writer.create(m_contextWriter, std::move(b)).id);
        return;
    }
    BreadcrumbPatch patch;
    patch.context = context.build();
    if (m_writer.patch(m_contextWriter, m_contexts.at(session), std::move(patch))
        == BreadcrumbWriter::PatchOutcome::NotFound) {
        // Evicted by the store bound: start that session's context again.
        m_contexts.removeAt(session);
    }
}

void WorkloadLoad::createUserMessage()
{
    const QByteArray session = m_sessions.at(int(m_random.between(0, kSessions - 1)));
    JsonbObject context;
    context.str("source", "rcrt-extension-v2").str("content", filler(40, 300))
        .str("timestamp", formatMillis(nowMicros())).str("session_id", session.mid(8));
    NewBreadcrumb b;
    b.title = QByteArrayLiteral("User message");
    b.schemaName = QByteArrayLiteral("user.message.v1");
    b.tags = {QByteArrayLiteral("user:message"), QByteArrayLiteral("extension:chat"), session};
    b.context = context.build();
    m_lastUserMessageId = m_writer.create(m_userWriter, std::move(b)).idText;
}

void WorkloadLoad::createAgentResponse()
{
    JsonbObject creator;
    creator.str("type", "agent").str("agent_id", "load-agent");
    JsonbObject context;
    context.raw("creator", creator.build()).str("message", QByteArray("✅ " + filler(80, 400)))
        .str("timestamp", formatMillis(nowMicros()))
        .str("trigger_event_id", m_lastUserMessageId.isEmpty() ? QByteArray("none") : m_lastUserMessageId);
    NewBreadcrumb b;
    b.title = QByteArrayLiteral("Chat Response");
    b.schemaName = QByteArrayLiteral("agent.response.v1");
    b.tags = {QByteArrayLiteral("agent:response"), QByteArrayLiteral("chat:output")};
    b.context = context.build();
    m_writer.create(m_agentWriter, std::move(b));
}

} // namespace rcrt::sim
