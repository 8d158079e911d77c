#include "model/pendingrequests.h"

#include "model/flowtracker.h"

#include <QCoreApplication>

#include <algorithm>

namespace rcrt::pending {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

QString tr(const char *text)
{
    return QCoreApplication::translate("rcrt::PendingRequests", text);
}

} // namespace

qint64 ageAnchorNs(const FlowRequest &request)
{
    return request.firstSource == EventSource::Backfill ? request.createdNs : request.firstArrivalNs;
}

RequestStatus evaluate(const FlowTracker &tracker, const FlowRequest &request, qint64 nowNs)
{
    const PendingOptions &options = tracker.pendingOptions();
    RequestStatus status;
    status.timeoutMs = options.timeoutMsFor(request.tool);
    const qint64 anchor = ageAnchorNs(request);
    status.ageMs = std::max<qint64>(0, (nowNs - anchor) / kNsPerMs);

    if (!request.hasInput)
        status.hints |= RequestHint::NoInput;
    if (request.workspace.isEmpty())
        status.hints |= RequestHint::NoWorkspace;

    bool anyTagged = false;
    bool anyUntagged = false;
    for (const QByteArray &key : request.responses) {
        if (const FlowResponse *r = tracker.response(key))
            (r->taggedForRequest ? anyTagged : anyUntagged) = true;
    }
    if (anyUntagged && !anyTagged)
        status.hints |= RequestHint::UntaggedResponse;

    const FlowResponse *first = request.responses.isEmpty() ? nullptr : tracker.response(request.responses.first());
    if (first) {
        status.roundTripMs = std::max<qint64>(0, (first->createdNs - request.createdNs) / kNsPerMs);
        const bool late = status.roundTripMs > status.timeoutMs;
        status.state = first->isError() ? RequestState::Error
                                        : (late ? RequestState::AnsweredLate : RequestState::Answered);
        if (late)
            status.hints |= RequestHint::AnsweredAfterTimeout;
        status.settledAtNs = first->firstArrivalNs;
        return status;
    }

    status.countdownMs = status.timeoutMs - status.ageMs;
    if (status.countdownMs < 0) {
        status.state = RequestState::TimedOut;
        status.settledAtNs = anchor + status.timeoutMs * kNsPerMs;
    }
    if (!request.workspace.isEmpty()) {
        const qint64 seen = tracker.runnerLastSeenNs(request.workspace);
        if (seen == 0 || seen < request.createdNs - options.runnerWindowMs * kNsPerMs)
            status.hints |= RequestHint::NoRunner;
    }
    return status;
}

bool isListedByDefault(const RequestStatus &status, qint64 nowNs, const PendingOptions &options)
{
    switch (status.state) {
    case RequestState::Pending:
    case RequestState::TimedOut:
        return true; // not answered yet, however long ago
    case RequestState::Error:
    case RequestState::AnsweredLate:
        return nowNs - status.settledAtNs <= options.recentWindowMs * kNsPerMs;
    case RequestState::Answered:
        return false;
    }
    return false;
}

QString stateName(RequestState state)
{
    switch (state) {
    case RequestState::Pending:
        return tr("pending");
    case RequestState::Answered:
        return tr("answered");
    case RequestState::Error:
        return tr("error");
    case RequestState::TimedOut:
        return tr("timed out");
    case RequestState::AnsweredLate:
        return tr("answered late");
    }
    return {};
}

QString hintText(RequestHints hints, const FlowRequest &request, const PendingOptions &options)
{
    QStringList parts;
    if (hints & RequestHint::NoInput)
        parts << tr("request has no input (the runner never answers it)");
    if (hints & RequestHint::NoWorkspace)
        parts << tr("no workspace tag (runners ignore it)");
    if (hints & RequestHint::UntaggedResponse)
        parts << tr("a response exists but lacks its request:%1 tag (pollers wait out the timeout)")
                     .arg(QString::fromUtf8(request.correlationId));
    if (hints & RequestHint::NoRunner)
        parts << tr("no runner seen for %1 in %2 min")
                     .arg(QString::fromUtf8(request.workspace))
                     .arg(options.runnerWindowMs / 60'000);
    if (hints & RequestHint::AnsweredAfterTimeout)
        parts << tr("answered after the timeout (%1 s)").arg(options.timeoutMsFor(request.tool) / 1000);
    return parts.join(QStringLiteral("; "));
}

} // namespace rcrt::pending
