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

} // namespace rcrt
