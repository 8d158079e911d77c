#pragma once

#include "model/eventrecord.h"
#include "model/probeoutcome.h"

#include <QHash>
#include <QList>

namespace rcrt {

// Matches the console's deliveries to its probes (issue 6 item 1): the stream's copy and the
// local bus's copy of each probe breadcrumb, by id.
//
// A probe is known by its id only once its write is acknowledged, but its copies can come
// first: the stream's can beat the acknowledgement, and the local copy (published on the ingest
// thread at the acknowledgement) can reach this thread before the answer does. Copies of probe
// ids not acknowledged yet are kept until the acknowledgement names them.
//
// The store deduplicates on (id, version), so whichever copy came second is a repeat arrival
// (no payload, no schema): a repeat counts when its id is a probe's or an earlier record's of
// the probe schema. Only the stream's copy carries the server's `updated_at` (the local copy's
// is this console's clock at the acknowledgement), which makes a probe a clock-offset sample; a
// stream copy that came as a repeat has none, and addStreamCopy() supplies it.
class ProbeMatcher final
{
public:
    static constexpr QLatin1StringView kSchema{"console.probe.v1"};

    void clear();
    const QList<ProbeOutcome> &outcomes() const { return m_outcomes; }
    // A probe just sent; returns its index.
    int addSent(const ProbeOutcome &outcome);
    // The write's answer: an id, or an error (nothing else follows then).
    void acknowledge(int index, const QByteArray &breadcrumbId, qint64 ackNs);
    void fail(int index, const QString &error);

    // One batch of the console's store. keepEarly: keep copies of unacknowledged probe ids (a
    // run is on). Returns the indices of the probes that changed, each once.
    QList<int> addBatch(const EventBatch &batch, bool keepEarly);
    // The stream's copy as the writer saw it (arrival on this console, server updated_at).
    // Returns whether anything changed.
    bool addStreamCopy(int index, qint64 arrivalNs, qint64 serverUpdatedAtNs);

private:
    struct Sighting
    {
        qint64 arrivalNs = 0;
        qint64 updatedAtNs = 0; // the server's; 0 for a repeat or a local copy
        EventSource source = EventSource::Sse;
    };
    bool apply(int index, const Sighting &s);

    QList<ProbeOutcome> m_outcomes;
    QHash<QByteArray, int> m_indexById;
    QHash<QByteArray, QList<Sighting>> m_early; // probe-schema copies seen before their ack
};

} // namespace rcrt
