#include "app/cli/eventformat.h"

#include "app/cli/jsonout.h"
#include "model/timestamp.h"

#include <QDateTime>
#include <QTimeZone>

namespace rcrt::cli {

QByteArray formatArrival(qint64 arrivalNs)
{
    return QDateTime::fromMSecsSinceEpoch(arrivalNs / 1'000'000, Qt::UTC)
        .toString(Qt::ISODateWithMs)
        .toUtf8();
}

double lagMs(qint64 arrivalNs, qint64 updatedAtNs)
{
    return double(arrivalNs - updatedAtNs) / 1e6;
}

QByteArray formatEventLine(const EventRecord &record, const Arrival &arrival, bool json)
{
    const Envelope &e = record.envelope;
    const QByteArray type = e.type.isEmpty() ? QByteArrayLiteral("breadcrumb.updated") : e.type;
    QByteArray line;
    if (json) {
        line.reserve(256);
        line += "{\"arrived_at\":";
        appendJsonString(line, formatArrival(arrival.arrivalNs));
        line += ",\"lag_ms\":" + QByteArray::number(lagMs(arrival.arrivalNs, e.updatedAtNs), 'f', 3);
        line += ",\"source\":";
        appendJsonString(line, sourceName(arrival.source).toUtf8());
        line += ",\"type\":";
        appendJsonString(line, type);
        line += ",\"breadcrumb_id\":";
        appendJsonString(line, e.breadcrumbId);
        line += ",\"version\":" + QByteArray::number(e.version);
        line += ",\"schema_name\":";
        if (e.hasSchema)
            appendJsonString(line, e.schemaName);
        else
            line += "null";
        line += ",\"tags\":";
        appendJsonStringList(line, e.tags);
        line += ",\"updated_at\":";
        appendJsonString(line, formatRfc3339Ns(e.updatedAtNs));
        line += "}\n";
        return line;
    }
    const QByteArray time = formatArrival(arrival.arrivalNs).mid(11, 12); // HH:mm:ss.zzz
    line = time + "  " + QByteArray::number(lagMs(arrival.arrivalNs, e.updatedAtNs), 'f', 1).rightJustified(9)
        + "ms  " + sourceName(arrival.source).toUtf8().leftJustified(8) + ' '
        + (e.hasSchema ? e.schemaName : QByteArrayLiteral("(no schema)")).leftJustified(20) + " v"
        + QByteArray::number(e.version).leftJustified(4) + ' ' + e.breadcrumbId + "  "
        + e.tags.join(',') + '\n';
    return line;
}

QByteArray formatPingLine(const PingRecord &ping, bool json)
{
    if (json) {
        QByteArray line = "{\"arrived_at\":";
        appendJsonString(line, formatArrival(ping.arrivalNs));
        line += ",\"source\":";
        appendJsonString(line, sourceName(ping.source).toUtf8());
        line += ",\"type\":\"ping\",\"ts\":";
        appendJsonString(line, formatRfc3339Ns(ping.serverTsNs));
        line += "}\n";
        return line;
    }
    return formatArrival(ping.arrivalNs).mid(11, 12) + "  ping  server ts "
        + formatRfc3339Ns(ping.serverTsNs) + '\n';
}

} // namespace rcrt::cli
