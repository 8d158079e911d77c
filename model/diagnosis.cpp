#include "model/diagnosis.h"

#include "model/deliverystats.h"
#include "model/diagnosisrules.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace rcrt {

namespace diagnosis_detail {

QString formatMs(double ms)
{
    const double a = std::fabs(ms);
    if (a < 1000)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', a < 10 ? 1 : 0);
    if (a < 120'000)
        return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
    const qint64 s = qint64(std::llround(ms / 1000));
    return QStringLiteral("%1 min %2 s").arg(s / 60).arg(std::abs(s % 60));
}

QString formatNs(qint64 ns) { return formatMs(double(ns) / 1e6); }

QJsonArray idsJson(const QList<QByteArray> &ids)
{
    QJsonArray a;
    for (const QByteArray &id : ids)
        a.append(QString::fromUtf8(id));
    return a;
}

QList<QByteArray> firstIds(const QList<QByteArray> &ids, qsizetype max)
{
    QList<QByteArray> out;
    for (const QByteArray &id : ids) {
        if (out.size() >= max)
            break;
        if (!id.isEmpty() && !out.contains(id))
            out.append(id);
    }
    return out;
}

} // namespace diagnosis_detail

using namespace diagnosis_detail;

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

QJsonObject Finding::toJson() const
{
    QJsonObject evidenceJson = figures;
    evidenceJson.insert(QStringLiteral("lines"), QJsonArray::fromStringList(evidence));
    evidenceJson.insert(QStringLiteral("event_ids"), idsJson(eventIds));
    return QJsonObject{{QStringLiteral("id"), id},
                       {QStringLiteral("severity"), severityName(severity)},
                       {QStringLiteral("summary"), summary},
                       {QStringLiteral("evidence"), evidenceJson},
                       {QStringLiteral("fix"), fixHint}};
}

QString Finding::toText() const
{
    QString out = QStringLiteral("[%1] %2: %3\n").arg(severityName(severity), id, summary);
    for (const QString &line : evidence)
        out += QStringLiteral("    %1\n").arg(line);
    if (!eventIds.isEmpty()) {
        QStringList ids;
        for (const QByteArray &e : eventIds)
            ids.append(QString::fromUtf8(e));
        out += QStringLiteral("    events: %1\n").arg(ids.join(QStringLiteral(", ")));
    }
    if (!fixHint.isEmpty())
        out += QStringLiteral("    fix: %1\n").arg(fixHint);
    return out;
}

QList<Finding> diagnose(const DiagnosisInput &input)
{
    Q_ASSERT(input.stats);
    const DeliveryStats &stats = *input.stats;
    Context c{input, stats, stats.lagSummary(), stats.bursts(), false, 0};
    c.waitLimitNs = input.options.probeLostAfterNs;

    QList<Finding> out;
    // Delivery first: the buffering verdict decides how the other rules read silence.
    deliveryRules(c, out);
    const bool buffering = std::any_of(out.cbegin(), out.cend(),
                                       [](const Finding &f) { return f.id == finding::Buffering; });
    Context withVerdict = c;
    withVerdict.buffering = buffering;
    withVerdict.waitLimitNs = buffering ? std::max(c.waitLimitNs, c.bursts.periodNs * 3 / 2) : c.waitLimitNs;
    streamRules(withVerdict, out);
    requestRules(withVerdict, out);
    std::stable_sort(out.begin(), out.end(),
                     [](const Finding &a, const Finding &b) { return a.severity > b.severity; });
    return out;
}

Severity worstSeverity(const QList<Finding> &findings)
{
    Severity worst = Severity::Info;
    for (const Finding &f : findings)
        worst = std::max(worst, f.severity);
    return worst;
}

QJsonObject diagnosisToJson(const QList<Finding> &findings, const QJsonObject &measures)
{
    QJsonArray list;
    for (const Finding &f : findings)
        list.append(f.toJson());
    QJsonObject o{{QStringLiteral("findings"), list}};
    if (!measures.isEmpty())
        o.insert(QStringLiteral("measures"), measures);
    return o;
}

} // namespace rcrt
