#include "app/cli/tailsummary.h"

#include "app/cli/eventformat.h"
#include "app/cli/jsonout.h"

#include <algorithm>

namespace rcrt::cli {

void TailSummary::add(const EventBatch &batch)
{
    for (const EventRecord &record : batch.records) {
        ++m_events;
        const Envelope &e = record.envelope;
        ++m_perSchema[e.hasSchema ? e.schemaName : QByteArrayLiteral("(none)")];
        ++m_perSource[sourceName(record.first.source).toUtf8()];
        if (record.first.source == EventSource::Sse) {
            m_lagMs.push_back(float(lagMs(record.first.arrivalNs, e.updatedAtNs)));
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

PercentileSummary TailSummary::lagSummary() const
{
    std::vector<float> copy = m_lagMs; // exactPercentiles reorders its input
    return exactPercentiles(copy);
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
    const PercentileSummary lag = lagSummary();
    out += "lag p50/p95/max " + QByteArray::number(lag.p50, 'f', 1) + " / " + QByteArray::number(lag.p95, 'f', 1)
        + " / " + QByteArray::number(lag.max, 'f', 1) + " ms\n";
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
    const PercentileSummary lag = lagSummary();
    out += ",\"lag_ms\":{\"p50\":" + QByteArray::number(lag.p50, 'f', 3) + ",\"p95\":"
        + QByteArray::number(lag.p95, 'f', 3) + ",\"max\":" + QByteArray::number(lag.max, 'f', 3) + '}';
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
