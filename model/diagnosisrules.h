#pragma once

// Internal to the diagnosis rules (diagnosis*.cpp): what every rule group sees.
#include "model/burstanalysis.h"
#include "model/deliverystats.h"
#include "model/diagnosis.h"

namespace rcrt::diagnosis_detail {

struct Context
{
    const DiagnosisInput &in;
    const DeliveryStats &stats;
    DeliveryStats::LagSummary lag;
    BurstAnalysis bursts;
    bool buffering = false;      // the buffering rule's verdict, which others defer to
    qint64 waitLimitNs = 0;      // how long something may take before it counts as never coming
};

// "250 ms", "3.20 s", "2 min 5 s"
QString formatMs(double ms);
QString formatNs(qint64 ns);
QJsonArray idsJson(const QList<QByteArray> &ids);
// Up to `max` distinct ids, in order.
QList<QByteArray> firstIds(const QList<QByteArray> &ids, qsizetype max = 10);

} // namespace rcrt::diagnosis_detail
