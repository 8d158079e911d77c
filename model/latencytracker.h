#pragma once

#include "model/eventrecord.h"
#include "model/latencyroundtrips.h"
#include "model/latencyseries.h"

#include <QByteArray>
#include <QHash>
#include <QList>

namespace rcrt {

// The latency maths behind the charts and the status bar, fed with EventBatches (QtCore only,
// no QObject; lives in whichever thread feeds it).
//
// Series (bounded rings, see LatencySeries; x is always the console's arrival clock, ns):
//   deliveryLag    per new (id, version): first arrival − updated_at, ms; key = schema index
//                  (schemaName(); the charts group schemas into colour families).
//                  updated_at is the DB clock (rcrt-protocol.md §4.3), so this includes any
//                  offset between the two clocks (not estimated here) and can be negative.
//   repeatDelay    per repeat arrival of a held (id, version): arrival − first arrival, ms;
//                  key EventSource of the repeat.
//   roundTrips     per matched tool request/response (LatencyRoundTrips): response updated_at
//                  − request updated_at, ms, at the arrival that completed the pair; key = tool
//                  index (toolName()).
//   pingIntervals  per ping after the first: arrival − previous ping's arrival, s (5 when
//                  healthy, §3.4; the first ping after a reconnect shows the gap).
//   pingOffsets    per ping with a `ts`: arrival − ts, ms. `ts` has whole seconds, so a healthy
//                  stream reads 0…1000 ms plus the clock offset.
//   eventRate      per closed second of arrival time: two samples at the second's start, key
//                  RateKey::NewVersions then RateKey::Repeats, y = count. Seconds without
//                  events are zeros (a stalled stream is visible); the current second is open
//                  until a later arrival or advanceTo() closes it.
class LatencyTracker final
{
public:
    struct Options
    {
        qsizetype maxLagSamples = 1 << 20; // ≈1M events, 14 bytes each
        qsizetype maxRepeatSamples = 1 << 18;
        qsizetype maxRoundTrips = 1 << 18;
        qsizetype maxPings = 100'000;
        qsizetype maxRateSeconds = 48 * 3600;
        qsizetype maxTools = 64; // tools beyond this share one key, toolName() == "(other)"
        qsizetype maxSchemas = 1024; // likewise; schemaName() of the shared key is empty
        LatencyRoundTrips::Options roundTripOptions;
    };

    enum class RateKey : quint16 { NewVersions = 0, Repeats = 1 };

    struct Totals
    {
        qint64 lagSamples = 0;
        qint64 negativeLags = 0;
        qint64 repeats = 0;
        qint64 roundTrips = 0;
        qint64 pings = 0;
    };

    LatencyTracker();
    explicit LatencyTracker(const Options &options);
    Q_DISABLE_COPY_MOVE(LatencyTracker)

    void addBatch(const EventBatch &batch);
    // Closes the per-second rate buckets before `nowNs`, so seconds without any arrival (a
    // stalled stream) become zeros without waiting for the next event.
    void advanceTo(qint64 nowNs);
    void clear();

    const LatencySeries &deliveryLag() const { return m_lag; }
    const LatencySeries &repeatDelay() const { return m_repeat; }
    const LatencySeries &roundTrips() const { return m_roundTrips; }
    const LatencySeries &pingIntervals() const { return m_pingIntervals; }
    const LatencySeries &pingOffsets() const { return m_pingOffsets; }
    const LatencySeries &eventRate() const { return m_rate; }

    QByteArray toolName(quint16 key) const;
    qsizetype toolCount() const { return m_toolNames.size(); }
    QByteArray schemaName(quint16 key) const; // empty for a breadcrumb without schema
    qsizetype schemaCount() const { return m_schemaNames.size(); }
    const LatencyRoundTrips &requestMatcher() const { return m_matcher; }
    const Totals &totals() const { return m_totals; }
    // The newest arrival of anything (events, repeats, pings); 0 before any.
    qint64 latestArrivalNs() const { return m_latestArrivalNs; }
    qint64 lastPingArrivalNs() const { return m_lastPingArrivalNs; } // 0 before any

private:
    void countArrival(qint64 arrivalNs, bool repeat);
    void closeSecondsBefore(qint64 secondNs);
    void addPing(const PingRecord &ping);
    static quint16 intern(QHash<QByteArray, quint16> &keys, QList<QByteArray> &names,
                          const QByteArray &name, qsizetype cap);

    Options m_options;
    LatencySeries m_lag;
    LatencySeries m_repeat;
    LatencySeries m_roundTrips;
    LatencySeries m_pingIntervals;
    LatencySeries m_pingOffsets;
    LatencySeries m_rate;
    LatencyRoundTrips m_matcher;
    QHash<QByteArray, quint16> m_toolKeys;
    QList<QByteArray> m_toolNames;
    QHash<QByteArray, quint16> m_schemaKeys;
    QList<QByteArray> m_schemaNames;
    Totals m_totals;
    qint64 m_latestArrivalNs = 0;
    qint64 m_lastPingArrivalNs = 0;
    bool m_haveSecond = false;
    qint64 m_secondNs = 0; // start of the open second
    qint64 m_secondNew = 0;
    qint64 m_secondRepeats = 0;
};

} // namespace rcrt
