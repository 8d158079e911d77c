#pragma once

#include "model/eventrecord.h"

#include <QByteArray>
#include <QHash>

#include <vector>

namespace rcrt::cli {

// What `rcrt-tap tail --summary` prints at the end: counts per schema and source, delivery lag
// percentiles of first arrivals by SSE, duplicates, pings, rejects and reconnects.
class TailSummary
{
public:
    void add(const EventBatch &batch);
    void setConnection(int connects, int reconnects, int backfills);

    QByteArray toText(qint64 elapsedNs) const;
    QByteArray toJson(qint64 elapsedNs) const;

    // Nearest-rank percentile of the lag samples in ms (q in [0,1]); 0 without samples.
    double lagPercentileMs(double q) const;
    qint64 events() const { return m_events; }

private:
    QHash<QByteArray, qint64> m_perSchema;
    QHash<QByteArray, qint64> m_perSource;
    mutable std::vector<double> m_lagMs;
    mutable bool m_sorted = true;
    qint64 m_events = 0;
    qint64 m_repeats = 0;
    qint64 m_pings = 0;
    qint64 m_rejected = 0;
    int m_connects = 0;
    int m_reconnects = 0;
    int m_backfills = 0;
};

} // namespace rcrt::cli
