#pragma once

#include <QtGlobal>

#include <span>
#include <vector>

namespace rcrt {

// p50/p95/p99 of a set of samples (milliseconds for latencies).
struct PercentileSummary
{
    qint64 count = 0;
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    double min = 0;
    double max = 0;
    // True when computed from every sample (nearest rank); false when read from a
    // LogHistogram (each value within about 1% of the exact one).
    bool exact = true;
};

// Nearest-rank percentile: the smallest sample with at least q·n samples at or below it
// (rank ceil(q·n), at least 1). Always one of the samples, no interpolation, so a p99 of a
// handful of samples is the largest of them. `q` in (0, 1]; `sorted` ascending, not empty.
double nearestRankOfSorted(std::span<const float> sorted, double q);

// Exact summary of `values` (reordered in place with nth_element: O(n), no full sort).
// An empty input gives a summary with count 0.
PercentileSummary exactPercentiles(std::vector<float> &values);

struct HistogramBin
{
    double lower = 0;  // bin edges, same unit as the samples
    double upper = 0;
    qint64 count = 0;
};

// A signed log-bucketed histogram with bounded relative error, for percentiles over windows
// too large to keep sorted. Buckets grow by 2% (≈116 per decade) between 1 µs and 10^8 ms
// (≈28 h) for each sign, plus one bucket for |v| < 1 µs; values beyond the range are counted
// in the outermost bucket. A quantile is the geometric middle of its bucket, so it is within
// 1% of the exact nearest-rank value (for values inside the range). Samples can be removed
// again (sliding windows); counts never go negative as long as only added values are removed.
// Units: milliseconds.
class LogHistogram final
{
public:
    LogHistogram();

    void add(double valueMs, qint64 n = 1);
    void remove(double valueMs, qint64 n = 1);
    void clear();

    qint64 count() const { return m_count; }
    qint64 countAtOrBelowZero() const; // includes |v| < 1 µs
    double quantile(double q) const;   // nearest rank over buckets; 0 when empty
    PercentileSummary summary() const; // exact == false

    // Positive values regrouped into display bins `binsPerDecade` to a decade, from the
    // first to the last non-empty bin (empty bins in between included). For charts.
    std::vector<HistogramBin> positiveBins(int binsPerDecade) const;

    static int bucketCount();
    static int bucketOf(double valueMs);
    static double bucketMiddle(int bucket); // representative value
    static double bucketLower(int bucket);  // for the positive side: the lower edge
    static double bucketUpper(int bucket);

private:
    std::vector<qint64> m_counts;
    qint64 m_count = 0;
};

} // namespace rcrt
