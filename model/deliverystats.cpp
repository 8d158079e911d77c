#include "model/deliverystats.h"

#include <algorithm>
#include <vector>

namespace rcrt {

namespace {

bool isStreamLike(EventSource source)
{
    // Replay keeps the recorded timing, so it stands for the stream it was recorded from.
    return source == EventSource::Sse || source == EventSource::Local || source == EventSource::Replay;
}

constexpr double kNsPerMs = 1e6;

} // namespace

DeliveryStats::DeliveryStats() : DeliveryStats(Options{}) {}

DeliveryStats::DeliveryStats(const Options &options) : m_options(options) {}

void DeliveryStats::noteArrival(qint64 arrivalNs)
{
    if (m_firstArrivalNs == 0 || arrivalNs < m_firstArrivalNs)
        m_firstArrivalNs = arrivalNs;
    m_lastArrivalNs = std::max(m_lastArrivalNs, arrivalNs);
}

void DeliveryStats::addBatch(const EventBatch &batch, qint64 handledNs)
{
    qint64 oldestInBatch = 0;
    const auto noteHandled = [&](qint64 arrivalNs) {
        if (handledNs > 0 && (oldestInBatch == 0 || arrivalNs < oldestInBatch))
            oldestInBatch = arrivalNs;
    };
    for (const EventRecord &record : batch.records) {
        const Arrival &a = record.first;
        if (!isStreamLike(a.source)) {
            ++m_backfillCount;
            continue;
        }
        noteArrival(a.arrivalNs);
        noteHandled(a.arrivalNs);
        ++m_eventCount;
        m_lastEventArrivalNs = std::max(m_lastEventArrivalNs, a.arrivalNs);
        pushBounded(m_events, EventSample{a.arrivalNs, record.envelope.updatedAtNs, record.envelope.breadcrumbId,
                                          record.envelope.version, record.envelope.schemaName});
    }
    for (const RepeatArrival &r : batch.repeats) {
        if (!isStreamLike(r.arrival.source) || !isStreamLike(r.first.source))
            continue;
        noteArrival(r.arrival.arrivalNs);
        noteHandled(r.arrival.arrivalNs);
        // A local-bus copy followed by the stream's is the seed's story, not a duplicate.
        if (r.arrival.source != r.first.source)
            continue;
        ++m_streamRepeats;
        int &copies = m_copiesBySeq[r.seq];
        if (copies == 0) {
            copies = 1;
            ++m_repeatedRecords;
            if (m_repeatExamples.size() < m_options.maxExamples)
                m_repeatExamples.append(r.breadcrumbId);
        }
        ++copies;
        m_maxCopies = std::max(m_maxCopies, copies);
        if (m_copiesBySeq.size() > m_options.maxSamples)
            m_copiesBySeq.clear(); // only the totals matter past this point
    }
    for (const PingRecord &p : batch.pings) {
        if (!isStreamLike(p.source))
            continue;
        noteArrival(p.arrivalNs);
        noteHandled(p.arrivalNs);
        ++m_pingCount;
        m_lastPingArrivalNs = std::max(m_lastPingArrivalNs, p.arrivalNs);
        pushBounded(m_pings, PingSample{p.arrivalNs, p.serverTsNs});
        m_clock.addPing(p.arrivalNs, p.serverTsNs);
    }
    if (oldestInBatch > 0) {
        const qint64 lag = std::max<qint64>(0, handledNs - oldestInBatch);
        m_processingWorstNs = std::max(m_processingWorstNs, lag);
        pushBounded(m_processing, float(double(lag) / kNsPerMs));
    }
}

void DeliveryStats::addProbe(qint64 sentNs, qint64 ackNs, qint64 serverUpdatedAtNs)
{
    m_clock.addProbe(sentNs, ackNs, serverUpdatedAtNs);
}

void DeliveryStats::clear()
{
    const Options options = m_options;
    *this = DeliveryStats(options);
}

PercentileSummary DeliveryStats::processingLag() const
{
    std::vector<float> values(m_processing.begin(), m_processing.end());
    return exactPercentiles(values);
}

qint64 DeliveryStats::correctedLagNs(const EventSample &sample) const
{
    const ClockOffsetEstimator::Estimate e = m_clock.estimate();
    return sample.rawLagNs() + (e.isValid() ? e.offsetNs : 0);
}

DeliveryStats::LagSummary DeliveryStats::lagSummary() const
{
    LagSummary out;
    out.offset = m_clock.estimate();
    const qint64 offset = out.offset.isValid() ? out.offset.offsetNs : 0;
    std::vector<float> raw;
    std::vector<float> corrected;
    raw.reserve(m_events.size());
    corrected.reserve(m_events.size());
    for (const EventSample &s : m_events) {
        const qint64 lag = s.rawLagNs();
        if (lag < 0)
            ++out.negativeRaw;
        raw.push_back(float(double(lag) / kNsPerMs));
        corrected.push_back(float(double(lag + offset) / kNsPerMs));
    }
    out.rawMs = exactPercentiles(raw);
    out.ms = exactPercentiles(corrected);
    return out;
}

PercentileSummary DeliveryStats::pingIntervalsMs() const
{
    std::vector<float> intervals;
    for (size_t i = 1; i < m_pings.size(); ++i)
        intervals.push_back(float(double(m_pings[i].arrivalNs - m_pings[i - 1].arrivalNs) / kNsPerMs));
    return exactPercentiles(intervals);
}

BurstAnalysis DeliveryStats::bursts(const BurstOptions &options) const
{
    std::vector<BurstArrival> arrivals;
    arrivals.reserve(m_events.size() + m_pings.size());
    for (const EventSample &s : m_events)
        arrivals.push_back(BurstArrival{s.arrivalNs, s.rawLagNs(), false});
    for (const PingSample &p : m_pings)
        arrivals.push_back(BurstArrival{p.arrivalNs, p.tsNs > 0 ? p.arrivalNs - p.tsNs : 0, true});
    std::stable_sort(arrivals.begin(), arrivals.end(),
                     [](const BurstArrival &a, const BurstArrival &b) { return a.arrivalNs < b.arrivalNs; });
    return analyseBursts(arrivals, options);
}

} // namespace rcrt
