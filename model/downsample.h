#pragma once

#include <QList>
#include <QPointF>
#include <QtGlobal>

#include <deque>
#include <span>

namespace rcrt {

// Reduces an (x, y) series to at most `maxPoints` points for plotting, keeping spikes: the x
// range is cut into maxPoints/2 equal buckets and each bucket contributes its lowest and its
// highest sample (one point when they are the same sample), in x order. A single outlier among
// a million samples therefore still reaches the chart. `points` must be sorted by x; the
// output is then sorted by x too. Inputs of at most maxPoints points are returned as they
// are; NaN y values are skipped when downsampling. maxPoints == 1 keeps the highest sample.
QList<QPointF> downsampleMinMax(std::span<const QPointF> points, qsizetype maxPoints);

// The same min/max-per-bucket reduction, incremental, for series that grow at the right and
// (for a sliding time window) shrink at the left: each add() touches one bucket, so
// refreshing a chart costs O(new samples + buckets), not O(history).
//
// Buckets are aligned to the first sample's x (the origin); their width starts at
// `minBucketWidth` and doubles, merging neighbour pairs, whenever the span from the first held
// bucket to the newest one would exceed maxPoints/2 buckets. A sliding window of length W
// therefore settles at a width between W/(maxPoints/2) and twice that: between maxPoints/2
// and maxPoints points. x is expected non-decreasing; a smaller x joins the newest bucket.
class MinMaxDownsampler final
{
public:
    explicit MinMaxDownsampler(qsizetype maxPoints = 2000, qint64 minBucketWidth = 1'000'000);

    void add(qint64 x, float y);
    // Forgets the buckets that end at or before `x`.
    void dropBefore(qint64 x);
    void clear();

    qsizetype maxPoints() const { return m_maxBuckets * 2; }
    qsizetype bucketCount() const { return qsizetype(m_buckets.size()); }
    qint64 bucketWidth() const { return m_width; }
    qint64 samplesAdded() const { return m_added; } // since construction or clear()
    bool isEmpty() const { return m_buckets.empty(); }

    // At most maxPoints() points sorted by x, as (x·xScale + xOffset, y·yScale).
    QList<QPointF> points(double xScale = 1.0, double xOffset = 0.0, double yScale = 1.0) const;
    // The y range over every held bucket (min, max); (0, 0) when empty.
    std::pair<float, float> yRange() const;

private:
    struct Bucket
    {
        qint64 index;
        qint64 xLow;  // x of the lowest sample
        qint64 xHigh; // x of the highest sample
        float yLow;
        float yHigh;
        qint64 nLow;  // arrival order of the two samples, for ties in x
        qint64 nHigh;
    };

    void doubleWidth();

    std::deque<Bucket> m_buckets;
    qsizetype m_maxBuckets;
    qint64 m_minWidth;
    qint64 m_width;
    qint64 m_origin = 0;
    qint64 m_lastX = 0;
    qint64 m_added = 0;
};

} // namespace rcrt
