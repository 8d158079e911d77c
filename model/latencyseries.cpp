#include "model/latencyseries.h"

#include <algorithm>

namespace rcrt {

LatencySeries::LatencySeries(qsizetype capacity, bool keepHistogram)
    : m_capacity(std::max<qsizetype>(capacity, 1))
    , m_histogram(keepHistogram ? std::make_unique<LogHistogram>() : nullptr)
{
}

void LatencySeries::append(qint64 xNs, float y, quint16 key)
{
    if (!isEmpty())
        xNs = std::max(xNs, lastX());
    // The vectors grow to the capacity first (so a small series stays small), then wrap.
    if (qsizetype(m_x.size()) < m_capacity) {
        m_x.push_back(xNs);
        m_y.push_back(y);
        m_key.push_back(key);
    } else {
        const size_t s = size_t(m_end % m_capacity);
        if (m_histogram)
            m_histogram->remove(double(m_y[s]));
        m_x[s] = xNs;
        m_y[s] = y;
        m_key[s] = key;
        ++m_first;
    }
    ++m_end;
    if (m_histogram)
        m_histogram->add(double(y));
}

void LatencySeries::clear()
{
    m_first = m_end = 0;
    m_x.clear();
    m_y.clear();
    m_key.clear();
    if (m_histogram)
        m_histogram->clear();
}

qint64 LatencySeries::lowerBound(qint64 xNs) const
{
    qint64 lo = m_first;
    qint64 hi = m_end;
    while (lo < hi) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (x(mid) < xNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

} // namespace rcrt
