#pragma once

#include "model/percentiles.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace rcrt {

// One probe breadcrumb (schema console.probe.v1, tag console:probe) timed on the console's
// clock: write sent → write acknowledged → event on the stream (and on the local bus when a
// local runner writes it). The server's `updated_at` of the probe, read from the stream
// event, gives a clock-offset sample against the send/ack midpoint.
struct ProbeOutcome
{
    QByteArray probeId;      // the console's own nonce (context.probe_id)
    QByteArray breadcrumbId; // from the write's answer
    qint64 sentNs = 0;
    qint64 ackNs = 0;        // 0 until acknowledged
    qint64 updatedAtNs = 0;  // server clock, from the stream event; 0 until seen
    qint64 streamNs = 0;     // arrival on the SSE stream; 0 until seen
    qint64 localNs = 0;      // arrival on the local bus; 0 when none
    QString error;           // the write failed (then nothing else follows)

    bool isAcked() const { return ackNs > 0 && error.isEmpty(); }
    bool isSeen() const { return streamNs > 0; }
    double writeMs() const { return isAcked() ? double(ackNs - sentNs) / 1e6 : -1; }
    double streamMs() const { return isSeen() ? double(streamNs - sentNs) / 1e6 : -1; }
    double localMs() const { return localNs > 0 ? double(localNs - sentNs) / 1e6 : -1; }

    // One JSON object (the session file's probes table stores it as is).
    QByteArray toJson() const;
    static std::optional<ProbeOutcome> fromJson(QByteArrayView json, QString *error = nullptr);
};

struct ProbeSummary
{
    int sent = 0;
    int acked = 0;
    int failed = 0;          // the write itself failed
    int seen = 0;
    int lost = 0;            // acknowledged, never seen on the stream in time
    int local = 0;           // seen on the local bus (written through the console's own node)
    PercentileSummary streamMs; // sent → stream, over the probes seen
    PercentileSummary writeMs;  // sent → acknowledged
    PercentileSummary localMs;  // sent → local bus, over the probes seen there
};

// `lost` counts acknowledged probes not seen whose acknowledgement is older than
// lostAfterNs at nowNs (younger ones may still come).
ProbeSummary summarizeProbes(const QList<ProbeOutcome> &probes, qint64 nowNs, qint64 lostAfterNs);

} // namespace rcrt
