#pragma once

#include <QList>
#include <QtGlobal>

#include <span>

namespace rcrt {

// Arrival bursts and their period: the signature of a buffer between server and console
// (a proxy or compression layer that holds the stream and flushes it every W seconds).
//
// Arrivals (stream events and pings, in arrival order) are grouped into bursts: a gap longer
// than Options::gapNs starts a new one. A buffering proxy flushes on a timer, so burst starts
// fall on a grid of period P (a flush with nothing held sends nothing: some grid points are
// empty). The period is the P that puts the most intervals between burst starts within 10 %
// of a whole multiple of P (candidates: the shortest intervals; refined by least squares).
struct BurstArrival
{
    qint64 arrivalNs = 0;
    qint64 lagNs = 0;      // arrival − server time (updated_at, or ping ts); raw, uncorrected
    bool isPing = false;
};

struct Burst
{
    qint64 startNs = 0;
    qint64 endNs = 0;
    int events = 0;        // breadcrumb events
    int pings = 0;
    qint64 minLagNs = 0;   // over breadcrumb events; 0 when there are none
    qint64 maxLagNs = 0;

    qint64 lagSpreadNs() const { return maxLagNs - minLagNs; }
};

struct BurstAnalysis
{
    QList<Burst> bursts;
    qint64 periodNs = 0;      // 0: no regular period
    int intervals = 0;        // intervals between burst starts
    int fittingIntervals = 0; // within the tolerance of a whole multiple of the period
    qint64 maxBurstLagSpreadNs = 0;
    int burstsWithSeveralPings = 0;

    double fit() const { return intervals > 0 ? double(fittingIntervals) / intervals : 0.0; }
};

struct BurstOptions
{
    qint64 gapNs = 250'000'000;      // a quieter stretch than this ends a burst
    qint64 minPeriodNs = 300'000'000;
    double tolerance = 0.10;         // of the period, for an interval to fit the grid
    int maxCandidates = 8;
};

BurstAnalysis analyseBursts(std::span<const BurstArrival> arrivals, const BurstOptions &options = {});

// The period that best fits `intervals` as whole multiples (see above); 0 when none fits at
// least half of them. *fitting receives the number that fit.
qint64 gridPeriod(std::span<const qint64> intervals, const BurstOptions &options, int *fitting = nullptr);

} // namespace rcrt
