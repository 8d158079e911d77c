#include "model/probematcher.h"

namespace rcrt {

void ProbeMatcher::clear()
{
    m_outcomes.clear();
    m_indexById.clear();
    m_early.clear();
}

int ProbeMatcher::addSent(const ProbeOutcome &outcome)
{
    m_outcomes.append(outcome);
    return int(m_outcomes.size() - 1);
}

void ProbeMatcher::acknowledge(int index, const QByteArray &breadcrumbId, qint64 ackNs)
{
    ProbeOutcome &p = m_outcomes[index];
    p.ackNs = ackNs;
    p.breadcrumbId = breadcrumbId;
    m_indexById.insert(breadcrumbId, index);
    const QList<Sighting> early = m_early.take(breadcrumbId);
    for (const Sighting &s : early)
        apply(index, s);
}

void ProbeMatcher::fail(int index, const QString &error)
{
    m_outcomes[index].error = error;
}

bool ProbeMatcher::apply(int index, const Sighting &s)
{
    ProbeOutcome &p = m_outcomes[index];
    bool changed = false;
    if (s.source == EventSource::Local) {
        if (p.localNs == 0) {
            p.localNs = s.arrivalNs;
            changed = true;
        }
        return changed;
    }
    if (p.streamNs == 0) {
        p.streamNs = s.arrivalNs;
        changed = true;
    }
    if (p.updatedAtNs == 0 && s.updatedAtNs > 0) {
        p.updatedAtNs = s.updatedAtNs;
        changed = true;
    }
    return changed;
}

bool ProbeMatcher::addStreamCopy(int index, qint64 arrivalNs, qint64 serverUpdatedAtNs)
{
    if (index < 0 || index >= m_outcomes.size())
        return false;
    return apply(index, Sighting{arrivalNs, serverUpdatedAtNs, EventSource::Sse});
}

QList<int> ProbeMatcher::addBatch(const EventBatch &batch, bool keepEarly)
{
    QList<int> changed;
    const auto see = [&](const QByteArray &id, const Sighting &s, bool startsEarly) {
        if (const auto it = m_indexById.constFind(id); it != m_indexById.cend()) {
            if (apply(*it, s) && !changed.contains(*it))
                changed.append(*it);
            return;
        }
        if (!keepEarly)
            return;
        if (startsEarly)
            m_early[id].append(s);
        else if (const auto early = m_early.find(id); early != m_early.end())
            early->append(s);
    };
    for (const EventRecord &r : batch.records) {
        if (r.first.source == EventSource::Backfill || r.envelope.schemaName != QByteArrayView(kSchema))
            continue;
        const bool local = r.first.source == EventSource::Local;
        see(r.envelope.breadcrumbId, Sighting{r.first.arrivalNs, local ? 0 : r.envelope.updatedAtNs, r.first.source},
            true);
    }
    // The second copy of a probe, whichever it is (local after stream, stream after local).
    for (const RepeatArrival &r : batch.repeats) {
        if (r.arrival.source != EventSource::Backfill)
            see(r.breadcrumbId, Sighting{r.arrival.arrivalNs, 0, r.arrival.source}, false);
    }
    return changed;
}

} // namespace rcrt
