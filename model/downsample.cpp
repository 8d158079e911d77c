#include "model/downsample.h"

#include <algorithm>
#include <cmath>

namespace rcrt {

QList<QPointF> downsampleMinMax(std::span<const QPointF> points, qsizetype maxPoints)
{
    const auto n = qsizetype(points.size());
    if (n <= maxPoints)
        return QList<QPointF>(points.begin(), points.end());
    QList<QPointF> out;
    if (maxPoints <= 0)
        return out;
    if (maxPoints == 1) {
        const QPointF *best = nullptr;
        for (const QPointF &p : points)
            if (!std::isnan(p.y()) && (!best || p.y() > best->y()))
                best = &p;
        if (best)
            out.append(*best);
        return out;
    }
    const qsizetype buckets = maxPoints / 2;
    const double x0 = points.front().x();
    const double span = points.back().x() - x0;
    out.reserve(buckets * 2);
    const auto bucketOf = [&](double x) {
        if (!(span > 0))
            return qsizetype(0);
        return std::clamp(qsizetype((x - x0) / span * double(buckets)), qsizetype(0), buckets - 1);
    };
    qsizetype i = 0;
    while (i < n) {
        // Sorted input: every sample of this bucket follows the current one.
        const qsizetype b = bucketOf(points[size_t(i)].x());
        qsizetype low = -1;
        qsizetype high = -1;
        for (; i < n && bucketOf(points[size_t(i)].x()) == b; ++i) {
            const double y = points[size_t(i)].y();
            if (std::isnan(y))
                continue;
            if (low < 0 || y < points[size_t(low)].y())
                low = i;
            if (high < 0 || y > points[size_t(high)].y())
                high = i;
        }
        if (low < 0)
            continue;
        out.append(points[size_t(std::min(low, high))]);
        if (low != high)
            out.append(points[size_t(std::max(low, high))]);
    }
    return out;
}

MinMaxDownsampler::MinMaxDownsampler(qsizetype maxPoints, qint64 minBucketWidth)
    : m_maxBuckets(std::max<qsizetype>(maxPoints / 2, 1))
    , m_minWidth(std::max<qint64>(minBucketWidth, 1))
    , m_width(m_minWidth)
{
}

void MinMaxDownsampler::clear()
{
    m_buckets.clear();
    m_width = m_minWidth;
    m_added = 0;
}

void MinMaxDownsampler::add(qint64 x, float y)
{
    if (std::isnan(y))
        return;
    ++m_added;
    if (m_buckets.empty()) {
        // A fresh origin whenever everything was dropped keeps indexes small.
        m_origin = x;
        m_width = m_minWidth;
        m_buckets.push_back({0, x, x, y, y, m_added, m_added});
        m_lastX = x;
        return;
    }
    x = std::max(x, m_lastX);
    m_lastX = x;
    qint64 index = (x - m_origin) / m_width;
    while (index - m_buckets.front().index + 1 > m_maxBuckets) {
        doubleWidth();
        index = (x - m_origin) / m_width;
    }
    Bucket &last = m_buckets.back();
    if (last.index != index) {
        m_buckets.push_back({index, x, x, y, y, m_added, m_added});
        return;
    }
    if (y < last.yLow) {
        last.yLow = y;
        last.xLow = x;
        last.nLow = m_added;
    }
    if (y > last.yHigh) {
        last.yHigh = y;
        last.xHigh = x;
        last.nHigh = m_added;
    }
}

void MinMaxDownsampler::doubleWidth()
{
    m_width *= 2;
    std::deque<Bucket> merged;
    for (Bucket b : m_buckets) {
        b.index /= 2;
        if (!merged.empty() && merged.back().index == b.index) {
            Bucket &m = merged.back();
            if (b.yLow < m.yLow) {
                m.yLow = b.yLow;
                m.xLow = b.xLow;
                m.nLow = b.nLow;
            }
            if (b.yHigh > m.yHigh) {
                m.yHigh = b.yHigh;
                m.xHigh = b.xHigh;
                m.nHigh = b.nHigh;
            }
        } else {
            merged.push_back(b);
        }
    }
    m_buckets.swap(merged);
}

void MinMaxDownsampler::dropBefore(qint64 x)
{
    while (!m_buckets.empty() && m_origin + (m_buckets.front().index + 1) * m_width <= x)
        m_buckets.pop_front();
}

QList<QPointF> MinMaxDownsampler::points(double xScale, double xOffset, double yScale) const
{
    QList<QPointF> out;
    out.reserve(qsizetype(m_buckets.size()) * 2);
    auto point = [&](qint64 x, float y) { return QPointF(double(x) * xScale + xOffset, double(y) * yScale); };
    for (const Bucket &b : m_buckets) {
        if (b.nLow == b.nHigh) {
            out.append(point(b.xLow, b.yLow));
        } else if (b.nLow < b.nHigh) { // x is non-decreasing in arrival order
            out.append(point(b.xLow, b.yLow));
            out.append(point(b.xHigh, b.yHigh));
        } else {
            out.append(point(b.xHigh, b.yHigh));
            out.append(point(b.xLow, b.yLow));
        }
    }
    return out;
}

std::pair<float, float> MinMaxDownsampler::yRange() const
{
    if (m_buckets.empty())
        return {0.f, 0.f};
    float lo = m_buckets.front().yLow;
    float hi = m_buckets.front().yHigh;
    for (const Bucket &b : m_buckets) {
        lo = std::min(lo, b.yLow);
        hi = std::max(hi, b.yHigh);
    }
    return {lo, hi};
}

} // namespace rcrt
