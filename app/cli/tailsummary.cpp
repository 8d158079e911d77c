#include "app/cli/tailsummary.h"

#include "app/cli/eventformat.h"
#include "app/cli/jsonout.h"

#include <algorithm>
#include <cmath>

namespace rcrt::cli {

void TailSummary::add(const EventBatch &batch)
{
    for (const EventRecord &record : batch.records) {
        ++m_events;
        const Envelope &e = record.envelope;
        ++m_perSchema[e.hasSchema ? e.schemaName : QByteArrayLiteral("(none)")];
        ++m_perSource[sourceName(record.first.source).toUtf8()];
        if (record.first.source == EventSource::Sse) {
            m_lagMs.push_back(lagMs(record.first.arrivalNs, e.updatedAtNs));
            m_sorted = false;
        }
    }
    m_repeats += batch.repeats.size();
    m_pings += batch.pings.size();
    m_rejected += batch.rejects.size();
}

void TailSummary::setConnection(int connects, int reconnects, int backfills)
{
    m_connects = connects;
    m_reconnects = reconnects;
    m_backfills = backfills;
}

double TailSummary::lagPercentileMs(double q) const
{
    if (m_lagMs.empty())
        return 0;
    if (!m_sorted) {
        std::sort(m_lagMs.begin(), m_lagMs.end());
        m_sorted = true;
    }
    const auto rank = size_t(std::ceil(q * double(m_lagMs.size())));
    return m_lagMs[std::clamp<size_t>(rank, 1, m_lagMs.size()) - 1];
}

QByteArray TailSummary::toText(qint64 elapsedNs) const
{
    const double seconds = double(elapsedNs) / 1e9;
    QByteArray out = "\n--- summary ---\n";
    out += "duration        " + QByteArray::number(seconds, 'f', 1) + " s\n";
    out += "events          " + QByteArray::number(m_events) + " ("
        + QByteArray::number(seconds > 0 ? double(m_events) / seconds : 0, 'f', 1) + "/s)\n";
    for (auto it = m_perSource.cbegin(); it != m_perSource.cend(); ++it)
        out += "  from " + it.key().leftJustified(10) + QByteArray::number(it.value()) + '\n';
    out += "duplicates      " + QByteArray::number(m_repeats) + '\n';
    out += "pings           " + QByteArray::number(m_pings) + '\n';
    out += "rejected        " + QByteArray::number(m_rejected) + '\n';
    out += "connects        " + QByteArray::number(m_connects) + " (reconnects "
        + QByteArray::number(m_reconnects) + ", backfills " + QByteArray::number(m_backfills) + ")\n";
    out += "lag p50/p95/max " + QByteArray::number(lagPercentileMs(0.5), 'f', 1) + " / "
        + QByteArray::number(lagPercentileMs(0.95), 'f', 1) + " / "
        + QByteArray::number(lagPercentileMs(1.0), 'f', 1) + " ms\n";
    out += "by schema:\n";
    QList<QByteArray> schemas = m_perSchema.keys();
    std::sort(schemas.begin(), schemas.end());
    for (const QByteArray &schema : schemas)
        out += "  " + schema.leftJustified(28) + QByteArray::number(m_perSchema.value(schema)) + '\n';
    return out;
}

QByteArray TailSummary::toJson(qint64 elapsedNs) const
{
    QByteArray out = "{\"summary\":{\"seconds\":" + QByteArray::number(double(elapsedNs) / 1e9, 'f', 3);
    out += ",\"events\":" + QByteArray::number(m_events);
    out += ",\"duplicates\":" + QByteArray::number(m_repeats);
    out += ",\"pings\":" + QByteArray::number(m_pings);
    out += ",\"rejected\":" + QByteArray::number(m_rejected);
    out += ",\"connects\":" + QByteArray::number(m_connects);
    out += ",\"reconnects\":" + QByteArray::number(m_reconnects);
    out += ",\"backfills\":" + QByteArray::number(m_backfills);
    out += ",\"lag_ms\":{\"p50\":" + QByteArray::number(lagPercentileMs(0.5), 'f', 3)
        + ",\"p95\":" + QByteArray::number(lagPercentileMs(0.95), 'f', 3)
        + ",\"max\":" + QByteArray::number(lagPercentileMs(1.0), 'f', 3) + '}';
    out += ",\"by_schema\":{";
    bool first = true;
    for (auto it = m_perSchema.cbegin(); it != m_perSchema.cend(); ++it) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, it.key());
        out += ':' + QByteArray::number(it.value());
    }
    out += "}}}\n";
    return out;
}

} // namespace rcrt::cli
