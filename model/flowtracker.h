#pragma once

#include "model/eventrecord.h"
#include "model/flowentities.h"
#include "model/flowfacts.h"
#include "model/pendingrequests.h"

#include <QHash>
#include <QObject>

#include <deque>
#include <functional>
#include <optional>
#include <utility>

namespace rcrt {

// Tool flows assembled from the event stream (issue 3 items 4 and 5; rcrt-protocol.md §5, §6).
//
// Fed EventBatches on the GUI thread; only tool.request.v1, tool.response.v1,
// agent.response.v1, tool.catalog.v1 and tool.code.v1 records are parsed (FlowFactsExtractor).
//
// Pairing: a request's correlation id is its context.requestId, else its breadcrumb id (what the
// tools-runner uses, §5.2). A response names its request by context.request_id and by
// `request:<id>` tags (request:llm is a marker, not an id); it is matched to the request with
// that correlation id, else to the request whose breadcrumb id it names. Correlation ids chosen
// by an LLM can repeat (§5.3), so among several requests with one id the newest created no
// later than the response wins. Either side may arrive first (backfill lists newest first): an
// unmatched response waits and is matched when its request arrives.
//
// Workflow grouping (heuristic, because step requests carry no workflow id, §6 step 6): a
// `workflow:step` request with stepId S created at T belongs to the newest `workflow` request
// that lists S among its input.steps[].id, was created at or before T, and was still open at T
// (no response created before T). Its requestId `workflow-<stepId>-<ms>` supplies S when the
// context lacks stepId. Steps are regrouped when a workflow request or response arrives later.
//
// Agent responses hang under the tool response named by their context.trigger_event_id.
//
// Bound: at most Options::maxRequests requests; beyond it the oldest flows (a request with its
// steps, responses and agent responses) are evicted, 5% at a time, reported in
// FlowChanges::removed.
class FlowTracker final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qsizetype maxRequests = 20'000;
        qsizetype maxUnmatched = 5'000; // responses without request, agent responses without trigger
    };
    using Clock = std::function<qint64()>; // console clock, ns since the epoch

    explicit FlowTracker(QObject *parent = nullptr);
    explicit FlowTracker(const Options &options, QObject *parent = nullptr);
    ~FlowTracker() override;
    Q_DISABLE_COPY_MOVE(FlowTracker)

    // --- configuration ---
    void setClock(Clock clock);          // default: rcrt::nowNs
    qint64 now() const;
    const PendingOptions &pendingOptions() const { return m_pendingOptions; }
    void setPendingOptions(const PendingOptions &options); // emits optionsChanged
    // Server clock − console clock, ns: the delivery doctor's estimate (0 until it has one).
    // The views' "answered on time, delivered late" marks (deliveryVerdict) read it.
    qint64 clockOffsetNs() const { return m_clockOffsetNs; }
    void setClockOffsetNs(qint64 offsetNs)
    {
        if (offsetNs != std::exchange(m_clockOffsetNs, offsetNs))
            emit clockOffsetChanged(offsetNs);
    }

    // --- entities ---
    FlowEntity entityKind(const QByteArray &key) const;
    const FlowRequest *request(const QByteArray &key) const;
    const FlowResponse *response(const QByteArray &key) const;
    const FlowAgentResponse *agentResponse(const QByteArray &key) const;
    qsizetype requestCount() const { return m_requests.size(); }
    qsizetype responseCount() const { return m_responses.size(); }
    qsizetype agentResponseCount() const { return m_agents.size(); }
    QList<QByteArray> requestKeys() const;          // first-seen order
    QList<QByteArray> requestsWithCorrelation(const QByteArray &correlationId) const;
    qint64 createdNsOf(const QByteArray &key) const; // server clock; 0 for an unknown key

    // Where an entity sits in the flow tree: nullopt when it is not shown (an agent response
    // whose trigger is not a known tool response), an empty key for the top level, else the
    // parent's key (workflow → step, request → response → agent response).
    std::optional<QByteArray> treeParent(const QByteArray &key) const;
    QList<QByteArray> treeChildren(const QByteArray &key) const; // created order
    QList<QByteArray> treeRoots() const;                      // first-seen order

    // --- requests: state, runner presence ---
    RequestStatus requestStatus(const FlowRequest &request) const;
    RequestStatus requestStatus(const QByteArray &key) const;
    // Newest server `updated_at` of a tool.response.v1 / tool.catalog.v1 tagged with this
    // workspace; 0 when none was seen. (tool.code.v1 is written by bootstrap, not the runner,
    // so it does not count.)
    qint64 runnerLastSeenNs(const QByteArray &workspace) const;
    QStringList knownTools(const QByteArray &workspace) const; // from tool.code.v1 names

public slots:
    void addBatch(const rcrt::EventBatch &batch);
    void clear(); // emits flowsReset

signals:
    void flowsChanged(const rcrt::FlowChanges &changes);
    void flowsReset();
    void optionsChanged();
    void clockOffsetChanged(qint64 offsetNs);

private:
    void apply(const FlowFacts &facts);
    void applyRequest(const FlowFacts &facts);
    void applyResponse(const FlowFacts &facts);
    void applyAgentResponse(const FlowFacts &facts);
    void noteRunner(const FlowFacts &facts);

    // Pairing (flowtracker_matching.cpp).
    QByteArray findRequestFor(const FlowResponse &response) const;
    void matchResponse(FlowResponse &response);
    void linkResponse(FlowResponse &response, const QByteArray &requestKey);
    void unlinkResponse(FlowResponse &response);
    void rematchWaitingFor(const FlowRequest &request);
    void indexRequest(const FlowRequest &request);
    void unindexRequest(const FlowRequest &request);
    void linkAgentResponse(FlowAgentResponse &agent);

    // Workflow grouping (flowtracker_workflows.cpp).
    void regroupStep(FlowRequest &step);
    void regroupStepsOf(const FlowRequest &workflow);
    QByteArray findWorkflowFor(const FlowRequest &step) const;
    void setWorkflow(FlowRequest &step, const QByteArray &workflowKey);
    static QByteArray stepIdOf(const FlowRequest &request);

    // Bound (flowtracker_eviction.cpp).
    void evictIfNeeded();
    void evictRequest(const QByteArray &key);
    void evictResponse(const QByteArray &key);
    void evictAgentResponse(const QByteArray &key);
    void trimUnmatched();

    void touch(const QByteArray &key) { m_changes.touched.insert(key); }

    Options m_options;
    PendingOptions m_pendingOptions;
    Clock m_clock;
    qint64 m_clockOffsetNs = 0;
    FlowFactsExtractor m_extractor;
    qint64 m_nextOrder = 0;

    QHash<QByteArray, FlowRequest> m_requests;
    QHash<QByteArray, FlowResponse> m_responses;
    QHash<QByteArray, FlowAgentResponse> m_agents;

    QHash<QByteArray, QList<QByteArray>> m_requestsByCorrelation; // oldest created first
    QHash<QByteArray, QList<QByteArray>> m_waitingResponses;      // unmatched, by every id they name
    QHash<QByteArray, QList<QByteArray>> m_agentsByTrigger;       // every agent response, by trigger
    QHash<QByteArray, QList<QByteArray>> m_workflowsByStepId;     // workflow requests, by step id
    QHash<QByteArray, QList<QByteArray>> m_stepsByStepId;         // step requests, by step id
    QHash<QByteArray, qint64> m_runnerSeenNs;                     // workspace → newest updated_at
    QHash<QByteArray, QStringList> m_toolsByWorkspace;
    std::deque<QByteArray> m_unmatchedOrder; // responses / agent responses unmatched on arrival
    // Every request in first-seen order as (order, key); entries of evicted requests are skipped
    // (their order no longer matches) and dropped when they reach the front.
    std::deque<std::pair<qint64, QByteArray>> m_requestOrder;

    FlowChanges m_changes; // accumulated during one addBatch
};

} // namespace rcrt
