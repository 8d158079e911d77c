// FlowTracker: grouping workflow steps under their workflow (the heuristic is described in
// flowtracker.h), and the memory bound.
#include "model/flowtracker.h"

#include <algorithm>

namespace rcrt {

namespace {

// How many older workflows a step looks back through for one still open. In practice the
// newest candidate is the answer; the cap keeps a step whose workflow was never seen cheap.
constexpr int kMaxWorkflowCandidates = 64;

constexpr QByteArrayView kWorkflowPrefix = "workflow-";

} // namespace

QByteArray FlowTracker::stepIdOf(const FlowRequest &request)
{
    if (!request.stepId.isEmpty())
        return request.stepId;
    if (!request.isWorkflowStep || !request.requestId.startsWith(kWorkflowPrefix))
        return {};
    // workflow-<stepId>-<ms>: the step id may itself contain '-', the ms never does.
    const qsizetype dash = request.requestId.lastIndexOf('-');
    if (dash <= kWorkflowPrefix.size())
        return {};
    return request.requestId.mid(kWorkflowPrefix.size(), dash - kWorkflowPrefix.size());
}

QByteArray FlowTracker::findWorkflowFor(const FlowRequest &step) const
{
    const QByteArray stepId = stepIdOf(step);
    if (stepId.isEmpty())
        return {};
    const auto it = m_workflowsByStepId.constFind(stepId);
    if (it == m_workflowsByStepId.cend())
        return {};
    // Oldest created first: walk back from the newest workflow created at or before the step.
    const QList<QByteArray> &workflows = *it;
    auto pos = std::upper_bound(workflows.cbegin(), workflows.cend(), step.createdNs,
                                [this](qint64 t, const QByteArray &k) { return t < createdNsOf(k); });
    for (int seen = 0; pos != workflows.cbegin() && seen < kMaxWorkflowCandidates; ++seen) {
        --pos;
        const FlowRequest &workflow = *m_requests.constFind(*pos);
        if (workflow.id == step.id)
            continue;
        const bool closedBefore = !workflow.responses.isEmpty()
            && createdNsOf(workflow.responses.first()) < step.createdNs;
        if (!closedBefore)
            return workflow.id;
    }
    return {};
}

void FlowTracker::setWorkflow(FlowRequest &step, const QByteArray &workflowKey)
{
    if (step.workflowId == workflowKey)
        return;
    if (!step.workflowId.isEmpty()) {
        if (auto old = m_requests.find(step.workflowId); old != m_requests.end()) {
            old->steps.removeOne(step.id);
            touch(old->id);
        }
    }
    step.workflowId = workflowKey;
    touch(step.id);
    if (workflowKey.isEmpty())
        return;
    FlowRequest &workflow = m_requests[workflowKey];
    const auto pos = std::upper_bound(workflow.steps.begin(), workflow.steps.end(), step.createdNs,
                                      [this](qint64 t, const QByteArray &k) { return t < createdNsOf(k); });
    workflow.steps.insert(pos, step.id);
    touch(workflowKey);
}

void FlowTracker::regroupStep(FlowRequest &step)
{
    if (stepIdOf(step).isEmpty() && step.workflowId.isEmpty())
        return;
    setWorkflow(step, findWorkflowFor(step));
}

void FlowTracker::regroupStepsOf(const FlowRequest &workflow)
{
    // Steps it holds now, and steps created inside its window [created, first response) that
    // it may claim. Steps outside the window cannot change because of this workflow.
    QList<QByteArray> affected = workflow.steps;
    const qint64 from = workflow.createdNs;
    const bool closed = !workflow.responses.isEmpty();
    const qint64 until = closed ? createdNsOf(workflow.responses.first()) : 0;
    for (const QByteArray &stepId : workflow.workflowStepIds) {
        const auto it = m_stepsByStepId.constFind(stepId);
        if (it == m_stepsByStepId.cend())
            continue;
        auto pos = std::lower_bound(it->cbegin(), it->cend(), from,
                                    [this](const QByteArray &k, qint64 t) { return createdNsOf(k) < t; });
        for (; pos != it->cend(); ++pos) {
            if (closed && createdNsOf(*pos) >= until)
                break;
            if (!affected.contains(*pos))
                affected.append(*pos);
        }
    }
    for (const QByteArray &key : std::as_const(affected))
        if (auto it = m_requests.find(key); it != m_requests.end())
            regroupStep(it.value());
}

void FlowTracker::evictIfNeeded()
{
    if (m_requests.size() <= m_options.maxRequests)
        return;
    // A twentieth at once: fewer, larger removals for the models than one flow per batch.
    const qsizetype target = m_options.maxRequests - std::max<qsizetype>(1, m_options.maxRequests / 20);
    while (m_requests.size() > target && !m_requestOrder.empty()) {
        const auto [order, key] = std::move(m_requestOrder.front());
        m_requestOrder.pop_front();
        const auto it = m_requests.constFind(key);
        if (it == m_requests.cend() || it->order != order)
            continue; // evicted earlier with its workflow
        // Whole flows go: a step takes its workflow (and so its siblings) with it.
        const QByteArray root = !it->workflowId.isEmpty() && m_requests.contains(it->workflowId)
            ? it->workflowId : key;
        evictRequest(root);
    }
}

void FlowTracker::evictRequest(const QByteArray &key)
{
    auto it = m_requests.find(key);
    if (it == m_requests.end())
        return;
    const FlowRequest request = it.value();
    unindexRequest(request);
    m_requests.erase(it);
    m_changes.removed.append(key);
    for (const QByteArray &step : request.steps)
        evictRequest(step);
    for (const QByteArray &response : request.responses)
        evictResponse(response);
    if (!request.workflowId.isEmpty()) {
        if (auto workflow = m_requests.find(request.workflowId); workflow != m_requests.end()) {
            workflow->steps.removeOne(key);
            touch(workflow->id);
        }
    }
}

void FlowTracker::evictResponse(const QByteArray &key)
{
    auto it = m_responses.find(key);
    if (it == m_responses.end())
        return;
    unlinkResponse(it.value());
    const QList<QByteArray> agents = it->agentResponses;
    m_responses.erase(it);
    m_changes.removed.append(key);
    for (const QByteArray &agent : agents)
        evictAgentResponse(agent);
}

void FlowTracker::evictAgentResponse(const QByteArray &key)
{
    auto it = m_agents.find(key);
    if (it == m_agents.end())
        return;
    if (auto siblings = m_agentsByTrigger.find(it->triggerEventId); siblings != m_agentsByTrigger.end()) {
        siblings->removeOne(key);
        if (siblings->isEmpty())
            m_agentsByTrigger.erase(siblings);
    }
    if (auto trigger = m_responses.find(it->triggerEventId); trigger != m_responses.end()) {
        trigger->agentResponses.removeOne(key);
        touch(trigger->id);
    }
    m_agents.erase(it);
    m_changes.removed.append(key);
}

void FlowTracker::trimUnmatched()
{
    // Entries matched since they were queued are skipped; the queue never outgrows the bound.
    while (qsizetype(m_unmatchedOrder.size()) > m_options.maxUnmatched) {
        const QByteArray key = std::move(m_unmatchedOrder.front());
        m_unmatchedOrder.pop_front();
        if (const auto r = m_responses.constFind(key); r != m_responses.cend()) {
            if (r->requestKey.isEmpty())
                evictResponse(key);
        } else if (const auto a = m_agents.constFind(key); a != m_agents.cend()) {
            if (!m_responses.contains(a->triggerEventId))
                evictAgentResponse(key);
        }
    }
}

} // namespace rcrt
