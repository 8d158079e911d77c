#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace rcrt {

// Estimate of the offset between the server's clock (`updated_at`, ping `ts`: the DB and
// server clocks, rcrt-protocol.md §4.3) and the console's own clock:
//     offset = server clock − console clock
// so that a delivery lag corrected for it is  arrival − updated_at + offset.
//
// Two sources, the better one wins:
//  * Probes: a breadcrumb written at console time `sent`, acknowledged at `ack`, got the server
//    time `updated_at` somewhere in between. offset = updated_at − (sent+ack)/2, uncertain by
//    half the round trip. The sample with the shortest round trip is kept (as NTP does).
//  * Pings: `ts` has whole seconds (§3.4), truncated, so ts <= send time < ts + 1 s. Over a
//    window the smallest (arrival − ts) is the one with the least delivery delay:
//    offset ≈ 0.5 s − min(arrival − ts), uncertain by ±0.5 s (plus the smallest delivery
//    delay in the window, which nothing here can see: a buffered stream shifts it).
class ClockOffsetEstimator final
{
public:
    enum class Source : quint8 { None, Pings, Probes };

    struct Estimate
    {
        Source source = Source::None;
        qint64 offsetNs = 0;       // server − console
        qint64 uncertaintyNs = 0;  // ± half width
        qint64 samples = 0;

        bool isValid() const { return source != Source::None; }
        // "+1.234 s ± 0.500 s (pings)"
        QString toString() const;
    };

    // Ping window: how many of the newest pings the minimum filter looks at.
    explicit ClockOffsetEstimator(int pingWindow = 120);

    void addProbe(qint64 sentNs, qint64 ackNs, qint64 serverUpdatedAtNs);
    void addPing(qint64 arrivalNs, qint64 tsNs);
    void clear();

    Estimate probeEstimate() const;
    Estimate pingEstimate() const;
    // Probes when there are some, else pings; invalid when neither.
    Estimate estimate() const;

    static QString sourceName(Source source);

private:
    int m_pingWindow;
    qint64 m_pingCount = 0;
    // Ring of (arrival − ts) of the newest pings.
    QList<qint64> m_pingDeltas;
    qint64 m_probeCount = 0;
    qint64 m_bestProbeRttNs = -1;
    qint64 m_bestProbeOffsetNs = 0;
};

} // namespace rcrt
