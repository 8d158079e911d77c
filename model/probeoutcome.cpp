#include "model/probeoutcome.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace rcrt {

QByteArray ProbeOutcome::toJson() const
{
    QJsonObject o{{QStringLiteral("probe_id"), QString::fromUtf8(probeId)},
                  {QStringLiteral("breadcrumb_id"), QString::fromUtf8(breadcrumbId)},
                  {QStringLiteral("sent_ns"), QString::number(sentNs)},
                  {QStringLiteral("ack_ns"), QString::number(ackNs)},
                  {QStringLiteral("updated_at_ns"), QString::number(updatedAtNs)},
                  {QStringLiteral("stream_ns"), QString::number(streamNs)},
                  {QStringLiteral("local_ns"), QString::number(localNs)}};
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<ProbeOutcome> ProbeOutcome::fromJson(QByteArrayView json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("probe record is not a JSON object: %1").arg(parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    // Nanosecond times are strings: a JSON double cannot hold them exactly.
    bool ok = true;
    const auto ns = [&](const char *key) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return qint64(0);
        bool good = false;
        const qint64 value = v.toString().toLongLong(&good);
        ok = ok && good;
        return value;
    };
    ProbeOutcome p;
    p.probeId = o.value(QStringLiteral("probe_id")).toString().toUtf8();
    p.breadcrumbId = o.value(QStringLiteral("breadcrumb_id")).toString().toUtf8();
    p.sentNs = ns("sent_ns");
    p.ackNs = ns("ack_ns");
    p.updatedAtNs = ns("updated_at_ns");
    p.streamNs = ns("stream_ns");
    p.localNs = ns("local_ns");
    p.error = o.value(QStringLiteral("error")).toString();
    if (!ok || p.sentNs <= 0) {
        if (error)
            *error = QStringLiteral("probe record has a missing or invalid time");
        return std::nullopt;
    }
    return p;
}

ProbeSummary summarizeProbes(const QList<ProbeOutcome> &probes, qint64 nowNs, qint64 lostAfterNs)
{
    ProbeSummary s;
    std::vector<float> stream;
    std::vector<float> write;
    std::vector<float> local;
    for (const ProbeOutcome &p : probes) {
        ++s.sent;
        if (!p.error.isEmpty()) {
            ++s.failed;
            continue;
        }
        if (p.isAcked()) {
            ++s.acked;
            write.push_back(float(p.writeMs()));
        }
        if (p.localNs > 0) {
            ++s.local;
            local.push_back(float(p.localMs()));
        }
        if (p.isSeen()) {
            ++s.seen;
            stream.push_back(float(p.streamMs()));
        } else if (p.isAcked() && nowNs - p.ackNs > lostAfterNs) {
            ++s.lost;
        }
    }
    s.streamMs = exactPercentiles(stream);
    s.writeMs = exactPercentiles(write);
    s.localMs = exactPercentiles(local);
    return s;
}

} // namespace rcrt
