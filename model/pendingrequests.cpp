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
    status.timesOutAtNs = anchor + status.timeoutMs * kNsPerMs;

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
        status.settledAtNs = status.timesOutAtNs;
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
        parts << tr("request has no input (never answered)");
    if (hints & RequestHint::NoWorkspace)
        parts << tr("no workspace tag (runners ignore it)");
    if (hints & RequestHint::UntaggedResponse)
        parts << tr("a response exists but lacks its request:%1 tag").arg(QString::fromUtf8(request.correlationId));
    if (hints & RequestHint::NoRunner)
        parts << tr("no runner seen for %1 in %2 min")
                     .arg(QString::fromUtf8(request.workspace))
                     .arg(options.runnerWindowMs / 60'000);
    if (hints & RequestHint::AnsweredAfterTimeout)
        parts << tr("answered after the timeout (%1 s)").arg(options.timeoutMsFor(request.tool) / 1000);
    return parts.join(QStringLiteral("; "));
}

QString hintExplanation(RequestHints hints, const FlowRequest &request, const PendingOptions &options)
{
    const QString id = QString::fromUtf8(request.correlationId);
    const QString workspace = QString::fromUtf8(request.workspace);
    QStringList parts;
    if (hints & RequestHint::NoInput)
        parts << tr("The request has no input: the tools-runner returns without writing any response.");
    if (hints & RequestHint::NoWorkspace)
        parts << tr("The request has no workspace:* tag: the tools-runner silently ignores requests without its "
                    "workspace tag.");
    if (hints & RequestHint::UntaggedResponse)
        parts << tr("A tool.response.v1 names this request in context.request_id but carries no request:%1 tag "
                    "(the runner's \"tool not found\" shape): requesters polling by tag never see it and wait out "
                    "their timeout.")
                     .arg(id);
    if (hints & RequestHint::NoRunner)
        parts << tr("No tool.response.v1 or tool.catalog.v1 tagged %1 since %2 min before this request: is a "
                    "tools-runner listening on that workspace?")
                     .arg(workspace)
                     .arg(options.runnerWindowMs / 60'000);
    if (hints & RequestHint::AnsweredAfterTimeout)
        parts << tr("The response came after the requester's %1 s timeout: the requester had already given up, "
                    "which looks like a delay of the timeout's length.")
                     .arg(options.timeoutMsFor(request.tool) / 1000);
    return parts.join(QLatin1Char('\n'));
}

} // namespace rcrt::pending
