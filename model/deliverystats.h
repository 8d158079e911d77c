#pragma once

#include "model/burstanalysis.h"
#include "model/clockoffset.h"
#include "model/eventrecord.h"
#include "model/percentiles.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <deque>

namespace rcrt {

// The passive delivery measures of the doctor (issue 6 item 2), fed EventBatches with their
// arrival times, live or from a replay. QtCore only, no QObject; one thread.
//
//  * per-event delivery lag: first arrival − updated_at, corrected by the clock-offset
//    estimate (probes when there are some, else the ping minimum filter) and quoted with that
//    estimate's uncertainty. Only stream and local-bus arrivals count: a backfilled item's
//    arrival says when the re-list ran, not when the stream delivered it.
//  * ping cadence (intervals between ping arrivals) and ping lag (arrival − ts).
//  * arrival bursts and their period (BurstAnalysis over events and pings).
//  * repeat arrivals of the same (id, version) on the stream (selector fan-out duplicates).
//  * the console's own processing lag: arrival → the moment a batch was handled.
//
// Bounded: the newest Options::maxSamples events and pings are kept for the analyses.
class DeliveryStats final
{
public:
    struct Options
    {
        qsizetype maxSamples = 200'000;
        qsizetype maxExamples = 20; // event ids kept as evidence per kind
    };

    struct EventSample
    {
        qint64 arrivalNs = 0;
        qint64 updatedAtNs = 0;
        QByteArray breadcrumbId;
        qint32 version = 0;
        QByteArray schemaName;

        qint64 rawLagNs() const { return arrivalNs - updatedAtNs; }
    };

    struct PingSample
    {
        qint64 arrivalNs = 0;
        qint64 tsNs = 0;
    };

    struct LagSummary
    {
        PercentileSummary ms;        // corrected lag, ms
        PercentileSummary rawMs;     // uncorrected (arrival − updated_at), ms
        ClockOffsetEstimator::Estimate offset;
        qint64 negativeRaw = 0;      // events with a raw lag below zero
    };

    DeliveryStats();
    explicit DeliveryStats(const Options &options);

    // Records of a batch; handledNs (console clock when the batch reached its consumer) feeds
    // the processing lag; 0 leaves it out (replays: the batch time says nothing).
    void addBatch(const EventBatch &batch, qint64 handledNs = 0);
    void addProbe(qint64 sentNs, qint64 ackNs, qint64 serverUpdatedAtNs);
    void clear();

    ClockOffsetEstimator &clock() { return m_clock; }
    const ClockOffsetEstimator &clock() const { return m_clock; }

    const std::deque<EventSample> &events() const { return m_events; }
    const std::deque<PingSample> &pings() const { return m_pings; }
    qint64 eventCount() const { return m_eventCount; }   // stream/local new versions, total
    qint64 pingCount() const { return m_pingCount; }
    qint64 backfillCount() const { return m_backfillCount; }
    qint64 firstArrivalNs() const { return m_firstArrivalNs; } // of anything; 0 before any
    qint64 lastArrivalNs() const { return m_lastArrivalNs; }
    qint64 lastEventArrivalNs() const { return m_lastEventArrivalNs; }
    qint64 lastPingArrivalNs() const { return m_lastPingArrivalNs; }

    // Duplicates: repeat arrivals on the stream of an (id, version) first seen on the stream.
    qint64 streamRepeats() const { return m_streamRepeats; }
    qint64 repeatedRecords() const { return m_repeatedRecords; } // distinct (id, version)
    int maxCopies() const { return m_maxCopies; }                // most arrivals of one
    const QList<QByteArray> &repeatExamples() const { return m_repeatExamples; }

    // Processing lag: arrival → handled, ms.
    PercentileSummary processingLag() const;
    qint64 processingWorstNs() const { return m_processingWorstNs; }
    qint64 processingSamples() const { return qint64(m_processing.size()); }

    LagSummary lagSummary() const;
    PercentileSummary pingIntervalsMs() const;
    BurstAnalysis bursts(const BurstOptions &options = {}) const;
    // The lag corrected by the current offset estimate.
    qint64 correctedLagNs(const EventSample &sample) const;

private:
    template<typename T>
    void pushBounded(std::deque<T> &queue, T value)
    {
        queue.push_back(std::move(value));
        if (qsizetype(queue.size()) > m_options.maxSamples)
            queue.pop_front();
    }
    void noteArrival(qint64 arrivalNs);

    Options m_options;
    ClockOffsetEstimator m_clock;
    std::deque<EventSample> m_events;
    std::deque<PingSample> m_pings;
    std::deque<float> m_processing;
    QHash<qint64, int> m_copiesBySeq; // seq → arrivals, for records that repeated
    qint64 m_eventCount = 0;
    qint64 m_pingCount = 0;
    qint64 m_backfillCount = 0;
    qint64 m_firstArrivalNs = 0;
    qint64 m_lastArrivalNs = 0;
    qint64 m_lastEventArrivalNs = 0;
    qint64 m_lastPingArrivalNs = 0;
    qint64 m_streamRepeats = 0;
    qint64 m_repeatedRecords = 0;
    int m_maxCopies = 1;
    QList<QByteArray> m_repeatExamples;
    qint64 m_processingWorstNs = 0;
};

} // namespace rcrt
