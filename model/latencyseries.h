#pragma once

#include "model/percentiles.h"

#include <QtGlobal>

#include <memory>
#include <vector>

namespace rcrt {

// A bounded time series kept as a struct of arrays (x: int64 ns, y: float, key: uint16), so a
// million samples cost 14 bytes each and no per-sample allocation. When full, the oldest
// sample is overwritten (a ring).
//
// Samples are addressed by a sequence number (seq) that counts every append and is never
// reused: [firstSeq(), endSeq()) are held. Readers (charts, window statistics) remember the
// seq they reached and consume only what is new, so their work follows the arrival rate, not
// the history length.
//
// x is kept non-decreasing: a sample whose x is below the previous one (the console clock
// stepped back) is stored at the previous x. Time windows are then contiguous seq ranges
// found by binary search.
//
// With keepHistogram, a LogHistogram of every held y is maintained as samples come and go:
// percentiles over "everything held" then cost nothing per query.
class LatencySeries final
{
public:
    explicit LatencySeries(qsizetype capacity, bool keepHistogram = false);

    void append(qint64 xNs, float y, quint16 key = 0);
    void clear();

    qsizetype capacity() const { return m_capacity; }
    qsizetype size() const { return qsizetype(m_end - m_first); }
    bool isEmpty() const { return m_end == m_first; }
    qint64 firstSeq() const { return m_first; }
    qint64 endSeq() const { return m_end; }

    // firstSeq() <= seq < endSeq()
    qint64 x(qint64 seq) const { return m_x[slot(seq)]; }
    float y(qint64 seq) const { return m_y[slot(seq)]; }
    quint16 key(qint64 seq) const { return m_key[slot(seq)]; }
    qint64 lastX() const { return isEmpty() ? 0 : x(m_end - 1); }

    // The first held seq whose x >= xNs; endSeq() when none.
    qint64 lowerBound(qint64 xNs) const;

    // Over every held sample; null unless constructed with keepHistogram.
    const LogHistogram *histogram() const { return m_histogram.get(); }

private:
    size_t slot(qint64 seq) const
    {
        Q_ASSERT(seq >= m_first && seq < m_end);
        return size_t(seq % m_capacity);
    }

    qsizetype m_capacity;
    qint64 m_first = 0;
    qint64 m_end = 0;
    std::vector<qint64> m_x;
    std::vector<float> m_y;
    std::vector<quint16> m_key;
    std::unique_ptr<LogHistogram> m_histogram;
};

} // namespace rcrt
