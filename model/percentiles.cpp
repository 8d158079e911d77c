#include "model/percentiles.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace rcrt {

namespace {

constexpr double kGrowth = 1.02;
constexpr double kMinMs = 1e-3; // 1 µs
constexpr double kMaxMs = 1e8;  // ≈ 28 h

// Magnitude buckets per sign: ceil(ln(kMaxMs / kMinMs) / ln(kGrowth)).
const int kPerSign = int(std::ceil(std::log(kMaxMs / kMinMs) / std::log(kGrowth)));
const double kLogGrowth = std::log(kGrowth);

int magnitudeOf(double absMs)
{
    const int m = int(std::floor(std::log(absMs / kMinMs) / kLogGrowth));
    return std::clamp(m, 0, kPerSign - 1);
}

qsizetype rankOf(qsizetype n, double q)
{
    const auto rank = qsizetype(std::ceil(q * double(n)));
    return std::clamp<qsizetype>(rank, 1, n);
}

} // namespace

double nearestRankOfSorted(std::span<const float> sorted, double q)
{
    Q_ASSERT(!sorted.empty());
    return double(sorted[size_t(rankOf(qsizetype(sorted.size()), q) - 1)]);
}

PercentileSummary exactPercentiles(std::vector<float> &values)
{
    PercentileSummary s;
    s.count = qsizetype(values.size());
    if (values.empty())
        return s;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    s.min = double(*lo);
    s.max = double(*hi);
    // Largest rank first, then each smaller one inside the prefix nth_element left in place.
    auto select = [&](double q, qsizetype limit) {
        const qsizetype k = rankOf(s.count, q) - 1;
        std::nth_element(values.begin(), values.begin() + k, values.begin() + limit);
        return std::pair{double(values[size_t(k)]), k + 1};
    };
    qsizetype limit = s.count;
    std::tie(s.p99, limit) = select(0.99, limit);
    std::tie(s.p95, limit) = select(0.95, limit);
    std::tie(s.p50, limit) = select(0.50, limit);
    s.exact = true;
    return s;
}

LogHistogram::LogHistogram()
    : m_counts(size_t(bucketCount()), 0)
{
}

int LogHistogram::bucketCount()
{
    return 2 * kPerSign + 1;
}

int LogHistogram::bucketOf(double valueMs)
{
    const double a = std::fabs(valueMs);
    if (a < kMinMs)
        return kPerSign;
    const int m = std::isfinite(a) ? magnitudeOf(a) : kPerSign - 1;
    return valueMs > 0 ? kPerSign + 1 + m : kPerSign - 1 - m;
}

double LogHistogram::bucketMiddle(int bucket)
{
    if (bucket == kPerSign)
        return 0;
    const int m = bucket > kPerSign ? bucket - kPerSign - 1 : kPerSign - 1 - bucket;
    const double middle = kMinMs * std::pow(kGrowth, double(m) + 0.5);
    return bucket > kPerSign ? middle : -middle;
}

double LogHistogram::bucketLower(int bucket)
{
    if (bucket == kPerSign)
        return -kMinMs;
    if (bucket > kPerSign)
        return kMinMs * std::pow(kGrowth, double(bucket - kPerSign - 1));
    return -kMinMs * std::pow(kGrowth, double(kPerSign - bucket));
}

double LogHistogram::bucketUpper(int bucket)
{
    if (bucket == kPerSign)
        return kMinMs;
    if (bucket > kPerSign)
        return kMinMs * std::pow(kGrowth, double(bucket - kPerSign));
    return -kMinMs * std::pow(kGrowth, double(kPerSign - 1 - bucket));
}

void LogHistogram::add(double valueMs, qint64 n)
{
    if (std::isnan(valueMs))
        return;
    m_counts[size_t(bucketOf(valueMs))] += n;
    m_count += n;
}

void LogHistogram::remove(double valueMs, qint64 n)
{
    if (std::isnan(valueMs))
        return;
    qint64 &c = m_counts[size_t(bucketOf(valueMs))];
    Q_ASSERT(c >= n);
    const qint64 taken = std::min(c, n);
    c -= taken;
    m_count -= taken;
}

void LogHistogram::clear()
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_count = 0;
}

qint64 LogHistogram::countAtOrBelowZero() const
{
    qint64 n = 0;
    for (int b = 0; b <= kPerSign; ++b)
        n += m_counts[size_t(b)];
    return n;
}

double LogHistogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    const qint64 rank = rankOf(m_count, q);
    qint64 seen = 0;
    for (int b = 0; b < bucketCount(); ++b) {
        seen += m_counts[size_t(b)];
        if (seen >= rank)
            return bucketMiddle(b);
    }
    return bucketMiddle(bucketCount() - 1);
}

PercentileSummary LogHistogram::summary() const
{
    PercentileSummary s;
    s.exact = false;
    s.count = m_count;
    if (m_count == 0)
        return s;
    s.p50 = quantile(0.50);
    s.p95 = quantile(0.95);
    s.p99 = quantile(0.99);
    int first = 0;
    while (m_counts[size_t(first)] == 0)
        ++first;
    int last = bucketCount() - 1;
    while (m_counts[size_t(last)] == 0)
        --last;
    s.min = bucketMiddle(first);
    s.max = bucketMiddle(last);
    return s;
}

std::vector<HistogramBin> LogHistogram::positiveBins(int binsPerDecade) const
{
    std::map<int, qint64> grouped;
    for (int b = kPerSign + 1; b < bucketCount(); ++b) {
        if (const qint64 c = m_counts[size_t(b)]) {
            const int d = int(std::floor(std::log10(bucketMiddle(b)) * binsPerDecade));
            grouped[d] += c;
        }
    }
    std::vector<HistogramBin> bins;
    if (grouped.empty())
        return bins;
    const int first = grouped.begin()->first;
    const int last = grouped.rbegin()->first;
    bins.reserve(size_t(last - first + 1));
    for (int d = first; d <= last; ++d) {
        const auto it = grouped.find(d);
        bins.push_back({std::pow(10.0, double(d) / binsPerDecade),
                        std::pow(10.0, double(d + 1) / binsPerDecade),
                        it == grouped.end() ? 0 : it->second});
    }
    return bins;
}

} // namespace rcrt
