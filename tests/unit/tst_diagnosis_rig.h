#pragma once

// Synthetic RCRT traffic for the doctor's tests: demo-like tool flows and 5 s pings on the
// server clock, then delivered to the console under a chosen fault (a delay, a buffering
// proxy, selector duplicates, a clock skew). Header-only test code; also used by the
// integration test that builds a session file with a 60 s buffer's arrival times.

#include "model/deliverystats.h"
#include "model/diagnosis.h"
#include "model/eventstore.h"
#include "model/flowtracker.h"
#include "model/timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>

#include <algorithm>
#include <functional>

namespace rcrt::test {

constexpr qint64 kDiagMs = 1'000'000;
constexpr qint64 kDiagS = 1'000'000'000;
inline const qint64 kDiagBaseNs = parseRfc3339Ns(std::string_view("2025-11-07T10:30:00Z")).value();

struct ServerWrite
{
    qint64 serverNs = 0;   // updated_at (or ping ts before truncation)
    QByteArray id;         // breadcrumb id; empty for a ping
    QByteArray raw;
    bool isPing() const { return id.isEmpty(); }
};

inline QByteArray diagUuid(quint32 n)
{
    return QByteArray::number(n, 16).rightJustified(8, '0') + "-0000-4000-8000-00000000d0c0";
}

inline QByteArray breadcrumbPayload(const QByteArray &id, int version, const QStringList &tags, const QString &schema,
                                    qint64 updatedAtNs, const QJsonObject &context)
{
    const QJsonObject event{{QStringLiteral("breadcrumb_id"), QString::fromUtf8(id)},
                            {QStringLiteral("owner_id"), QStringLiteral("00000000-0000-0000-0000-000000000001")},
                            {QStringLiteral("version"), version},
                            {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                            {QStringLiteral("schema_name"), schema},
                            {QStringLiteral("updated_at"), QString::fromUtf8(formatRfc3339Ns(updatedAtNs))},
                            {QStringLiteral("context"), context},
                            {QStringLiteral("type"), QStringLiteral("breadcrumb.updated")}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

inline QByteArray pingPayload(qint64 serverNs)
{
    const qint64 whole = serverNs - serverNs % kDiagS; // ts has whole seconds, truncated
    return "{\"type\":\"ping\",\"ts\":\"" + formatRfc3339Ns(whole) + "\"}";
}

// Every 6 s a tool request answered 150..2500 ms later (tagged like the real runner), plus a
// ping every 5 s; `durationNs` of server time from kDiagBaseNs.
inline QList<ServerWrite> demoTraffic(qint64 durationNs, quint32 seed = 7)
{
    QRandomGenerator random(seed);
    QList<ServerWrite> writes;
    quint32 n = 1;
    for (qint64 t = 0; t < durationNs; t += 5 * kDiagS)
        writes.append({kDiagBaseNs + t + 300 * kDiagMs, {}, pingPayload(kDiagBaseNs + t + 300 * kDiagMs)});
    for (qint64 t = 500 * kDiagMs; t < durationNs; t += 6 * kDiagS) {
        const QByteArray requestId = "req-" + QByteArray::number(n);
        const QByteArray reqBc = diagUuid(n++);
        const qint64 created = kDiagBaseNs + t + qint64(random.bounded(400)) * kDiagMs;
        writes.append({created, reqBc,
                       breadcrumbPayload(reqBc, 1, {QStringLiteral("tool:request"), QStringLiteral("workspace:tools")},
                                         QStringLiteral("tool.request.v1"), created,
                                         QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                     {QStringLiteral("input"), QJsonObject{{QStringLiteral("max"), 10}}},
                                                     {QStringLiteral("requestId"), QString::fromUtf8(requestId)}})});
        const qint64 answered = created + (150 + qint64(random.bounded(2350))) * kDiagMs;
        const QByteArray respBc = diagUuid(n++);
        writes.append({answered, respBc,
                       breadcrumbPayload(respBc, 1,
                                         {QStringLiteral("workspace:tools"), QStringLiteral("tool:response"),
                                          QStringLiteral("request:") + QString::fromUtf8(requestId),
                                          QStringLiteral("request:") + QString::fromUtf8(requestId)},
                                         QStringLiteral("tool.response.v1"), answered,
                                         QJsonObject{{QStringLiteral("request_id"), QString::fromUtf8(requestId)},
                                                     {QStringLiteral("tool"), QStringLiteral("random")},
                                                     {QStringLiteral("status"), QStringLiteral("success")},
                                                     {QStringLiteral("execution_time_ms"), 120}})});
    }
    std::stable_sort(writes.begin(), writes.end(),
                     [](const ServerWrite &a, const ServerWrite &b) { return a.serverNs < b.serverNs; });
    return writes;
}

// When the console sees a write: server time → console arrival (console clock).
using DeliveryRule = std::function<qint64(const ServerWrite &)>;

// clockSkewNs: server clock − console clock; pure transport delay `transportNs` (loopback).
inline DeliveryRule healthyDelivery(qint64 clockSkewNs = 0, qint64 transportNs = 2 * kDiagMs)
{
    return [=](const ServerWrite &w) { return w.serverNs - clockSkewNs + transportNs; };
}

inline DeliveryRule delayedDelivery(qint64 delayNs)
{
    return [=](const ServerWrite &w) { return w.serverNs + 2 * kDiagMs + (w.isPing() ? 0 : delayNs); };
}

// A buffering proxy: everything (pings too) waits for the next flush at phase + k·period.
inline DeliveryRule bufferedDelivery(qint64 periodNs, qint64 phaseNs = 0)
{
    return [=](const ServerWrite &w) {
        const qint64 since = w.serverNs + 1 * kDiagMs - (kDiagBaseNs + phaseNs);
        const qint64 k = since <= 0 ? 0 : (since + periodNs - 1) / periodNs;
        return kDiagBaseNs + phaseNs + k * periodNs + 3 * kDiagMs;
    };
}

// Stream events in arrival order; writes with the same arrival share it (one read).
inline QList<StreamEvent> deliver(const QList<ServerWrite> &writes, const DeliveryRule &rule, int copies = 1)
{
    QList<StreamEvent> events;
    for (const ServerWrite &w : writes)
        for (int c = 0; c < (w.isPing() ? 1 : copies); ++c)
            events.append(StreamEvent{rule(w), EventSource::Sse, w.raw});
    std::stable_sort(events.begin(), events.end(),
                     [](const StreamEvent &a, const StreamEvent &b) { return a.arrivalNs < b.arrivalNs; });
    return events;
}

// EventStore → FlowTracker + DeliveryStats, one batch per arrival time (like one network read).
struct DiagRig
{
    EventStore store;
    FlowTracker tracker;
    DeliveryStats stats;
    qint64 processingNs = 0; // added to each batch's arrival as its handled time

    DiagRig()
    {
        QObject::connect(&store, &EventStore::batchReady, &tracker, [this](const EventBatch &batch) {
            tracker.addBatch(batch);
            qint64 newest = 0;
            for (const EventRecord &r : batch.records)
                newest = std::max(newest, r.first.arrivalNs);
            for (const PingRecord &p : batch.pings)
                newest = std::max(newest, p.arrivalNs);
            stats.addBatch(batch, newest + processingNs);
        });
    }

    void feed(const QList<StreamEvent> &events)
    {
        qsizetype i = 0;
        while (i < events.size()) {
            qsizetype j = i;
            while (j < events.size() && events[j].arrivalNs == events[i].arrivalNs)
                ++j;
            store.ingestBatch(events.mid(i, j - i));
            store.flush();
            i = j;
        }
    }

    QList<Finding> diagnose(qint64 nowNs, const QList<ProbeOutcome> &probes = {}, const ReconcileResult &reconcile = {})
    {
        tracker.setClock([nowNs] { return nowNs; });
        DiagnosisInput in;
        in.stats = &stats;
        in.flows = &tracker;
        in.nowNs = nowNs;
        in.probes = probes;
        in.reconcile = reconcile;
        in.stream.observedFromNs = stats.firstArrivalNs();
        in.stream.observedToNs = nowNs;
        return rcrt::diagnose(in);
    }
};

inline QStringList findingIds(const QList<Finding> &findings)
{
    QStringList ids;
    for (const Finding &f : findings)
        ids.append(f.id);
    return ids;
}

inline const Finding *findFinding(const QList<Finding> &findings, QLatin1StringView id)
{
    for (const Finding &f : findings)
        if (f.id == id)
            return &f;
    return nullptr;
}

} // namespace rcrt::test
