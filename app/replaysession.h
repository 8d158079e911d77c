#pragma once

#include "model/eventrecord.h"
#include "model/eventstore.h"
#include "model/streamevent.h"

#include <QFlags>
#include <QHash>
#include <QList>
#include <QStringList>

#include <memory>
#include <vector>

class QThread;

namespace rcrt {

// A recorded session decoded once into an EventStore, with an index from every recorded
// delivery (a "stream event", in arrival order) to what it did to the store. The replay
// cursor is a count of stream events: the state at cursor c is what the first c deliveries
// made, and because the store hands out seqs in arrival order, its records are a prefix of the
// store's seq range. Batches for any range of deliveries are built from the store on demand,
// shaped exactly like the live EventStore's batches, so every view consumes a replay through
// the code it uses live (DESIGN.md: one path for live, replay and local).
//
// Built by append() on one thread (the loader), then finishLoading() hands the store to the
// thread that reads it; after that it is read-only.
class ReplaySession final
{
    Q_DISABLE_COPY_MOVE(ReplaySession)

public:
    enum Part {
        Records = 0x01,     // new records (materialised, laterArrivals empty as live)
        FlowRecords = 0x02, // only records of flow schemas (tool requests/responses/…)
        Repeats = 0x04,
        Pings = 0x08,
        Others = 0x10,
        Rejects = 0x20,
        Everything = Records | Repeats | Pings | Others | Rejects,
    };
    Q_DECLARE_FLAGS(Parts, Part)

    ReplaySession();
    ~ReplaySession();

    // --- building ---
    void reserve(qint64 events);
    // Ingests one delivery; its source becomes `replay`, its arrival time is kept.
    void append(StreamEvent event);
    // Drops the batches the store would emit (nobody listens to them) and moves the store
    // to `thread` (null: stays).
    void finishLoading(QThread *thread);

    // --- reading ---
    const EventStore &store() const { return *m_store; }
    qint64 eventCount() const { return qint64(m_seqEnd.size()); }
    qint64 recordCount() const { return m_store->size(); }
    // Recorded arrival of delivery `event` (0 <= event < eventCount()), made non-decreasing.
    qint64 arrivalNs(qint64 event) const { return m_arrivalNs[size_t(event)]; }
    qint64 firstArrivalNs() const { return m_arrivalNs.empty() ? 0 : m_arrivalNs.front(); }
    qint64 lastArrivalNs() const { return m_arrivalNs.empty() ? 0 : m_arrivalNs.back(); }
    // The time the views see at cursor c: the arrival of the last delivery shown.
    qint64 timeAtCursor(qint64 cursor) const;
    // The cursor showing every delivery that arrived at or before `ns`.
    qint64 cursorAtTime(qint64 ns) const;
    // Seqs [store.firstSeq(), seqEnd(c)) are the records shown at cursor c.
    qint64 seqEnd(qint64 cursor) const;
    // The smallest cursor at which record `seq` is shown.
    qint64 cursorShowing(qint64 seq) const;
    qint64 flowRecordCount() const { return qint64(m_flowSeqs.size()); }

    // Record `seq` as the views see it at `cursor`: only the later arrivals delivered before.
    EventRecord recordAt(qint64 seq, qint64 cursor) const;
    // The seqs of an id's records (ascending), all of them: callers cut at their seqEnd.
    QList<qint64> seqsOfId(const QByteArray &breadcrumbId) const { return m_store->seqsForId(breadcrumbId); }

    // The records that deliveries [from, to) gave a later arrival, one entry per arrival.
    QList<qint64> repeatSeqs(qint64 from, qint64 to) const;
    // Flow records (FlowRecords) created by deliveries [from, to).
    qint64 flowRecordsBetween(qint64 from, qint64 to) const;
    // The seq of the n-th flow record shown after cursor `from` (the last one when fewer).
    qint64 nthFlowSeqFrom(qint64 from, qint64 n) const;

    // What deliveries [from, to) did, as a live batch would say it. Records with a seq below
    // minSeq (and repeats of them) are left out.
    EventBatch batch(qint64 from, qint64 to, Parts parts = Everything, qint64 minSeq = 0) const;

private:
    struct Side
    {
        qint64 event = 0;
        qint64 seq = 0; // repeats: the record; pings/rejects: index in the store's log
    };
    template<class T>
    static std::pair<size_t, size_t> range(const std::vector<T> &list, qint64 from, qint64 to);
    EventRecord record(qint64 seq) const;

    std::unique_ptr<EventStore> m_store;
    std::vector<qint64> m_arrivalNs; // per delivery, non-decreasing
    std::vector<qint64> m_seqEnd;    // per delivery: the store's nextSeq() after it
    std::vector<Side> m_repeats;
    std::vector<Side> m_pings;
    std::vector<Side> m_rejects;
    std::vector<std::pair<qint64, OtherRecord>> m_others;
    std::vector<qint64> m_flowSeqs;  // ascending
    QHash<qint64, QList<qint64>> m_repeatEventsBySeq; // record → deliveries that repeated it
    QStringList m_rejectErrors;   // by index in m_rejects
    QList<QByteArray> m_rejectRaws;
    qint64 m_maxArrivalNs = 0;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(ReplaySession::Parts)

} // namespace rcrt
