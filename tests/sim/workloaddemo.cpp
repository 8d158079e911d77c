#include "workloaddemo.h"

#include "breadcrumbwriter.h"
#include "jsonwriter.h"
#include "simlog.h"
#include "timestamps.h"
#include "toolbootstrap.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace rcrt::sim {
namespace {

const char *const kMessages[] = {
    "Pick two random numbers between 1 and 10 and add them ✅",
    "Würfle zwei Zahlen zwischen 1 und 10 und addiere sie — danke! 🎲",
    "2つの乱数を選んで足してください ✅",
    "Choisis deux nombres au hasard et additionne-les, s’il te plaît ✅",
};

const QString kAgentSlug = QStringLiteral("default-chat-assistant");

QString nowIsoMillis() { return QString::fromLatin1(formatMillis(nowMicros())); }

QString base36(quint64 value, int digits)
{
    QString out = QString::number(value, 36);
    return out.rightJustified(digits, QLatin1Char('0')).right(digits);
}

} // namespace

WorkloadDemo::WorkloadDemo(BreadcrumbWriter &writer, const QUuid &owner, quint64 seed, QObject *parent)
    : QObject(parent), m_writer(writer), m_owner(owner), m_random(seed)
{
    m_writer.addListener([this](const WriteEvent &event) { onWrite(event); });
    connect(&m_cycleTimer, &QTimer::timeout, this, &WorkloadDemo::cycle);
    connect(&m_catalogTimer, &QTimer::timeout, this, &WorkloadDemo::patchCatalog);
}

void WorkloadDemo::start(int cycleMs, int firstCycleMs)
{
    m_sessionId = QStringLiteral("session-%1").arg(QDateTime::currentMSecsSinceEpoch());

    const QJsonObject catalog{
        {QStringLiteral("workspace"), QStringLiteral("workspace:agents")},
        {QStringLiteral("agents"), QJsonArray{}},
        {QStringLiteral("totalAgents"), 1},
        {QStringLiteral("activeAgents"), 1},
        {QStringLiteral("lastUpdated"), nowIsoMillis()}};
    NewBreadcrumb catalogCrumb;
    catalogCrumb.title = "Agent Catalog";
    catalogCrumb.schemaName = QByteArray("agent.catalog.v1");
    catalogCrumb.tags = {"workspace:agents", "agent:catalog"};
    catalogCrumb.context = canonicalJson(catalog);
    m_catalogId = m_writer.create(writerIdentity(m_owner, agents::kAgentRunner), std::move(catalogCrumb)).idText;
    patchCatalog();

    NewBreadcrumb context;
    context.title = "Agent Context: " + kAgentSlug.toUtf8();
    context.schemaName = QByteArray("agent.context.v1");
    context.tags = {"agent:context", "consumer:" + kAgentSlug.toUtf8(), "session:" + m_sessionId.toUtf8()};
    context.context = canonicalJson(QJsonObject{{QStringLiteral("consumer_id"), kAgentSlug},
                                                {QStringLiteral("breadcrumbs"), QJsonArray{}},
                                                {QStringLiteral("token_estimate"), 0}});
    m_contextId = m_writer.create(writerIdentity(m_owner, agents::kContextBuilder), std::move(context)).idText;

    m_catalogTimer.start(60000);
    m_cycleTimer.start(cycleMs);
    QTimer::singleShot(firstCycleMs, this, &WorkloadDemo::cycle);
}

void WorkloadDemo::cycle()
{
    ++m_cycles;
    const QString text = QString::fromUtf8(kMessages[m_cycles % 4]);
    const QJsonObject message{{QStringLiteral("source"), QStringLiteral("rcrt-extension-v2")},
                              {QStringLiteral("content"), text},
                              {QStringLiteral("timestamp"), nowIsoMillis()},
                              {QStringLiteral("session_id"), m_sessionId}};
    NewBreadcrumb crumb;
    crumb.title = "User message";
    crumb.schemaName = QByteArray("user.message.v1");
    crumb.tags = {"user:message", "extension:chat", "session:" + m_sessionId.toUtf8()};
    crumb.context = canonicalJson(message);
    const Breadcrumb &created = m_writer.create(writerIdentity(m_owner, agents::kExtension), std::move(crumb));
    const QByteArray id = created.idText;
    const QByteArray createdAt = formatTimestamp(created.createdAt);
    QTimer::singleShot(int(m_random.between(200, 350)), this,
                       [this, id, message, createdAt] { patchSessionContext(id, message, createdAt); });
    QTimer::singleShot(int(m_random.between(500, 650)), this, [this, text] { requestLlm(text); });
}

void WorkloadDemo::patchSessionContext(const QByteArray &messageId, const QJsonObject &message,
                                       const QByteArray &messageCreatedAt)
{
    const QJsonObject entry{{QStringLiteral("id"), QString::fromLatin1(messageId)},
                            {QStringLiteral("content"), message},
                            {QStringLiteral("created_at"), QString::fromLatin1(messageCreatedAt)},
                            {QStringLiteral("schema_name"), QStringLiteral("user.message.v1")}};
    // context-builder writes assembled_at with +00:00 and nanoseconds (§4.3).
    const QString assembledAt = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
        + QString::number(m_random.between(100000, 999999)) + QStringLiteral("+00:00");
    BreadcrumbPatch patch;
    patch.context = canonicalJson(QJsonObject{
        {QStringLiteral("breadcrumbs"), QJsonArray{entry}},
        {QStringLiteral("consumer_id"), kAgentSlug},
        {QStringLiteral("assembled_at"), assembledAt},
        {QStringLiteral("token_estimate"), int(m_random.between(300, 600))},
        {QStringLiteral("trigger_event_id"), QString::fromLatin1(messageId)},
        {QStringLiteral("sources_assembled"), 3}});
    m_writer.patch(writerIdentity(m_owner, agents::kContextBuilder), QUuid::fromString(QLatin1String(m_contextId)),
                   std::move(patch));
}

void WorkloadDemo::requestLlm(const QString &userText)
{
    const QString requestId = QStringLiteral("llm-%1-%2")
                                  .arg(QDateTime::currentMSecsSinceEpoch())
                                  .arg(base36(m_random.next(), 9));
    m_llmRequests.insert(requestId);
    const QJsonArray messages{
        QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                    {QStringLiteral("content"), QStringLiteral("You are a helpful AI assistant integrated with the RCRT system. …")}},
        QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("content"), QString(QStringLiteral("# Available Context …\n# User Message\n") + userText)}}};
    NewBreadcrumb request;
    request.title = "LLM request";
    request.schemaName = QByteArray("tool.request.v1");
    request.tags = {"tool:request", "workspace:tools", "agent:" + kAgentSlug.toUtf8()};
    request.context = canonicalJson(QJsonObject{
        {QStringLiteral("tool"), QStringLiteral("openrouter")},
        {QStringLiteral("input"), QJsonObject{{QStringLiteral("messages"), messages}}},
        {QStringLiteral("config_id"), QStringLiteral("c0f1d2e3-a4b5-4c6d-8e7f-9a0b1c2d3e4f")},
        {QStringLiteral("requestId"), requestId},
        {QStringLiteral("requestedBy"), kAgentSlug}});
    m_writer.create(writerIdentity(m_owner, agents::kAgentRunner), std::move(request));
}

void WorkloadDemo::onWrite(const WriteEvent &event)
{
    const Breadcrumb &b = *event.breadcrumb;
    // The chat agent is triggered by tool responses in workspace:tools (§6 steps 5 and 7).
    if (event.writerOwner != m_owner || !b.schemaName || *b.schemaName != "tool.response.v1"
        || !b.hasTag("workspace:tools"))
        return;
    const QJsonObject context = QJsonDocument::fromJson(b.context).object();
    const QString requestId = context.value(QStringLiteral("request_id")).toString();
    const QByteArray id = b.idText;
    if (m_llmRequests.remove(requestId)) {
        if (context.value(QStringLiteral("status")).toString() == QStringLiteral("success"))
            QTimer::singleShot(int(m_random.between(60, 120)), this, &WorkloadDemo::requestWorkflow);
        return;
    }
    if (b.hasTag("request:llm"))
        return;
    QTimer::singleShot(int(m_random.between(100, 160)), this, [this, id, context] { respondToTool(id, context); });
}

void WorkloadDemo::requestWorkflow()
{
    const auto step = [](const char *id, const char *tool, const QJsonObject &input, const QJsonArray &deps = {}) {
        QJsonObject s{{QStringLiteral("id"), QLatin1String(id)},
                      {QStringLiteral("tool"), QLatin1String(tool)},
                      {QStringLiteral("input"), input}};
        if (!deps.isEmpty())
            s.insert(QStringLiteral("dependencies"), deps);
        return s;
    };
    const QJsonObject range{{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}};
    const QJsonArray steps{
        step("num1", "random", range), step("num2", "random", range),
        step("sum", "calculator",
             QJsonObject{{QStringLiteral("expression"), QStringLiteral("${num1.numbers[0]} + ${num2.numbers[0]}")}},
             QJsonArray{QStringLiteral("num1"), QStringLiteral("num2")})};
    NewBreadcrumb request;
    request.title = "Tool request: workflow";
    request.schemaName = QByteArray("tool.request.v1");
    request.tags = {"tool:request", "workspace:tools"};
    request.context = canonicalJson(QJsonObject{
        {QStringLiteral("tool"), QStringLiteral("workflow")},
        {QStringLiteral("input"), QJsonObject{{QStringLiteral("steps"), steps}}},
        {QStringLiteral("requestId"), QStringLiteral("wf-add-%1").arg(++m_workflows)},
        {QStringLiteral("requestedBy"), kAgentSlug}});
    m_writer.create(writerIdentity(m_owner, agents::kAgentRunner), std::move(request));
}

void WorkloadDemo::respondToTool(const QByteArray &responseId, const QJsonObject &context)
{
    const QString tool = context.value(QStringLiteral("tool")).toString();
    const bool ok = context.value(QStringLiteral("status")).toString() == QStringLiteral("success");
    const QJsonValue output = context.value(QStringLiteral("output"));
    const QString pretty = output.isObject()
        ? QString::fromUtf8(QJsonDocument(output.toObject()).toJson(QJsonDocument::Indented)).trimmed()
        : QString::fromUtf8(canonicalJson(output));
    const QString message = ok ? QStringLiteral("✅ %1: %2").arg(tool, pretty)
                               : QStringLiteral("❌ %1 failed: %2").arg(tool, context.value(QStringLiteral("error")).toString());
    QJsonObject responseContext{
        {QStringLiteral("creator"), QJsonObject{{QStringLiteral("type"), QStringLiteral("agent")},
                                                {QStringLiteral("agent_id"), kAgentSlug}}},
        {QStringLiteral("message"), message},
        {QStringLiteral("timestamp"), nowIsoMillis()},
        {QStringLiteral("trigger_event_id"), QString::fromLatin1(responseId)}};
    if (ok)
        responseContext.insert(QStringLiteral("tool_result"),
                               QJsonObject{{QStringLiteral("tool"), tool}, {QStringLiteral("output"), output}});
    NewBreadcrumb response;
    response.title = "Tool Result";
    response.schemaName = QByteArray("agent.response.v1");
    response.tags = {"agent:response", "chat:output"};
    response.context = canonicalJson(responseContext);
    m_writer.create(writerIdentity(m_owner, agents::kAgentRunner), std::move(response));
}

void WorkloadDemo::patchCatalog()
{
    const QString now = nowIsoMillis();
    const QJsonObject agent{
        {QStringLiteral("name"), QStringLiteral("Default Chat Assistant")},
        {QStringLiteral("status"), QStringLiteral("active")},
        {QStringLiteral("metrics"), QJsonObject{{QStringLiteral("errors"), 0},
                                                {QStringLiteral("last_activity"), now},
                                                {QStringLiteral("events_processed"), m_cycles}}},
        {QStringLiteral("agent_id"), kAgentSlug},
        {QStringLiteral("description"), QStringLiteral("Default Chat Assistant")},
        {QStringLiteral("lastActivity"), now}};
    BreadcrumbPatch patch;
    patch.context = canonicalJson(QJsonObject{{QStringLiteral("agents"), QJsonArray{agent}},
                                              {QStringLiteral("workspace"), QStringLiteral("workspace:agents")},
                                              {QStringLiteral("lastUpdated"), now},
                                              {QStringLiteral("totalAgents"), 1},
                                              {QStringLiteral("activeAgents"), 1}});
    m_writer.patch(writerIdentity(m_owner, agents::kAgentRunner), QUuid::fromString(QLatin1String(m_catalogId)),
                   std::move(patch));
}

} // namespace rcrt::sim
