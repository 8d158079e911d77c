#pragma once

#include "model/flowentities.h"

#include <QFlags>
#include <QHash>
#include <QString>

namespace rcrt {

class FlowTracker;

// The state of one tool request as a requester would see it (issue 3 item 5).
enum class RequestState : quint8 {
    Pending,       // no response yet, still within the requester's timeout
    Answered,      // a success response within the timeout
    Error,         // the (first) response has status "error"
    TimedOut,      // no response, and the requester's timeout has run out
    AnsweredLate,  // a success response, created after the timeout
};

// Why a request may never be answered, or looks late (rcrt-protocol.md §8.2 item 1).
enum class RequestHint : quint8 {
    None = 0,
    NoInput = 0x01,              // the runner returns without any response (§5.1)
    UntaggedResponse = 0x02,     // a response carries request_id but no request:<id> tag (§5.2)
    NoRunner = 0x04,             // no runner activity for the request's workspace lately
    NoWorkspace = 0x08,          // no workspace:* tag: the runner ignores it silently (§5.1)
    AnsweredAfterTimeout = 0x10, // the response came after the requester gave up
};
Q_DECLARE_FLAGS(RequestHints, RequestHint)
Q_DECLARE_OPERATORS_FOR_FLAGS(RequestHints)

struct PendingOptions
{
    qint64 defaultTimeoutMs = 60'000;           // workflow polling and EventBridge both use 60 s (§8.2)
    QHash<QString, qint64> toolTimeoutsMs;      // per-tool overrides, e.g. ollama_local 120 s
    qint64 runnerWindowMs = 5 * 60'000;         // "no runner seen" looks this far back
    qint64 recentWindowMs = 10 * 60'000;        // settled problems stay listed this long

    qint64 timeoutMsFor(const QString &tool) const { return toolTimeoutsMs.value(tool, defaultTimeoutMs); }
};

struct RequestStatus
{
    RequestState state = RequestState::Pending;
    RequestHints hints;
    qint64 timeoutMs = 0;
    qint64 ageMs = 0;         // console clock, since the request's age anchor (see below)
    qint64 countdownMs = 0;   // timeout - age; negative once overdue; 0 when answered
    qint64 roundTripMs = -1;  // server clock: first response created - request created; -1 open
    qint64 settledAtNs = 0;   // console clock when the state became final; 0 while pending
    qint64 timesOutAtNs = 0;  // console clock: age anchor + timeout (when Pending turns TimedOut)

    bool isOpen() const { return state == RequestState::Pending || state == RequestState::TimedOut; }
    bool isProblem() const { return state != RequestState::Pending && state != RequestState::Answered; }
};

// How a request's state is derived. Two clocks, on purpose:
//  * Round trips (request created → response created) use the server's `updated_at` of both
//    breadcrumbs: one clock, no skew, and no delivery delay in the figure.
//  * Ages and countdowns of requests still open use the console clock, from the request's age
//    anchor: its first arrival here (SSE or local bus), or, for a request first seen through a
//    backfill, its server `updated_at` (its arrival time then says nothing about its age).
//    The console clock can be injected (FlowTracker::setClock) for tests and replays.
// A request's first response (oldest by server time) decides its state; a response that only
// matched by `context.request_id` still counts (the console saw it), and the UntaggedResponse
// hint says that tag pollers did not.
namespace pending {

qint64 ageAnchorNs(const FlowRequest &request);
RequestStatus evaluate(const FlowTracker &tracker, const FlowRequest &request, qint64 nowNs);

// Whether the default pending view lists it: open requests, and problems (error, late,
// timed out) that settled within the last recentWindowMs, like Temporal's pending activities.
bool isListedByDefault(const RequestStatus &status, qint64 nowNs, const PendingOptions &options);

QString stateName(RequestState state);
// One short line for the hint column, e.g. "no runner seen for workspace:tools in 5 min".
QString hintText(RequestHints hints, const FlowRequest &request, const PendingOptions &options);
// The same hints explained, one sentence per line, for tooltips.
QString hintExplanation(RequestHints hints, const FlowRequest &request, const PendingOptions &options);

} // namespace pending
} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::RequestState)
