#pragma once

#include "model/eventrecord.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <algorithm>
#include <deque>
#include <optional>

namespace rcrt {

// Pairs tool requests with their responses to measure request→response round trips, and
// nothing more (the flows view has the full FlowTracker; this stays small and independent).
//
// Keys (rcrt-protocol.md §5.1–§5.3): a `tool.request.v1` is known by `context.requestId`,
// else by its breadcrumb id (what the tools-runner answers to). A `tool.response.v1` names
// its request by `context.request_id`, else by a `request:<id>` tag (`request:llm` is only
// tried when there is no other). Either side may arrive first (delivery order is not
// `updated_at` order, §3.5): a response without a pending request waits for it.
//
// The round trip is response `updated_at` − request `updated_at`: both are the database
// clock (§4.3), so no console clock offset enters, and it matches "request created to
// response created". The request side keeps the first version seen.
//
// Only the two tool schemas have their context looked at, with a scan for the few top-level
// keys (no JSON DOM). Memory is bounded: the oldest pending request / waiting response is
// forgotten beyond the caps (counted in evicted()).
class LatencyRoundTrips final
{
public:
    struct Options
    {
        qsizetype maxPendingRequests = 100'000;
        qsizetype maxWaitingResponses = 10'000;
    };

    struct RoundTrip
    {
        QByteArray tool;       // the request's context.tool (else the response's)
        QByteArray requestKey;
        qint64 requestUpdatedAtNs = 0;
        qint64 responseUpdatedAtNs = 0;
        qint64 requestArrivalNs = 0;
        qint64 responseArrivalNs = 0;

        qint64 roundTripNs() const { return responseUpdatedAtNs - requestUpdatedAtNs; }
        qint64 completedArrivalNs() const { return std::max(requestArrivalNs, responseArrivalNs); }
    };

    LatencyRoundTrips();
    explicit LatencyRoundTrips(const Options &options);

    // Returns the pair this record completes, if any. Other schemas are ignored at once.
    std::optional<RoundTrip> add(const EventRecord &record);
    void clear();

    qsizetype pendingRequests() const { return qsizetype(m_requests.size()); }
    qsizetype waitingResponses() const { return qsizetype(m_responses.size()); }
    qint64 matched() const { return m_matched; }
    qint64 evicted() const { return m_evicted; }

    // The context lookups, public for tests.
    static QByteArray requestKeyOf(const EventRecord &request);
    static QList<QByteArray> responseKeysOf(const EventRecord &response);
    // A top-level string member of a JSON object text; nullopt when absent or not a string.
    static std::optional<QByteArray> contextString(QByteArrayView context, std::string_view key);

private:
    struct Side
    {
        QByteArray breadcrumbId;
        QByteArray tool;
        qint64 updatedAtNs = 0;
        qint64 arrivalNs = 0;
        quint64 stamp = 0;
    };
    using Table = QHash<QByteArray, Side>;
    using Order = std::deque<std::pair<QByteArray, quint64>>;

    void insert(Table &table, Order &order, qsizetype cap, const QByteArray &key, Side side);

    Options m_options;
    Table m_requests;
    Table m_responses;
    Order m_requestOrder; // insertion order for eviction; entries may be stale
    Order m_responseOrder;
    quint64 m_nextStamp = 1;
    qint64 m_matched = 0;
    qint64 m_evicted = 0;
};

} // namespace rcrt
