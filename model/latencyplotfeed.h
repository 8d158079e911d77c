#pragma once

#include "model/downsample.h"
#include "model/latencyseries.h"

#include <functional>
#include <vector>

namespace rcrt {

// Turns one LatencySeries into plottable, downsampled groups (one chart series each) over a
// time window, incrementally: update() reads only the samples appended since the previous
// call, routes each by its key to a group's MinMaxDownsampler, and drops buckets that left
// the window. A chart refresh therefore costs O(new samples + points), however long the
// history. Changing the window (or samples lost to the ring before they were read) rebuilds
// from the series once.
class LatencyPlotFeed final
{
public:
    // Maps a sample key to a group index, or -1 to leave the sample out. Called once per key
    // (the answer is cached), so it may look names up.
    using GroupOf = std::function<int(quint16 key)>;

    // `series` must outlive the feed.
    LatencyPlotFeed(const LatencySeries &series, int groupCount, GroupOf groupOf,
                    qsizetype maxPointsPerGroup = 2000);

    // 0 means everything the series holds.
    void setWindow(qint64 windowNs);
    qint64 window() const { return m_windowNs; }
    // Forgets the cached key → group answers (e.g. when the grouping changes) and rebuilds.
    void regroup();

    // Brings every group up to date for a window ending at nowNs. Returns the number of
    // samples read (the work done).
    qint64 update(qint64 nowNs);

    // The window's start after the last update: max(now − window, oldest held sample).
    qint64 cutoff() const { return m_cutoff; }
    int groupCount() const { return int(m_groups.size()); }
    const MinMaxDownsampler &group(int index) const { return m_groups[size_t(index)]; }
    qint64 samplesRead() const { return m_samplesRead; } // since construction

private:
    int groupOf(quint16 key);
    void rebuild();

    const LatencySeries &m_series;
    GroupOf m_groupOf;
    std::vector<MinMaxDownsampler> m_groups;
    std::vector<int> m_keyGroup; // cache; -2 = not asked yet
    qint64 m_windowNs = 0;
    qint64 m_cursor = 0;
    qint64 m_cutoff = 0;
    qint64 m_samplesRead = 0;
    bool m_needsRebuild = true;
};

} // namespace rcrt
