#pragma once

#include "model/breadcrumb.h"
#include "model/streamevent.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace rcrt {

// One delivery of a payload: when it arrived here and by which path.
struct Arrival
{
    qint64 arrivalNs = 0;
    EventSource source = EventSource::Sse;

    friend bool operator==(const Arrival &a, const Arrival &b)
    {
        return a.arrivalNs == b.arrivalNs && a.source == b.source;
    }
};

// One (breadcrumb_id, version) as held by the EventStore, materialised as a value: copies are
// cheap (implicitly shared QByteArrays/QLists), so it can cross threads inside an EventBatch.
struct EventRecord
{
    qint64 seq = -1;               // store-wide, monotonically increasing, never reused
    Envelope envelope;
    QByteArray raw;                // the first arrival's exact payload bytes
    Arrival first;                 // the arrival that created the record
    QList<Arrival> laterArrivals;  // every later arrival of the same (id, version), in order
    bool outOfOrder = false;       // a newer version of this id was already held on arrival

    bool isValid() const { return seq >= 0; }
    QByteArrayView context() const { return envelope.contextIn(raw); }
    qsizetype arrivalCount() const { return 1 + laterArrivals.size(); }
};

// A payload whose (id, version) was already held: its arrival is added to that record.
struct RepeatArrival
{
    qint64 seq = -1;               // the record it was added to
    QByteArray breadcrumbId;
    qint32 version = 0;
    Arrival first;                 // the record's first arrival, so latency = arrival - first
    Arrival arrival;
};

struct PingRecord
{
    qint64 arrivalNs = 0;
    qint64 serverTsNs = 0;         // the ping's `ts`; 0 when it had none
    EventSource source = EventSource::Sse;
};

// A payload with a `type` other than breadcrumb.updated / ping (e.g. a proxy's "system").
struct OtherRecord
{
    qint64 arrivalNs = 0;
    EventSource source = EventSource::Sse;
    QByteArray type;
    QByteArray raw;
};

// A payload the decoder refused.
struct RejectRecord
{
    qint64 arrivalNs = 0;
    EventSource source = EventSource::Sse;
    QString error;
    QByteArray raw;
};

struct StoreCounters
{
    qint64 events = 0;        // every StreamEvent ingested, whatever its outcome
    qint64 newVersions = 0;   // records created
    qint64 repeats = 0;       // arrivals of an already-held (id, version)
    qint64 outOfOrder = 0;    // records created with outOfOrder set
    qint64 pings = 0;
    qint64 others = 0;
    qint64 rejected = 0;
    qint64 evicted = 0;       // records dropped at the bound
    qint64 bytes = 0;         // raw bytes of every ingested event
    qint64 heldBytes = 0;     // raw bytes of the records currently held
};

// What changed since the previous batch. A value type; emitted at most ~30 times a second.
struct EventBatch
{
    // New records, in seq order, as they were when created: laterArrivals is empty here, and
    // every later arrival (even of a record new in this same batch) is listed in `repeats`.
    QList<EventRecord> records;
    QList<RepeatArrival> repeats;
    QList<PingRecord> pings;
    QList<OtherRecord> others;
    QList<RejectRecord> rejects;
    qint64 firstHeldSeq = 0;        // records with a smaller seq have been evicted
    qint64 nextSeq = 0;             // the seq the next record will get
    qint64 evicted = 0;             // records evicted since the previous batch
    StoreCounters counters;         // totals after this batch

    bool isEmpty() const
    {
        return records.isEmpty() && repeats.isEmpty() && pings.isEmpty() && others.isEmpty()
            && rejects.isEmpty() && evicted == 0;
    }
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::EventRecord)
Q_DECLARE_METATYPE(rcrt::EventBatch)
