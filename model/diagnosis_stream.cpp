// Stream rules: dead-stream (no bytes at all, or silence), stalled-stream (pings but no events).
#include "model/diagnosisrules.h"

#include <QJsonArray>

#include <algorithm>

namespace rcrt::diagnosis_detail {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

void deadStreamRule(const Context &c, QList<Finding> &out)
{
    const StreamHealth &s = c.in.stream;
    const DeliveryStats &stats = c.stats;
    const bool nothing = stats.pingCount() == 0 && stats.eventCount() == 0 && stats.streamRepeats() == 0;
    const qint64 observed = s.observedToNs - s.observedFromNs;
    const qint64 lastByte = stats.lastArrivalNs();
    // A buffering proxy is silent for a period at a time; allow that before calling it dead.
    const qint64 silentLimit = std::max(c.in.options.silentAfterNs, c.buffering ? c.bursts.periodNs * 3 / 2 : 0);
    const bool wentSilent = s.live && lastByte > 0 && s.observedToNs - lastByte > silentLimit;
    const bool neverAnything = nothing && (s.live ? observed >= 2'000 * kNsPerMs : true);
    if (!neverAnything && !wentSilent)
        return;
    Finding f;
    f.id = finding::DeadStream;
    f.severity = Severity::Error;
    if (neverAnything) {
        f.summary = s.connects == 0 && s.live
            ? QStringLiteral("The stream never opened: not a single byte in %1.").arg(formatNs(observed))
            : QStringLiteral("No byte at all on the stream (not even the 5 s pings) in %1.").arg(formatNs(observed));
    } else {
        f.summary = QStringLiteral("The stream went silent: no byte, not even a ping, for the last %1.")
                        .arg(formatNs(s.observedToNs - lastByte));
    }
    if (s.live)
        f.evidence << QStringLiteral("streams accepted: %1, reconnects: %2").arg(s.connects).arg(s.reconnects);
    if (!s.lastError.isEmpty())
        f.evidence << QStringLiteral("last error: %1").arg(s.lastError);
    f.evidence << QStringLiteral("pings received: %1, events received: %2").arg(stats.pingCount()).arg(stats.eventCount());
    // The server pings every 5 s, so an accepted stream with no byte at all is either dead or
    // held back by something that buffers longer than the console's watchdog (15 s) waits:
    // the seed's 60 s buffer looks exactly like this from here.
    const bool acceptedButSilent = s.live && neverAnything && s.connects >= 2;
    if (acceptedButSilent)
        f.evidence << QStringLiteral("%1 streams were accepted (HTTP 200) and each stayed silent until the watchdog cut "
                                     "it: a proxy buffering longer than 15 s looks like this")
                          .arg(s.connects);
    f.figures = QJsonObject{{QStringLiteral("observed_ms"), double(observed) / kNsPerMs},
                            {QStringLiteral("connects"), s.connects},
                            {QStringLiteral("reconnects"), s.reconnects},
                            {QStringLiteral("pings"), stats.pingCount()},
                            {QStringLiteral("events"), stats.eventCount()},
                            {QStringLiteral("last_error"), s.lastError}};
    if (lastByte > 0)
        f.figures.insert(QStringLiteral("silent_for_ms"), double(s.observedToNs - lastByte) / kNsPerMs);
    f.fixHint = QStringLiteral("Check the URL, the token (a 401 loop after expiry), the server's 503 (NATS "
                               "subscribe failed) and any proxy's read timeout; the server pings every 5 s, so "
                               "15 s of silence means the connection is dead: reconnect and re-list.");
    if (acceptedButSilent)
        f.fixHint += QStringLiteral(" Accepted but silent streams: look for a buffering proxy (curl -N the stream "
                                    "through it and watch for bursts; `proxy_buffering off`).");
    out.append(f);
}

void stalledStreamRule(const Context &c, QList<Finding> &out)
{
    const DeliveryStats &stats = c.stats;
    const qint64 now = c.in.nowNs;
    QList<QByteArray> lostProbes;
    qint64 firstLostSentNs = 0;
    for (const ProbeOutcome &p : c.in.probes) {
        if (p.isAcked() && !p.isSeen() && now - p.ackNs > c.waitLimitNs) {
            lostProbes.append(p.breadcrumbId);
            if (firstLostSentNs == 0 || p.sentNs < firstLostSentNs)
                firstLostSentNs = p.sentNs;
        }
    }
    const ReconcileResult &rec = c.in.reconcile;
    const qint64 offset = c.lag.offset.isValid() ? c.lag.offset.offsetNs : 0;
    QList<QByteArray> missing;
    qint64 firstMissingNs = 0; // console clock
    for (const ReconcileResult::Item &item : rec.missing) {
        const qint64 atConsole = item.updatedAtNs - offset;
        if (rec.atNs - atConsole < std::max(c.in.options.reconcileGraceNs, c.waitLimitNs / 2))
            continue; // too young: the stream may still bring it
        missing.append(item.breadcrumbId);
        if (firstMissingNs == 0 || atConsole < firstMissingNs)
            firstMissingNs = atConsole;
    }
    if (lostProbes.isEmpty() && missing.isEmpty())
        return;
    // Without pings after the loss it is a dead stream (its own rule), not a stall.
    const qint64 lossStart = std::min(firstLostSentNs ? firstLostSentNs : firstMissingNs,
                                      firstMissingNs ? firstMissingNs : firstLostSentNs);
    qint64 pingsSince = 0;
    for (const DeliveryStats::PingSample &p : stats.pings())
        if (p.arrivalNs > lossStart)
            ++pingsSince;
    if (pingsSince == 0)
        return;
    Finding f;
    f.id = finding::StalledStream;
    f.severity = Severity::Error;
    f.summary = QStringLiteral("The stream still sends pings but stopped delivering breadcrumbs: %1 written "
                               "breadcrumb(s) never arrived.")
                    .arg(lostProbes.size() + missing.size());
    if (!lostProbes.isEmpty())
        f.evidence << QStringLiteral("%1 probe(s) acknowledged by the server never arrived on the stream (waited %2)")
                          .arg(lostProbes.size())
                          .arg(formatNs(c.waitLimitNs));
    if (!missing.isEmpty())
        f.evidence << QStringLiteral("REST re-list: %1 of %2 listed breadcrumbs newer than the stream's start were "
                                     "never delivered")
                          .arg(missing.size())
                          .arg(rec.listed);
    f.evidence << QStringLiteral("%1 ping(s) arrived after the first lost breadcrumb; last event arrival %2 before "
                                 "the end")
                      .arg(pingsSince)
                      .arg(stats.lastEventArrivalNs() > 0 ? formatNs(c.in.stream.observedToNs - stats.lastEventArrivalNs())
                                                          : QStringLiteral("(none)"));
    f.figures = QJsonObject{{QStringLiteral("lost_probes"), int(lostProbes.size())},
                            {QStringLiteral("missing_in_stream"), int(missing.size())},
                            {QStringLiteral("listed"), rec.listed},
                            {QStringLiteral("pings_after_loss"), pingsSince}};
    f.eventIds = firstIds(lostProbes + missing);
    f.fixHint = QStringLiteral("The server's stream bridge has stopped (NATS disconnected, or the server ran out "
                               "of blocking threads after ~256 stream connections since its start): restart the "
                               "server; clients must reconnect and re-list with GET /breadcrumbs, and should treat "
                               "'pings but no events' as dead.");
    out.append(f);
}

} // namespace

void streamRules(const Context &c, QList<Finding> &out)
{
    deadStreamRule(c, out);
    stalledStreamRule(c, out);
}

} // namespace rcrt::diagnosis_detail
