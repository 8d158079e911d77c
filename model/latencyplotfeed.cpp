#include "model/latencyplotfeed.h"

#include <algorithm>

namespace rcrt {

namespace {
constexpr int kUnknown = -2;
}

LatencyPlotFeed::LatencyPlotFeed(const LatencySeries &series, int groupCount, GroupOf groupOf,
                                 qsizetype maxPointsPerGroup)
    : m_series(series)
    , m_groupOf(std::move(groupOf))
{
    m_groups.reserve(size_t(std::max(groupCount, 0)));
    for (int i = 0; i < groupCount; ++i)
        m_groups.emplace_back(maxPointsPerGroup);
}

void LatencyPlotFeed::setWindow(qint64 windowNs)
{
    if (windowNs == m_windowNs)
        return;
    m_windowNs = std::max<qint64>(windowNs, 0);
    m_needsRebuild = true;
}

void LatencyPlotFeed::regroup()
{
    m_keyGroup.clear();
    m_needsRebuild = true;
}

int LatencyPlotFeed::groupOf(quint16 key)
{
    if (key >= m_keyGroup.size())
        m_keyGroup.resize(size_t(key) + 1, kUnknown);
    int &g = m_keyGroup[key];
    if (g == kUnknown) {
        g = m_groupOf ? m_groupOf(key) : 0;
        if (g >= groupCount())
            g = -1;
    }
    return g;
}

void LatencyPlotFeed::rebuild()
{
    for (MinMaxDownsampler &g : m_groups)
        g.clear();
    m_cursor = m_series.lowerBound(m_cutoff);
    m_needsRebuild = false;
}

qint64 LatencyPlotFeed::update(qint64 nowNs)
{
    const qint64 oldest = m_series.isEmpty() ? nowNs : m_series.x(m_series.firstSeq());
    m_cutoff = m_windowNs > 0 ? std::max(nowNs - m_windowNs, oldest) : oldest;
    // Samples overwritten by the ring before they were read: start again from what is held.
    if (m_cursor < m_series.firstSeq() || m_cursor > m_series.endSeq())
        m_needsRebuild = true;
    if (m_needsRebuild)
        rebuild();

    const qint64 end = m_series.endSeq();
    const qint64 work = end - m_cursor;
    for (; m_cursor < end; ++m_cursor) {
        const int g = groupOf(m_series.key(m_cursor));
        if (g >= 0)
            m_groups[size_t(g)].add(m_series.x(m_cursor), m_series.y(m_cursor));
    }
    for (MinMaxDownsampler &g : m_groups)
        g.dropBefore(m_cutoff);
    m_samplesRead += work;
    return work;
}

} // namespace rcrt
