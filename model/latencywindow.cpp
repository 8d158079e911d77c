#include "model/latencywindow.h"

#include <algorithm>
#include <vector>

namespace rcrt {

LatencyWindowStats::LatencyWindowStats(const LatencySeries &series, qsizetype exactLimit)
    : m_series(series)
    , m_exactLimit(exactLimit)
{
}

void LatencyWindowStats::reset()
{
    m_histogram.clear();
    m_tail = m_head = -1; // before any seq: the next update rebuilds
    m_whole = false;
}

void LatencyWindowStats::rebuild(qint64 cutoffNs)
{
    m_histogram.clear();
    m_whole = false;
    m_tail = m_head = m_series.lowerBound(cutoffNs);
}

qint64 LatencyWindowStats::update(qint64 cutoffNs)
{
    const qint64 first = m_series.firstSeq();
    const qint64 end = m_series.endSeq();
    const bool coversAll = m_series.isEmpty() || cutoffNs <= m_series.x(first);
    if (coversAll && m_series.histogram()) {
        if (!m_whole)
            m_histogram.clear();
        m_whole = true;
        m_tail = first;
        m_head = end;
        return 0;
    }
    const bool tailLost = m_tail < first;
    const bool grewBackwards = m_tail > first && m_tail <= end && m_series.x(m_tail - 1) >= cutoffNs;
    if (m_whole || tailLost || grewBackwards || m_head > end)
        rebuild(cutoffNs);

    qint64 work = 0;
    for (; m_head < end; ++m_head, ++work)
        m_histogram.add(double(m_series.y(m_head)));
    for (; m_tail < m_head && m_series.x(m_tail) < cutoffNs; ++m_tail, ++work)
        m_histogram.remove(double(m_series.y(m_tail)));
    return work;
}

qint64 LatencyWindowStats::count() const
{
    return m_head - m_tail;
}

PercentileSummary LatencyWindowStats::summary() const
{
    if (count() > m_exactLimit)
        return histogram().summary();
    const qint64 from = std::max(m_tail, m_series.firstSeq());
    const qint64 to = std::min(m_head, m_series.endSeq());
    std::vector<float> values;
    values.reserve(size_t(std::max<qint64>(to - from, 0)));
    for (qint64 s = from; s < to; ++s)
        values.push_back(m_series.y(s));
    return exactPercentiles(values);
}

const LogHistogram &LatencyWindowStats::histogram() const
{
    return m_whole ? *m_series.histogram() : m_histogram;
}

} // namespace rcrt
