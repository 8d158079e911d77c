#pragma once

#include "model/eventrecord.h"
#include "model/percentiles.h"

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

    // Nearest-rank p50/p95/p99/max of the stream lags in ms (model/percentiles.h).
    PercentileSummary lagSummary() const;
    qint64 events() const { return m_events; }

private:
    QHash<QByteArray, qint64> m_perSchema;
    QHash<QByteArray, qint64> m_perSource;
    std::vector<float> m_lagMs;
    qint64 m_events = 0;
    qint64 m_repeats = 0;
    qint64 m_pings = 0;
    qint64 m_rejected = 0;
    int m_connects = 0;
    int m_reconnects = 0;
    int m_backfills = 0;
};

} // namespace rcrt::cli
