// FlowTracker: pairing requests with responses, and agent responses with their trigger.
#include "model/flowtracker.h"

#include <algorithm>

namespace rcrt {

namespace {

// The ids a response names: context.request_id first, then its request:<id> tags.
QList<QByteArray> namedIds(const FlowResponse &response)
{
    QList<QByteArray> ids;
    if (!response.requestIdField.isEmpty())
        ids.append(response.requestIdField);
    for (const QByteArray &id : response.requestTagIds)
        if (!ids.contains(id))
            ids.append(id);
    return ids;
}

template<typename Created>
void insertByCreated(QList<QByteArray> &list, const QByteArray &key, Created created)
{
    if (list.contains(key))
        return;
    const qint64 at = created(key);
    const auto pos = std::upper_bound(list.begin(), list.end(), at,
                                      [&](qint64 t, const QByteArray &k) { return t < created(k); });
    list.insert(pos, key);
}

void removeFrom(QHash<QByteArray, QList<QByteArray>> &index, const QByteArray &bucket, const QByteArray &key)
{
    auto it = index.find(bucket);
    if (it == index.end())
        return;
    it->removeOne(key);
    if (it->isEmpty())
        index.erase(it);
}

} // namespace

void FlowTracker::indexRequest(const FlowRequest &request)
{
    const auto requestCreated = [this](const QByteArray &k) { return createdNsOf(k); };
    insertByCreated(m_requestsByCorrelation[request.correlationId], request.id, requestCreated);
    const QByteArray stepId = stepIdOf(request);
    if (!stepId.isEmpty())
        insertByCreated(m_stepsByStepId[stepId], request.id, requestCreated);
    if (request.isWorkflow())
        for (const QByteArray &id : request.workflowStepIds)
            insertByCreated(m_workflowsByStepId[id], request.id, requestCreated);
}

void FlowTracker::unindexRequest(const FlowRequest &request)
{
    removeFrom(m_requestsByCorrelation, request.correlationId, request.id);
    const QByteArray stepId = stepIdOf(request);
    if (!stepId.isEmpty())
        removeFrom(m_stepsByStepId, stepId, request.id);
    for (const QByteArray &id : request.workflowStepIds)
        removeFrom(m_workflowsByStepId, id, request.id);
}

QByteArray FlowTracker::findRequestFor(const FlowResponse &response) const
{
    const QList<QByteArray> ids = namedIds(response);
    for (const QByteArray &id : ids) {
        const auto it = m_requestsByCorrelation.constFind(id);
        if (it == m_requestsByCorrelation.cend() || it->isEmpty())
            continue;
        // Oldest created first: take the newest one created no later than the response.
        for (auto r = it->crbegin(); r != it->crend(); ++r)
            if (createdNsOf(*r) <= response.createdNs)
                return *r;
        return it->first();
    }
    // The runner's exception path names the request's breadcrumb id when it had no requestId,
    // but a producer may also name the breadcrumb id of a request that had one.
    for (const QByteArray &id : ids)
        if (m_requests.contains(id))
            return id;
    return {};
}

void FlowTracker::matchResponse(FlowResponse &response)
{
    const QByteArray key = findRequestFor(response);
    if (!key.isEmpty()) {
        linkResponse(response, key);
        return;
    }
    const QList<QByteArray> ids = namedIds(response);
    for (const QByteArray &id : ids) {
        QList<QByteArray> &waiting = m_waitingResponses[id];
        if (!waiting.contains(response.id))
            waiting.append(response.id);
    }
    m_unmatchedOrder.push_back(response.id);
    touch(response.id);
}

void FlowTracker::linkResponse(FlowResponse &response, const QByteArray &requestKey)
{
    for (const QByteArray &id : namedIds(response))
        removeFrom(m_waitingResponses, id, response.id);
    FlowRequest &request = m_requests[requestKey];
    response.requestKey = requestKey;
    response.taggedForRequest = response.requestTagIds.contains(request.correlationId)
        || response.requestTagIds.contains(request.id);
    insertByCreated(request.responses, response.id,
                    [this](const QByteArray &k) { return createdNsOf(k); });
    touch(requestKey);
    touch(response.id);
    // A workflow's first response closes its window: steps after it belong elsewhere.
    if (request.isWorkflow())
        regroupStepsOf(request);
}

void FlowTracker::unlinkResponse(FlowResponse &response)
{
    for (const QByteArray &id : namedIds(response))
        removeFrom(m_waitingResponses, id, response.id);
    if (response.requestKey.isEmpty())
        return;
    if (auto it = m_requests.find(response.requestKey); it != m_requests.end()) {
        it->responses.removeOne(response.id);
        touch(it->id);
        if (it->isWorkflow())
            regroupStepsOf(it.value());
    }
    response.requestKey.clear();
    response.taggedForRequest = false;
    touch(response.id);
}

void FlowTracker::rematchWaitingFor(const FlowRequest &request)
{
    QList<QByteArray> candidates = m_waitingResponses.value(request.correlationId);
    if (request.correlationId != request.id)
        candidates += m_waitingResponses.value(request.id);
    // A repeated correlation id: responses matched to an older request with the same id may
    // belong to this one (created later, but no later than the response).
    const QList<QByteArray> sameId = m_requestsByCorrelation.value(request.correlationId);
    for (const QByteArray &other : sameId)
        if (other != request.id)
            candidates += m_requests.constFind(other)->responses;
    for (const QByteArray &key : std::as_const(candidates)) {
        auto it = m_responses.find(key);
        if (it == m_responses.end() || findRequestFor(*it) == it->requestKey)
            continue;
        unlinkResponse(*it);
        matchResponse(*it);
    }
}

void FlowTracker::linkAgentResponse(FlowAgentResponse &agent)
{
    auto trigger = m_responses.find(agent.triggerEventId);
    if (trigger == m_responses.end())
        return;
    insertByCreated(trigger->agentResponses, agent.id,
                    [this](const QByteArray &k) { return createdNsOf(k); });
    touch(trigger->id);
    touch(agent.id);
}

} // namespace rcrt
