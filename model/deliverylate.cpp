#include "model/deliverylate.h"

#include "model/flowtracker.h"

#include <algorithm>

namespace rcrt {

DeliveryVerdict deliveryVerdict(const FlowTracker &tracker, const FlowRequest &request, qint64 offsetNs)
{
    constexpr qint64 kNsPerMs = 1'000'000;
    DeliveryVerdict v;
    v.timeoutMs = tracker.pendingOptions().timeoutMsFor(request.tool);
    const FlowResponse *first = request.responses.isEmpty() ? nullptr : tracker.response(request.responses.first());
    if (!first || !request.createdKnown)
        return v;
    v.answered = true;
    v.serverRoundTripMs = (first->createdNs - request.createdNs) / kNsPerMs;
    v.answeredOnTime = v.serverRoundTripMs <= v.timeoutMs;
    v.deliveredAfterMs = (first->firstArrivalNs - (request.createdNs - offsetNs)) / kNsPerMs;
    const qint64 requestLag = request.firstArrivalNs - (request.createdNs - offsetNs);
    const qint64 responseLag = first->firstArrivalNs - (first->createdNs - offsetNs);
    v.ssePathMs = (std::max<qint64>(0, requestLag) + std::max<qint64>(0, responseLag)) / kNsPerMs + v.serverRoundTripMs;
    v.deliveredLate = v.answeredOnTime && std::max(v.deliveredAfterMs, v.ssePathMs) > v.timeoutMs;
    return v;
}

QString deliveredLateMark(const DeliveryVerdict &v)
{
    return v.deliveredLate ? QStringLiteral("answered on time by the server, delivered late") : QString();
}

QString deliveredLateExplanation(const DeliveryVerdict &v)
{
    if (!v.deliveredLate)
        return {};
    return QStringLiteral("Answered on time by the server (%1 s, timeout %2 s) but delivered late: the response "
                          "reached this console %3 s after the request was created, and an SSE-fed runner behind "
                          "this stream would have needed %4 s; a requester waiting on the stream timed out.")
        .arg(double(v.serverRoundTripMs) / 1000, 0, 'f', 1)
        .arg(double(v.timeoutMs) / 1000, 0, 'f', 0)
        .arg(double(v.deliveredAfterMs) / 1000, 0, 'f', 1)
        .arg(double(v.ssePathMs) / 1000, 0, 'f', 1);
}

} // namespace rcrt
