#include "model/burstanalysis.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace rcrt {

namespace {

int countFitting(std::span<const qint64> intervals, double period, double tolerance, double *sumI, double *sumK)
{
    int fitting = 0;
    double si = 0;
    double sk = 0;
    for (const qint64 interval : intervals) {
        const double k = std::max(1.0, std::round(double(interval) / period));
        if (std::fabs(double(interval) - k * period) <= tolerance * period) {
            ++fitting;
            si += double(interval);
            sk += k;
        }
    }
    if (sumI)
        *sumI = si;
    if (sumK)
        *sumK = sk;
    return fitting;
}

} // namespace

qint64 gridPeriod(std::span<const qint64> intervals, const BurstOptions &options, int *fitting)
{
    if (fitting)
        *fitting = 0;
    std::vector<qint64> sorted;
    for (const qint64 i : intervals)
        if (i >= options.minPeriodNs)
            sorted.push_back(i);
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());

    double bestPeriod = 0;
    int bestFit = 0;
    const int candidates = std::min<int>(options.maxCandidates, int(sorted.size()));
    for (int c = 0; c < candidates; ++c) {
        double period = double(sorted[size_t(c)]);
        // Refine: least-squares period over the intervals that fit, twice.
        for (int round = 0; round < 2; ++round) {
            double si = 0;
            double sk = 0;
            countFitting(intervals, period, options.tolerance, &si, &sk);
            if (sk > 0)
                period = si / sk;
        }
        const int fit = countFitting(intervals, period, options.tolerance, nullptr, nullptr);
        // More fitting intervals wins; on a tie the longer period (a divisor always fits too).
        if (fit > bestFit || (fit == bestFit && period > bestPeriod)) {
            bestFit = fit;
            bestPeriod = period;
        }
    }
    if (bestFit * 2 < int(intervals.size()) || bestPeriod < double(options.minPeriodNs))
        return 0;
    if (fitting)
        *fitting = bestFit;
    return qint64(std::llround(bestPeriod));
}

BurstAnalysis analyseBursts(std::span<const BurstArrival> arrivals, const BurstOptions &options)
{
    BurstAnalysis out;
    Burst current;
    bool open = false;
    qint64 lastNs = 0;
    const auto close = [&] {
        if (open)
            out.bursts.append(current);
        open = false;
    };
    for (const BurstArrival &a : arrivals) {
        if (!open || a.arrivalNs - lastNs > options.gapNs) {
            close();
            current = Burst{};
            current.startNs = a.arrivalNs;
            open = true;
        }
        current.endNs = std::max(current.endNs, a.arrivalNs);
        lastNs = std::max(lastNs, a.arrivalNs);
        if (a.isPing) {
            ++current.pings;
            continue;
        }
        if (current.events == 0) {
            current.minLagNs = current.maxLagNs = a.lagNs;
        } else {
            current.minLagNs = std::min(current.minLagNs, a.lagNs);
            current.maxLagNs = std::max(current.maxLagNs, a.lagNs);
        }
        ++current.events;
    }
    close();

    std::vector<qint64> intervals;
    for (qsizetype i = 1; i < out.bursts.size(); ++i)
        intervals.push_back(out.bursts[i].startNs - out.bursts[i - 1].startNs);
    for (const Burst &b : out.bursts) {
        out.maxBurstLagSpreadNs = std::max(out.maxBurstLagSpreadNs, b.lagSpreadNs());
        if (b.pings > 1)
            ++out.burstsWithSeveralPings;
    }
    out.intervals = int(intervals.size());
    out.periodNs = gridPeriod(intervals, options, &out.fittingIntervals);
    return out;
}

} // namespace rcrt
