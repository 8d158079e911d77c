// Request rules: unanswered, unmatched-response, late-answer (rcrt-protocol.md §5, §8.2).
#include "model/diagnosisrules.h"
#include "model/flowtracker.h"
#include "model/pendingrequests.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <vector>

namespace rcrt::diagnosis_detail {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

// Server-clock wait in the runner's queue: round trip minus the runner's own execution time.
qint64 queueWaitMs(const FlowTracker &t, const FlowRequest &r)
{
    const FlowResponse *first = r.responses.isEmpty() ? nullptr : t.response(r.responses.first());
    if (!first || first->executionTimeMs < 0 || !r.createdKnown)
        return -1;
    return std::max<qint64>(0, (first->createdNs - r.createdNs) / kNsPerMs - first->executionTimeMs);
}

// Every tracked request with its state at the analysis time, evaluated once for all rules (the
// live panel re-evaluates every second over up to maxRequests requests, on the GUI thread).
struct RequestAt
{
    const QByteArray *key;
    const FlowRequest *request;
    RequestStatus status;
};

std::vector<RequestAt> requestsAt(const FlowTracker &t, qint64 nowNs, const QList<QByteArray> &keys)
{
    std::vector<RequestAt> list;
    list.reserve(size_t(keys.size()));
    for (const QByteArray &key : keys)
        if (const FlowRequest *r = t.request(key))
            list.push_back({&key, r, pending::evaluate(t, *r, nowNs)});
    return list;
}

void unansweredRule(const Context &c, const std::vector<RequestAt> &requests, QList<Finding> &out)
{
    const FlowTracker &t = *c.in.flows;
    QList<QByteArray> noInput;
    QList<QByteArray> noWorkspace;
    QList<QByteArray> noRunner;
    QList<QByteArray> saturated;
    QSet<QByteArray> workspaces;
    qint64 longestQueueMs = 0;
    int openAtEnd = 0;
    for (const auto &[keyPtr, r, s] : requests) {
        const QByteArray &key = *keyPtr;
        if (!s.isOpen())
            continue;
        ++openAtEnd;
        // Certain at once: the runner drops these without a word (§5.1).
        if (s.hints.testFlag(RequestHint::NoInput)) {
            noInput.append(key);
            continue;
        }
        if (s.hints.testFlag(RequestHint::NoWorkspace)) {
            noWorkspace.append(key);
            continue;
        }
        if (s.state != RequestState::TimedOut)
            continue;
        workspaces.insert(r->workspace);
        (s.hints.testFlag(RequestHint::NoRunner) ? noRunner : saturated).append(key);
    }
    const qsizetype total = noInput.size() + noWorkspace.size() + noRunner.size() + saturated.size();
    if (total == 0)
        return;
    if (!saturated.isEmpty()) // evidence for a saturated runner (a response lookup per request)
        for (const RequestAt &r : requests)
            longestQueueMs = std::max(longestQueueMs, queueWaitMs(t, *r.request));
    Finding f;
    f.id = finding::Unanswered;
    f.severity = Severity::Error;
    QStringList reasons;
    if (!noRunner.isEmpty())
        reasons << QStringLiteral("%1 with no runner for the workspace").arg(noRunner.size());
    if (!saturated.isEmpty())
        reasons << QStringLiteral("%1 waiting on a saturated runner").arg(saturated.size());
    if (!noInput.isEmpty())
        reasons << QStringLiteral("%1 without `input`").arg(noInput.size());
    if (!noWorkspace.isEmpty())
        reasons << QStringLiteral("%1 without a workspace tag").arg(noWorkspace.size());
    f.summary = QStringLiteral("%1 tool request(s) not answered: %2.").arg(total).arg(reasons.join(QStringLiteral(", ")));
    QStringList wsList;
    for (const QByteArray &w : workspaces)
        wsList << QString::fromUtf8(w);
    wsList.sort();
    if (!noRunner.isEmpty())
        f.evidence << QStringLiteral("no runner: no tool.response.v1 or tool.catalog.v1 seen for %1 in the last %2")
                          .arg(wsList.join(QStringLiteral(", ")), formatMs(double(t.pendingOptions().runnerWindowMs)));
    if (!saturated.isEmpty())
        f.evidence << QStringLiteral("saturated runner: the runner answers other requests but these waited past "
                                     "the %1 timeout; %2 request(s) open at the end; longest queue wait of an "
                                     "answered request %3")
                          .arg(formatMs(double(t.pendingOptions().defaultTimeoutMs)))
                          .arg(openAtEnd)
                          .arg(formatMs(double(longestQueueMs)));
    if (!noInput.isEmpty())
        f.evidence << QStringLiteral("no input: context.input is missing or falsy, the tools-runner returns without "
                                     "any response (§5.1)");
    if (!noWorkspace.isEmpty())
        f.evidence << QStringLiteral("no workspace:* tag: the tools-runner ignores the request silently");
    f.figures = QJsonObject{{QStringLiteral("no_runner"), int(noRunner.size())},
                            {QStringLiteral("runner_saturated"), int(saturated.size())},
                            {QStringLiteral("no_input"), int(noInput.size())},
                            {QStringLiteral("no_workspace"), int(noWorkspace.size())},
                            {QStringLiteral("open_requests"), openAtEnd},
                            {QStringLiteral("longest_queue_wait_ms"), double(longestQueueMs)}};
    f.eventIds = firstIds(noRunner + saturated + noInput + noWorkspace);
    QStringList fixes;
    if (!noRunner.isEmpty())
        fixes << QStringLiteral("start a tools-runner for %1 (or the console's own runner)").arg(wsList.join(QStringLiteral(", ")));
    if (!saturated.isEmpty())
        fixes << QStringLiteral("free runner slots: long LLM calls, the continuous scheduler and waiting workflows "
                                "each hold one of 5; raise the slot count or split workloads");
    if (!noInput.isEmpty())
        fixes << QStringLiteral("give every request a truthy `input` (at least {})");
    if (!noWorkspace.isEmpty())
        fixes << QStringLiteral("tag requests with the runner's workspace (workspace:tools)");
    f.fixHint = fixes.join(QStringLiteral("; ")) + QLatin1Char('.');
    out.append(f);
}

QList<const FlowResponse *> allResponses(const FlowTracker &t, const std::vector<RequestAt> &requests)
{
    QList<const FlowResponse *> list;
    for (const RequestAt &r : requests)
        for (const QByteArray &k : r.request->responses)
            if (const FlowResponse *resp = t.response(k))
                list.append(resp);
    for (const QByteArray &key : t.treeRoots())
        if (const FlowResponse *resp = t.response(key))
            list.append(resp);
    return list;
}

void unmatchedRule(const Context &c, const std::vector<RequestAt> &requests, QList<Finding> &out)
{
    const FlowTracker &t = *c.in.flows;
    QList<QByteArray> untagged;
    QList<QByteArray> otherId;
    QStringList examples;
    for (const FlowResponse *r : allResponses(t, requests)) {
        if (r->taggedForRequest)
            continue;
        if (r->requestTagIds.isEmpty()) {
            untagged.append(r->id);
            continue;
        }
        // Tagged for an id: a mismatch when it names a different id than its request_id, or
        // than the request it was matched to. Tagged for a request never seen: not ours to judge.
        QByteArray expected = r->requestIdField;
        if (const FlowRequest *req = r->requestKey.isEmpty() ? nullptr : t.request(r->requestKey))
            expected = req->correlationId;
        if (expected.isEmpty() || r->requestTagIds.contains(expected))
            continue;
        otherId.append(r->id);
        if (examples.size() < 3)
            examples << QStringLiteral("request:%1 where the request id is %2")
                            .arg(QString::fromUtf8(r->requestTagIds.first()), QString::fromUtf8(expected));
    }
    if (untagged.isEmpty() && otherId.isEmpty())
        return;
    Finding f;
    f.id = finding::UnmatchedResponse;
    f.severity = Severity::Warning;
    f.summary = QStringLiteral("%1 tool response(s) cannot be matched by tag pollers: %2 without a request:<id> tag, "
                               "%3 tagged with another id.")
                    .arg(untagged.size() + otherId.size())
                    .arg(untagged.size())
                    .arg(otherId.size());
    if (!untagged.isEmpty())
        f.evidence << QStringLiteral("%1 response(s) carry context.request_id but no request:<id> tag (the runner's "
                                     "'tool not found' path): workflow polling waits its full timeout")
                          .arg(untagged.size());
    for (const QString &e : examples)
        f.evidence << QStringLiteral("tagged %1").arg(e);
    f.figures = QJsonObject{{QStringLiteral("without_request_tag"), int(untagged.size())},
                            {QStringLiteral("other_id"), int(otherId.size())}};
    f.eventIds = firstIds(untagged + otherId);
    f.fixHint = QStringLiteral("Every tool.response.v1, errors included, must carry request:<id> with the "
                               "request's context.requestId (else its breadcrumb id) and the same id in "
                               "context.request_id; check tool names against tool.code.v1 (the untagged error "
                               "is 'tool not found').");
    out.append(f);
}

void lateAnswerRule(const Context &c, const std::vector<RequestAt> &requests, QList<Finding> &out)
{
    const FlowTracker &t = *c.in.flows;
    QList<QByteArray> late;
    qint64 worstMs = 0;
    qint64 worstQueueMs = -1;
    for (const auto &[key, r, s] : requests) {
        if (!r->createdKnown)
            continue;
        if (s.roundTripMs < 0 || s.roundTripMs <= s.timeoutMs)
            continue;
        late.append(*key);
        worstMs = std::max(worstMs, s.roundTripMs);
        worstQueueMs = std::max(worstQueueMs, queueWaitMs(t, *r));
    }
    if (late.isEmpty())
        return;
    Finding f;
    f.id = finding::LateAnswer;
    f.severity = Severity::Warning;
    f.summary = QStringLiteral("%1 tool request(s) answered after the requester's %2 timeout (server clock): the "
                               "requester had already given up.")
                    .arg(late.size())
                    .arg(formatMs(double(t.pendingOptions().defaultTimeoutMs)));
    f.evidence << QStringLiteral("slowest round trip (request created → response created) %1").arg(formatMs(double(worstMs)));
    if (worstQueueMs >= 0)
        f.evidence << QStringLiteral("of which waiting for a runner slot (round trip − execution_time_ms): up to %1")
                          .arg(formatMs(double(worstQueueMs)));
    f.figures = QJsonObject{{QStringLiteral("late"), int(late.size())},
                            {QStringLiteral("worst_round_trip_ms"), double(worstMs)},
                            {QStringLiteral("worst_queue_wait_ms"), double(worstQueueMs)},
                            {QStringLiteral("timeout_ms"), double(t.pendingOptions().defaultTimeoutMs)}};
    f.eventIds = firstIds(late);
    f.fixHint = worstQueueMs > worstMs / 2
        ? QStringLiteral("Most of the time was spent queued for a runner slot: free or add slots (the 5 Deno "
                         "slots are held by long LLM calls, the scheduler and waiting workflows).")
        : QStringLiteral("The tool itself ran longer than the requester waits: raise the requester's timeout "
                         "for this tool or make the tool faster.");
    out.append(f);
}

} // namespace

void requestRules(const Context &c, QList<Finding> &out)
{
    if (!c.in.flows)
        return;
    const QList<QByteArray> keys = c.in.flows->requestKeys(); // outlives the pointers into it
    const std::vector<RequestAt> requests = requestsAt(*c.in.flows, c.in.nowNs, keys);
    unansweredRule(c, requests, out);
    unmatchedRule(c, requests, out);
    lateAnswerRule(c, requests, out);
}

} // namespace rcrt::diagnosis_detail
