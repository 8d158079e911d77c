// Delivery rules: buffering, uniform-lag, clock-skew, duplicates, console-behind.
#include "model/deliverylate.h"
#include "model/diagnosisrules.h"
#include "model/flowtracker.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace rcrt::diagnosis_detail {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

// Requests the server answered within the requester's timeout whose answer reached the
// console after it (the seed's incident).
QList<QByteArray> deliveredLateRequests(const Context &c)
{
    QList<QByteArray> late;
    if (!c.in.flows)
        return late;
    const qint64 offset = c.lag.offset.isValid() ? c.lag.offset.offsetNs : 0;
    for (const QByteArray &key : c.in.flows->requestKeys()) {
        const FlowRequest *r = c.in.flows->request(key);
        if (r && deliveryVerdict(*c.in.flows, *r, offset).deliveredLate)
            late.append(key);
    }
    return late;
}

void addDeliveredLate(const Context &c, Finding &f)
{
    const QList<QByteArray> late = deliveredLateRequests(c);
    f.figures.insert(QStringLiteral("requests_delivered_late"), late.size());
    if (late.isEmpty())
        return;
    f.evidence.append(QStringLiteral("%1 tool request(s) answered on time by the server but delivered after the "
                                     "requester's timeout (an SSE-fed requester timed out on them)")
                          .arg(late.size()));
    f.eventIds = firstIds(late + f.eventIds);
}

bool bufferingShape(const Context &c)
{
    const BurstAnalysis &b = c.bursts;
    if (b.periodNs < 500 * kNsPerMs || b.bursts.size() < 3 || b.fit() < 0.8 || c.lag.rawMs.count < 2)
        return false;
    // Saw-tooth: within a burst, the oldest event waited about a period and the newest hardly
    // at all; a stream that is merely slow or merely clumpy has no such spread.
    const double periodMs = double(b.periodNs) / kNsPerMs;
    const double spreadMs = c.lag.rawMs.p95 - c.lag.rawMs.min;
    return double(b.maxBurstLagSpreadNs) / kNsPerMs >= 0.5 * periodMs && spreadMs >= 0.3 * periodMs;
}

void bufferingRule(const Context &c, QList<Finding> &out)
{
    if (!bufferingShape(c))
        return;
    const BurstAnalysis &b = c.bursts;
    qint64 events = 0;
    qint64 pings = 0;
    qint64 maxSpread = 0;
    for (const Burst &burst : b.bursts) {
        events += burst.events;
        pings += burst.pings;
        maxSpread = std::max(maxSpread, burst.lagSpreadNs());
    }
    Finding f;
    f.id = finding::Buffering;
    f.severity = Severity::Warning;
    f.summary = QStringLiteral("Events and pings arrive in bursts every %1: something between the server and "
                               "the console holds the stream and flushes it periodically.")
                    .arg(formatNs(b.periodNs));
    f.evidence << QStringLiteral("burst period %1 (%2 of %3 intervals between %4 bursts on the grid)")
                      .arg(formatNs(b.periodNs))
                      .arg(b.fittingIntervals)
                      .arg(b.intervals)
                      .arg(b.bursts.size())
               << QStringLiteral("per burst: %1 events and %2 pings on average; %3 burst(s) carried several pings")
                      .arg(double(events) / double(b.bursts.size()), 0, 'f', 1)
                      .arg(double(pings) / double(b.bursts.size()), 0, 'f', 1)
                      .arg(b.burstsWithSeveralPings)
               << QStringLiteral("saw-tooth lag: within one burst the lag falls by up to %1; lag p50 %2, p95 %3, "
                                 "max %4 (raw)")
                      .arg(formatNs(maxSpread), formatMs(c.lag.rawMs.p50), formatMs(c.lag.rawMs.p95),
                           formatMs(c.lag.rawMs.max));
    f.figures = QJsonObject{{QStringLiteral("period_ms"), double(b.periodNs) / kNsPerMs},
                            {QStringLiteral("bursts"), int(b.bursts.size())},
                            {QStringLiteral("fitting_intervals"), b.fittingIntervals},
                            {QStringLiteral("intervals"), b.intervals},
                            {QStringLiteral("max_burst_lag_spread_ms"), double(maxSpread) / kNsPerMs},
                            {QStringLiteral("lag_p50_ms"), c.lag.rawMs.p50},
                            {QStringLiteral("lag_max_ms"), c.lag.rawMs.max}};
    // Cite the events that waited longest.
    QList<std::pair<qint64, QByteArray>> longest;
    for (const DeliveryStats::EventSample &s : c.stats.events())
        longest.append({s.rawLagNs(), s.breadcrumbId});
    std::partial_sort(longest.begin(), longest.begin() + std::min<qsizetype>(5, longest.size()), longest.end(),
                      [](const auto &x, const auto &y) { return x.first > y.first; });
    for (qsizetype i = 0; i < std::min<qsizetype>(5, longest.size()); ++i)
        f.eventIds.append(longest[i].second);
    addDeliveredLate(c, f);
    f.fixHint = QStringLiteral("Turn buffering off on every hop of /events/stream: nginx `proxy_buffering off` "
                               "(or the response header `X-Accel-Buffering: no`), no gzip/compression of "
                               "text/event-stream, no caching proxy; a flush period of %1 usually names the "
                               "component (its flush or buffer timer).")
                    .arg(formatNs(b.periodNs));
    out.append(f);
}

void uniformLagRule(const Context &c, QList<Finding> &out)
{
    const DeliveryStats::LagSummary &lag = c.lag;
    if (lag.ms.count < 3 || !lag.offset.isValid())
        return;
    const double uncertaintyMs = double(lag.offset.uncertaintyNs) / kNsPerMs;
    const double threshold = std::max(double(c.in.options.uniformLagMinNs) / kNsPerMs, 2 * uncertaintyMs + 250);
    if (lag.ms.p50 < threshold || lag.ms.p95 - lag.ms.p50 > 0.5 * lag.ms.p50)
        return;
    const PercentileSummary pings = c.stats.pingIntervalsMs();
    Finding f;
    f.id = finding::UniformLag;
    f.severity = Severity::Warning;
    f.summary = QStringLiteral("Every event arrives about %1 after the server wrote it, while pings arrive on time: "
                               "the delay is on the server's publishing side.")
                    .arg(formatMs(lag.ms.p50));
    f.evidence << QStringLiteral("delivery lag p50 %1, p95 %2, min %3 (± %4, clock offset %5)")
                      .arg(formatMs(lag.ms.p50), formatMs(lag.ms.p95), formatMs(lag.ms.min),
                           formatMs(uncertaintyMs), lag.offset.toString());
    if (pings.count > 0)
        f.evidence << QStringLiteral("ping cadence p50 %1 over %2 intervals (pings are not held back)")
                          .arg(formatMs(pings.p50))
                          .arg(pings.count);
    f.figures = QJsonObject{{QStringLiteral("lag_p50_ms"), lag.ms.p50},
                            {QStringLiteral("lag_p95_ms"), lag.ms.p95},
                            {QStringLiteral("uncertainty_ms"), uncertaintyMs},
                            {QStringLiteral("ping_interval_p50_ms"), pings.p50}};
    for (const DeliveryStats::EventSample &s : c.stats.events()) {
        if (f.eventIds.size() >= 5)
            break;
        f.eventIds.append(s.breadcrumbId);
    }
    addDeliveredLate(c, f);
    f.fixHint = QStringLiteral("Look between the write and the publish: NATS connectivity and latency, a slow "
                               "selector fan-out, the DB pool (10 connections, 30 s acquire timeout) or a "
                               "server under load; rcrt-tap probe times write → ack → stream separately.");
    out.append(f);
}

void clockSkewRule(const Context &c, QList<Finding> &out)
{
    const DeliveryStats::LagSummary &lag = c.lag;
    constexpr qint64 kNegativeNs = 250 * kNsPerMs;
    qint64 negative = 0;
    QList<QByteArray> ids;
    for (const DeliveryStats::EventSample &s : c.stats.events()) {
        if (s.rawLagNs() < -kNegativeNs) {
            ++negative;
            if (ids.size() < 5)
                ids.append(s.breadcrumbId);
        }
    }
    const qint64 total = qint64(c.stats.events().size());
    const bool negativeLags = total > 0 && negative * 20 >= total; // at least 5 %
    const ClockOffsetEstimator::Estimate &e = lag.offset;
    // A ping-only estimate is thrown off by a buffer (its smallest delay is not ~0 then).
    const bool trustEstimate = e.source == ClockOffsetEstimator::Source::Probes || !c.buffering;
    const bool offsetLarge = e.isValid() && trustEstimate
        && std::llabs(e.offsetNs) > e.uncertaintyNs + c.in.options.skewMinNs;
    if (!negativeLags && !offsetLarge)
        return;
    Finding f;
    f.id = finding::ClockSkew;
    f.severity = Severity::Warning;
    const bool serverAhead = e.isValid() ? e.offsetNs > 0 : negativeLags;
    f.summary = QStringLiteral("The server's clock is %1 the console's by about %2: raw lags (arrival − updated_at) "
                               "are %3.")
                    .arg(serverAhead ? QStringLiteral("ahead of") : QStringLiteral("behind"),
                         e.isValid() ? formatNs(std::llabs(e.offsetNs)) : formatMs(-lag.rawMs.p50),
                         serverAhead ? QStringLiteral("negative") : QStringLiteral("inflated"));
    f.evidence << QStringLiteral("clock offset (server − console) %1").arg(e.toString())
               << QStringLiteral("%1 of %2 events have a raw lag below −250 ms; raw lag p50 %3")
                      .arg(negative)
                      .arg(total)
                      .arg(formatMs(lag.rawMs.p50));
    f.figures = QJsonObject{{QStringLiteral("offset_ms"), e.isValid() ? double(e.offsetNs) / kNsPerMs : 0.0},
                            {QStringLiteral("uncertainty_ms"), double(e.uncertaintyNs) / kNsPerMs},
                            {QStringLiteral("offset_source"), ClockOffsetEstimator::sourceName(e.source)},
                            {QStringLiteral("negative_lags"), negative},
                            {QStringLiteral("events"), total}};
    f.eventIds = ids;
    f.fixHint = QStringLiteral("Synchronise both clocks (NTP/chrony on the database host and here). Until then "
                               "lags here are corrected by the estimate; TTLs and timeouts that compare "
                               "client and server time are off by the skew.");
    out.append(f);
}

void duplicatesRule(const Context &c, QList<Finding> &out)
{
    if (c.stats.streamRepeats() == 0)
        return;
    Finding f;
    f.id = finding::Duplicates;
    f.severity = Severity::Warning;
    const int extra = c.stats.maxCopies() - 1;
    f.summary = QStringLiteral("The stream delivered %1 extra copies of %2 events (up to %3 copies of one): selector "
                               "fan-out sends one copy per matching selector.")
                    .arg(c.stats.streamRepeats())
                    .arg(c.stats.repeatedRecords())
                    .arg(c.stats.maxCopies());
    f.evidence << QStringLiteral("%1 repeat arrivals of an (id, version) already delivered; %2 of %3 events "
                                 "repeated; most copies of one: %4 (about %5 matching selector(s))")
                      .arg(c.stats.streamRepeats())
                      .arg(c.stats.repeatedRecords())
                      .arg(c.stats.eventCount())
                      .arg(c.stats.maxCopies())
                      .arg(extra);
    f.figures = QJsonObject{{QStringLiteral("repeats"), c.stats.streamRepeats()},
                            {QStringLiteral("repeated_events"), c.stats.repeatedRecords()},
                            {QStringLiteral("max_copies"), c.stats.maxCopies()}};
    f.eventIds = firstIds(c.stats.repeatExamples(), 5);
    f.fixHint = QStringLiteral("Remove the selectors (POST /subscriptions/selectors) of the agent whose token the "
                               "stream uses, or dedupe on (breadcrumb_id, version) in every consumer; runners that "
                               "do not dedupe execute each copy.");
    out.append(f);
}

void consoleBehindRule(const Context &c, QList<Finding> &out)
{
    const PercentileSummary p = c.stats.processingLag();
    if (p.count < 3 || p.p95 < double(c.in.options.consoleBehindNs) / kNsPerMs)
        return;
    Finding f;
    f.id = finding::ConsoleBehind;
    f.severity = Severity::Warning;
    f.summary = QStringLiteral("The console itself is behind: events wait %1 (p95) between arrival and being "
                               "handled.")
                    .arg(formatMs(p.p95));
    f.evidence << QStringLiteral("processing lag p50 %1, p95 %2, max %3 over %4 batches")
                      .arg(formatMs(p.p50), formatMs(p.p95), formatMs(p.max))
                      .arg(p.count);
    f.figures = QJsonObject{{QStringLiteral("processing_p50_ms"), p.p50},
                            {QStringLiteral("processing_p95_ms"), p.p95},
                            {QStringLiteral("processing_max_ms"), p.max},
                            {QStringLiteral("batches"), p.count}};
    f.fixHint = QStringLiteral("The delay is here, not on the server: close heavy views (charts over millions of "
                               "events), narrow the events filter, or use rcrt-tap for high rates; lags measured "
                               "meanwhile include this console's backlog.");
    out.append(f);
}

} // namespace

void deliveryRules(const Context &c, QList<Finding> &out)
{
    const qsizetype before = out.size();
    bufferingRule(c, out);
    const bool buffering = out.size() > before;
    if (!buffering)
        uniformLagRule(c, out);
    Context verdict = c;
    verdict.buffering = buffering;
    clockSkewRule(verdict, out);
    duplicatesRule(c, out);
    consoleBehindRule(c, out);
}

} // namespace rcrt::diagnosis_detail
