#include "model/flowtracker.h"

#include <algorithm>

namespace rcrt {

FlowTracker::FlowTracker(QObject *parent)
    : FlowTracker(Options{}, parent)
{
}

FlowTracker::FlowTracker(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_clock([] { return qint64(rcrt::nowNs()); })
{
}

FlowTracker::~FlowTracker() = default;

void FlowTracker::setClock(Clock clock)
{
    m_clock = clock ? std::move(clock) : Clock([] { return qint64(rcrt::nowNs()); });
}

qint64 FlowTracker::now() const
{
    return m_clock();
}

void FlowTracker::setPendingOptions(const PendingOptions &options)
{
    m_pendingOptions = options;
    emit optionsChanged();
}

FlowEntity FlowTracker::entityKind(const QByteArray &key) const
{
    const QByteArray &k = key;
    if (m_requests.contains(k))
        return FlowEntity::Request;
    if (m_responses.contains(k))
        return FlowEntity::Response;
    if (m_agents.contains(k))
        return FlowEntity::AgentResponse;
    return FlowEntity::None;
}

const FlowRequest *FlowTracker::request(const QByteArray &key) const
{
    const auto it = m_requests.constFind(key);
    return it == m_requests.cend() ? nullptr : &it.value();
}

const FlowResponse *FlowTracker::response(const QByteArray &key) const
{
    const auto it = m_responses.constFind(key);
    return it == m_responses.cend() ? nullptr : &it.value();
}

const FlowAgentResponse *FlowTracker::agentResponse(const QByteArray &key) const
{
    const auto it = m_agents.constFind(key);
    return it == m_agents.cend() ? nullptr : &it.value();
}

QList<QByteArray> FlowTracker::requestKeys() const
{
    QList<QByteArray> keys;
    keys.reserve(m_requests.size());
    for (const auto &[order, key] : m_requestOrder) {
        const auto it = m_requests.constFind(key);
        if (it != m_requests.cend() && it->order == order)
            keys.append(key);
    }
    return keys;
}

QList<QByteArray> FlowTracker::requestsWithCorrelation(const QByteArray &correlationId) const
{
    return m_requestsByCorrelation.value(correlationId);
}

qint64 FlowTracker::createdNsOf(const QByteArray &key) const
{
    const QByteArray &k = key;
    if (const auto it = m_requests.constFind(k); it != m_requests.cend())
        return it->createdNs;
    if (const auto it = m_responses.constFind(k); it != m_responses.cend())
        return it->createdNs;
    if (const auto it = m_agents.constFind(k); it != m_agents.cend())
        return it->createdNs;
    return 0;
}

std::optional<QByteArray> FlowTracker::treeParent(const QByteArray &key) const
{
    if (const FlowRequest *r = request(key))
        return r->workflowId.isEmpty() ? QByteArray() : r->workflowId;
    if (const FlowResponse *r = response(key))
        return r->requestKey.isEmpty() ? QByteArray() : r->requestKey;
    if (const FlowAgentResponse *a = agentResponse(key)) {
        if (m_responses.contains(a->triggerEventId))
            return a->triggerEventId;
    }
    return std::nullopt;
}

QList<QByteArray> FlowTracker::treeChildren(const QByteArray &key) const
{
    if (const FlowRequest *r = request(key)) {
        // Steps and the request's own responses, in created order: a workflow's response,
        // created when its last step finished, comes after its steps.
        QList<std::pair<qint64, QByteArray>> children;
        for (const QByteArray &s : r->steps)
            children.append({createdNsOf(s), s});
        for (const QByteArray &s : r->responses)
            children.append({createdNsOf(s), s});
        std::stable_sort(children.begin(), children.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        QList<QByteArray> keys;
        keys.reserve(children.size());
        for (const auto &c : children)
            keys.append(c.second);
        return keys;
    }
    if (const FlowResponse *r = response(key))
        return r->agentResponses;
    return {};
}

QList<QByteArray> FlowTracker::treeRoots() const
{
    QList<std::pair<qint64, QByteArray>> roots;
    for (const FlowRequest &r : m_requests)
        if (r.workflowId.isEmpty())
            roots.append({r.order, r.id});
    for (const FlowResponse &r : m_responses)
        if (r.requestKey.isEmpty())
            roots.append({r.order, r.id});
    std::sort(roots.begin(), roots.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<QByteArray> keys;
    keys.reserve(roots.size());
    for (const auto &r : roots)
        keys.append(r.second);
    return keys;
}

RequestStatus FlowTracker::requestStatus(const FlowRequest &request) const
{
    return pending::evaluate(*this, request, now());
}

RequestStatus FlowTracker::requestStatus(const QByteArray &key) const
{
    const FlowRequest *r = request(key);
    return r ? requestStatus(*r) : RequestStatus{};
}

qint64 FlowTracker::runnerLastSeenNs(const QByteArray &workspace) const
{
    return m_runnerSeenNs.value(workspace, 0);
}

QStringList FlowTracker::knownTools(const QByteArray &workspace) const
{
    return m_toolsByWorkspace.value(workspace);
}

void FlowTracker::addBatch(const EventBatch &batch)
{
    for (const EventRecord &record : batch.records) {
        if (flowKindForSchema(record.envelope.schemaName) == FlowKind::None)
            continue;
        const FlowFacts facts = m_extractor.extract(record);
        if (facts.kind != FlowKind::None)
            apply(facts);
    }
    evictIfNeeded();
    trimUnmatched();
    if (m_changes.isEmpty())
        return;

    FlowChanges changes = std::move(m_changes);
    m_changes = {};
    // Entities evicted in the same batch that created or touched them are only "removed".
    for (const QByteArray &key : std::as_const(changes.removed))
        changes.touched.remove(key);
    changes.addedRequests.removeIf([this](const QByteArray &key) { return !m_requests.contains(key); });
    emit flowsChanged(changes);
}

void FlowTracker::clear()
{
    m_requests.clear();
    m_responses.clear();
    m_agents.clear();
    m_requestsByCorrelation.clear();
    m_waitingResponses.clear();
    m_agentsByTrigger.clear();
    m_workflowsByStepId.clear();
    m_stepsByStepId.clear();
    m_runnerSeenNs.clear();
    m_toolsByWorkspace.clear();
    m_unmatchedOrder.clear();
    m_requestOrder.clear();
    m_changes = {};
    emit flowsReset();
}

void FlowTracker::apply(const FlowFacts &facts)
{
    switch (facts.kind) {
    case FlowKind::Request:
        applyRequest(facts);
        break;
    case FlowKind::Response:
        noteRunner(facts);
        applyResponse(facts);
        break;
    case FlowKind::AgentResponse:
        applyAgentResponse(facts);
        break;
    case FlowKind::RunnerCatalog:
        noteRunner(facts);
        break;
    case FlowKind::ToolCode:
        if (!facts.workspace.isEmpty() && !facts.tool.isEmpty()) {
            QStringList &tools = m_toolsByWorkspace[facts.workspace];
            if (!tools.contains(facts.tool))
                tools.append(facts.tool);
        }
        break;
    case FlowKind::None:
        break;
    }
}

void FlowTracker::noteRunner(const FlowFacts &facts)
{
    if (facts.workspace.isEmpty())
        return;
    qint64 &seen = m_runnerSeenNs[facts.workspace];
    seen = std::max(seen, facts.updatedAtNs);
}

namespace {
// The fields every flow entity takes from the event that first shows it.
template<class Entity>
Entity freshEntity(const FlowFacts &facts, qint64 &nextOrder)
{
    Entity e;
    e.id = facts.breadcrumbId;
    e.createdNs = facts.updatedAtNs;
    e.firstArrivalNs = facts.arrival.arrivalNs;
    e.order = nextOrder++;
    return e;
}
} // namespace

void FlowTracker::applyRequest(const FlowFacts &facts)
{
    auto it = m_requests.find(facts.breadcrumbId);
    if (it == m_requests.end()) {
        FlowRequest fresh = freshEntity<FlowRequest>(facts, m_nextOrder);
        fresh.createdKnown = facts.version == 1;
        fresh.firstSource = facts.arrival.source;
        it = m_requests.insert(fresh.id, fresh);
        m_requestOrder.emplace_back(fresh.order, fresh.id);
        m_changes.addedRequests.append(fresh.id);
    } else {
        FlowRequest &known = it.value();
        const bool olderVersion = facts.version <= known.version;
        const bool learnsCreation = facts.version == 1 && !known.createdKnown;
        if (olderVersion && !learnsCreation)
            return;
        unindexRequest(known);
        if (learnsCreation) {
            known.createdNs = facts.updatedAtNs;
            known.createdKnown = true;
        }
        if (olderVersion) {
            // Only the creation time was new: keep the newer version's fields.
            indexRequest(known);
            regroupStep(known);
            regroupStepsOf(known);
            touch(known.id);
            return;
        }
    }

    FlowRequest &r = it.value();
    r.version = facts.version;
    r.updatedNs = std::max(r.updatedNs, facts.updatedAtNs);
    r.tool = facts.tool;
    r.requestId = facts.requestId;
    r.correlationId = facts.requestId.isEmpty() ? facts.breadcrumbId : facts.requestId;
    r.workspace = facts.workspace;
    r.requestedBy = facts.requestedBy;
    r.hasInput = facts.hasInput;
    r.isWorkflowStep = facts.isWorkflowStep;
    r.stepId = facts.stepId;
    r.workflowStepIds = facts.workflowStepIds;
    indexRequest(r);
    touch(r.id);

    // A changed correlation id may leave earlier matches wrong: match them again.
    const QList<QByteArray> matched = r.responses;
    for (const QByteArray &key : matched) {
        FlowResponse &response = m_responses[key];
        unlinkResponse(response);
        matchResponse(response);
    }
    rematchWaitingFor(m_requests[facts.breadcrumbId]);
    regroupStep(m_requests[facts.breadcrumbId]);
    regroupStepsOf(m_requests[facts.breadcrumbId]);
}

void FlowTracker::applyResponse(const FlowFacts &facts)
{
    auto it = m_responses.find(facts.breadcrumbId);
    if (it == m_responses.end()) {
        const FlowResponse fresh = freshEntity<FlowResponse>(facts, m_nextOrder);
        it = m_responses.insert(fresh.id, fresh);
        // Agent responses that named it before it arrived now have a parent.
        const QList<QByteArray> agents = m_agentsByTrigger.value(fresh.id);
        for (const QByteArray &agentKey : agents)
            linkAgentResponse(m_agents[agentKey]);
    } else {
        FlowResponse &known = it.value();
        if (facts.version == 1)
            known.createdNs = facts.updatedAtNs;
        if (facts.version <= known.version) {
            touch(known.id);
            if (!known.requestKey.isEmpty())
                touch(known.requestKey);
            return;
        }
        unlinkResponse(known);
    }

    FlowResponse &r = it.value();
    r.version = facts.version;
    r.updatedNs = std::max(r.updatedNs, facts.updatedAtNs);
    r.tool = facts.tool;
    r.requestIdField = facts.responseRequestId;
    r.requestTagIds = facts.requestTagIds;
    r.hasLlmTag = facts.hasLlmTag;
    r.workspace = facts.workspace;
    r.status = facts.status;
    r.error = facts.error;
    r.executionTimeMs = facts.executionTimeMs;
    touch(r.id);
    matchResponse(r);
}

void FlowTracker::applyAgentResponse(const FlowFacts &facts)
{
    auto it = m_agents.find(facts.breadcrumbId);
    if (it == m_agents.end()) {
        const FlowAgentResponse fresh = freshEntity<FlowAgentResponse>(facts, m_nextOrder);
        it = m_agents.insert(fresh.id, fresh);
    } else {
        if (facts.version <= it->version)
            return;
        // Detach from the old trigger before taking the new fields.
        QList<QByteArray> &siblings = m_agentsByTrigger[it->triggerEventId];
        siblings.removeOne(it->id);
        if (siblings.isEmpty())
            m_agentsByTrigger.remove(it->triggerEventId);
        if (auto trigger = m_responses.find(it->triggerEventId); trigger != m_responses.end()) {
            trigger->agentResponses.removeOne(it->id);
            touch(trigger->id);
        }
    }
    FlowAgentResponse &a = it.value();
    a.version = facts.version;
    if (facts.version == 1)
        a.createdNs = facts.updatedAtNs;
    a.triggerEventId = facts.triggerEventId;
    a.agentId = facts.agentId;
    a.message = facts.message;
    a.resultTool = facts.resultTool;
    if (!a.triggerEventId.isEmpty())
        m_agentsByTrigger[a.triggerEventId].append(a.id);
    touch(a.id);
    linkAgentResponse(a);
    if (!m_responses.contains(a.triggerEventId))
        m_unmatchedOrder.push_back(a.id);
}

} // namespace rcrt
