#pragma once

#include "model/flowentities.h"

#include <QString>

namespace rcrt {

class FlowTracker;

// "Answered on time by the server, delivered late" (issue 6, the seed's incident): the
// response was created within the requester's timeout (server clock, request created →
// response created), but reached the console after that timeout had run out, counted from the
// request's creation moved onto the console clock with the clock-offset estimate; or an
// SSE-fed runner behind the same stream would have missed the timeout: it sees the request
// only at its arrival, and its answer waits for delivery again (request delivery lag + server
// round trip + response delivery lag). The requester timed out although the runner answered
// in time.
struct DeliveryVerdict
{
    bool answered = false;
    bool answeredOnTime = false;
    bool deliveredLate = false;   // answeredOnTime, and arrived after the timeout
    qint64 timeoutMs = 0;
    qint64 serverRoundTripMs = -1; // response created − request created; -1 unanswered
    qint64 deliveredAfterMs = -1;  // response arrival − request created (console clock)
    qint64 ssePathMs = -1;         // request lag + server round trip + response lag
};

// offsetNs: server clock − console clock (ClockOffsetEstimator), 0 when unknown.
DeliveryVerdict deliveryVerdict(const FlowTracker &tracker, const FlowRequest &request, qint64 offsetNs);

// The views' mark: "answered on time by the server, delivered late" (short) or one sentence
// with the figures (long); empty unless v.deliveredLate.
QString deliveredLateMark(const DeliveryVerdict &v);
QString deliveredLateExplanation(const DeliveryVerdict &v);

} // namespace rcrt
