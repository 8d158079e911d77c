#include "app/replaysession.h"

#include "model/decoder.h"
#include "model/flowfacts.h"

#include <QThread>

#include <algorithm>

namespace rcrt {

namespace {
EventStore::Options storeOptions()
{
    EventStore::Options o;
    o.maxEvents = 0;     // a session is held whole: seeking needs every record
    o.maxPingLog = 1;    // pings and rejects are indexed here, not in the store's logs
    o.maxRejectLog = 1;
    o.batchIntervalMs = 1 << 30;
    return o;
}

QByteArray bytes(std::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}
} // namespace

// The rare kinds of delivery (repeats, pings, others, rejects) are decoded a second time here
// to index them; new records, the bulk, are decoded once, by the store.
struct ReplaySessionDecoder
{
    Decoder decoder;
    EnvelopeView view;
};

ReplaySession::ReplaySession() : m_store(std::make_unique<EventStore>(storeOptions())) {}

ReplaySession::~ReplaySession() = default;

void ReplaySession::reserve(qint64 events)
{
    m_arrivalNs.reserve(size_t(events));
    m_seqEnd.reserve(size_t(events));
}

void ReplaySession::append(StreamEvent event)
{
    const qint64 index = eventCount();
    event.source = EventSource::Replay;
    m_maxArrivalNs = index == 0 ? event.arrivalNs : std::max(m_maxArrivalNs, qint64(event.arrivalNs));
    const QByteArray raw = event.raw; // shared, for the rare second decode
    const qint64 arrival = event.arrivalNs;
    const EventStore::IngestResult result = m_store->ingest(std::move(event));
    m_arrivalNs.push_back(m_maxArrivalNs);
    m_seqEnd.push_back(m_store->nextSeq());

    if (result == EventStore::IngestResult::NewVersion)
        return;
    static thread_local ReplaySessionDecoder rare;
    switch (result) {
    case EventStore::IngestResult::RepeatArrival:
        if (rare.decoder.decodeView(raw, rare.view)) {
            if (const auto seq = m_store->seqOf(bytes(rare.view.breadcrumbId), rare.view.version))
                m_repeats.push_back({index, *seq});
        }
        break;
    case EventStore::IngestResult::Ping: {
        qint64 ts = 0;
        if (rare.decoder.decodeView(raw, rare.view))
            ts = rare.view.pingTsNs;
        m_pings.push_back({index, ts});
        break;
    }
    case EventStore::IngestResult::Other: {
        QByteArray type;
        if (rare.decoder.decodeView(raw, rare.view))
            type = bytes(rare.view.type);
        m_others.emplace_back(index, OtherRecord{arrival, EventSource::Replay, type, raw});
        break;
    }
    case EventStore::IngestResult::Rejected:
        m_rejects.push_back({index, 0});
        m_rejectErrors.append(m_store->lastRejectError());
        m_rejectRaws.append(raw);
        break;
    case EventStore::IngestResult::NewVersion: break;
    }
}

void ReplaySession::finishLoading(QThread *thread)
{
    m_store->discardPending();
    // Flow records, for the flow tracker, which reads nothing else.
    for (const QByteArray &schema : m_store->schemaNames()) {
        if (flowKindForSchema(schema) == FlowKind::None)
            continue;
        const QList<qint64> seqs = m_store->seqsForSchema(schema);
        m_flowSeqs.insert(m_flowSeqs.end(), seqs.begin(), seqs.end());
    }
    std::sort(m_flowSeqs.begin(), m_flowSeqs.end());
    for (const Side &r : m_repeats)
        m_repeatEventsBySeq[r.seq].append(r.event);
    if (thread)
        m_store->moveToThread(thread);
}

qint64 ReplaySession::timeAtCursor(qint64 cursor) const
{
    if (m_arrivalNs.empty())
        return 0;
    return cursor <= 0 ? m_arrivalNs.front() : m_arrivalNs[size_t(std::min(cursor, eventCount()) - 1)];
}

qint64 ReplaySession::cursorAtTime(qint64 ns) const
{
    return qint64(std::upper_bound(m_arrivalNs.begin(), m_arrivalNs.end(), ns) - m_arrivalNs.begin());
}

qint64 ReplaySession::seqEnd(qint64 cursor) const
{
    if (cursor <= 0)
        return m_store->firstSeq();
    return m_seqEnd[size_t(std::min(cursor, eventCount()) - 1)];
}

qint64 ReplaySession::cursorShowing(qint64 seq) const
{
    // The first delivery after which the store's nextSeq exceeds seq.
    const auto it = std::upper_bound(m_seqEnd.begin(), m_seqEnd.end(), seq);
    return qint64(it - m_seqEnd.begin()) + 1;
}

template<class T>
std::pair<size_t, size_t> ReplaySession::range(const std::vector<T> &list, qint64 from, qint64 to)
{
    const auto eventOf = [](const T &item) {
        if constexpr (std::is_same_v<T, Side>)
            return item.event;
        else
            return item.first;
    };
    const auto lo = std::partition_point(list.begin(), list.end(), [&](const T &x) { return eventOf(x) < from; });
    const auto hi = std::partition_point(lo, list.end(), [&](const T &x) { return eventOf(x) < to; });
    return {size_t(lo - list.begin()), size_t(hi - list.begin())};
}

EventRecord ReplaySession::recordAt(qint64 seq, qint64 cursor) const
{
    EventRecord r = m_store->recordBySeq(seq).value_or(EventRecord());
    if (!r.laterArrivals.isEmpty()) {
        const QList<qint64> events = m_repeatEventsBySeq.value(seq);
        const qsizetype shown = std::count_if(events.begin(), events.end(), [cursor](qint64 e) { return e < cursor; });
        r.laterArrivals.resize(std::min(shown, r.laterArrivals.size()));
    }
    return r;
}

QList<qint64> ReplaySession::repeatSeqs(qint64 from, qint64 to) const
{
    QList<qint64> seqs;
    const auto [lo, hi] = range(m_repeats, from, to);
    for (size_t i = lo; i < hi; ++i)
        seqs.append(m_repeats[i].seq);
    return seqs;
}

qint64 ReplaySession::flowRecordsBetween(qint64 from, qint64 to) const
{
    const auto lo = std::lower_bound(m_flowSeqs.begin(), m_flowSeqs.end(), seqEnd(from));
    const auto hi = std::lower_bound(lo, m_flowSeqs.end(), seqEnd(to));
    return qint64(hi - lo);
}

qint64 ReplaySession::nthFlowSeqFrom(qint64 from, qint64 n) const
{
    if (m_flowSeqs.empty())
        return seqEnd(from);
    const auto lo = std::lower_bound(m_flowSeqs.begin(), m_flowSeqs.end(), seqEnd(from));
    const qint64 index = std::min<qint64>(qint64(lo - m_flowSeqs.begin()) + std::max<qint64>(n, 1) - 1, qint64(m_flowSeqs.size()) - 1);
    return m_flowSeqs[size_t(index)];
}

EventRecord ReplaySession::record(qint64 seq) const
{
    EventRecord r = m_store->recordBySeq(seq).value_or(EventRecord());
    r.laterArrivals.clear(); // as a live batch carries it: later arrivals come as repeats
    return r;
}

EventBatch ReplaySession::batch(qint64 from, qint64 to, Parts parts, qint64 minSeq) const
{
    EventBatch b;
    from = std::clamp<qint64>(from, 0, eventCount());
    to = std::clamp<qint64>(to, from, eventCount());
    const qint64 seqFrom = std::max(seqEnd(from), minSeq);
    const qint64 seqTo = seqEnd(to);
    if (parts & Records) {
        b.records.reserve(std::max<qsizetype>(0, qsizetype(seqTo - seqFrom)));
        for (qint64 seq = seqFrom; seq < seqTo; ++seq)
            b.records.append(record(seq));
    } else if (parts & FlowRecords) {
        const auto lo = std::lower_bound(m_flowSeqs.begin(), m_flowSeqs.end(), seqFrom);
        const auto hi = std::lower_bound(lo, m_flowSeqs.end(), seqTo);
        b.records.reserve(qsizetype(hi - lo));
        for (auto it = lo; it != hi; ++it)
            b.records.append(record(*it));
    }
    if (parts & Repeats) {
        const auto [lo, hi] = range(m_repeats, from, to);
        for (size_t i = lo; i < hi; ++i) {
            const Side &s = m_repeats[i];
            if (s.seq < minSeq)
                continue;
            const std::optional<EventRecord> held = m_store->recordBySeq(s.seq);
            if (!held)
                continue;
            b.repeats.append(RepeatArrival{s.seq, held->envelope.breadcrumbId, held->envelope.version,
                                           held->first, Arrival{arrivalNs(s.event), EventSource::Replay}});
        }
    }
    if (parts & Pings) {
        const auto [lo, hi] = range(m_pings, from, to);
        for (size_t i = lo; i < hi; ++i)
            b.pings.append(PingRecord{arrivalNs(m_pings[i].event), m_pings[i].seq, EventSource::Replay});
    }
    if (parts & Others) {
        const auto [lo, hi] = range(m_others, from, to);
        for (size_t i = lo; i < hi; ++i)
            b.others.append(m_others[i].second);
    }
    if (parts & Rejects) {
        const auto [lo, hi] = range(m_rejects, from, to);
        for (size_t i = lo; i < hi; ++i)
            b.rejects.append(RejectRecord{arrivalNs(m_rejects[i].event), EventSource::Replay,
                                          m_rejectErrors.at(qsizetype(i)), m_rejectRaws.at(qsizetype(i))});
    }
    b.firstHeldSeq = m_store->firstSeq();
    b.nextSeq = seqTo;
    // Totals at the end of the range, as the live store would report them.
    StoreCounters &c = b.counters;
    c.events = to;
    c.newVersions = seqTo - m_store->firstSeq();
    c.repeats = qint64(range(m_repeats, 0, to).second);
    c.pings = qint64(range(m_pings, 0, to).second);
    c.others = qint64(range(m_others, 0, to).second);
    c.rejected = qint64(range(m_rejects, 0, to).second);
    return b;
}

} // namespace rcrt
