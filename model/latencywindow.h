#pragma once

#include "model/latencyseries.h"
#include "model/percentiles.h"

#include <QtGlobal>

namespace rcrt {

// Percentiles and a histogram of the y values of one LatencySeries over a time window
// (the samples with x >= a cutoff), kept up to date incrementally: each update adds the
// samples appended since the previous one and removes those that left the window, so its
// cost follows the arrival rate, not the window's length.
//
// Percentiles are exact (nearest rank, see percentiles.h) while the window holds at most
// `exactLimit` samples, and read from a LogHistogram (within ~1%) above that.
//
// A window that covers everything the series holds uses the series' own histogram (construct
// the series with keepHistogram), because samples overwritten by the ring cannot be removed
// afterwards. A window whose oldest samples were overwritten before they could be removed is
// rebuilt from the series (one pass over the window), as is a window that grew backwards.
class LatencyWindowStats final
{
public:
    // `series` must outlive this object.
    explicit LatencyWindowStats(const LatencySeries &series, qsizetype exactLimit = 20'000);

    // Moves the window to x >= cutoffNs (pass 0 for "everything held"). Returns the number of
    // samples added or removed (the work done).
    qint64 update(qint64 cutoffNs);
    void reset();

    // As of the last update.
    qint64 count() const;
    PercentileSummary summary() const;
    const LogHistogram &histogram() const;
    bool coversEverythingHeld() const { return m_whole; }

private:
    void rebuild(qint64 cutoffNs);

    const LatencySeries &m_series;
    qsizetype m_exactLimit;
    LogHistogram m_histogram;
    qint64 m_tail = -1; // first seq in the window; -1 until the first update
    qint64 m_head = -1; // seq after the last one added
    bool m_whole = false;
};

} // namespace rcrt
