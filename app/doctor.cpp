#include "app/doctor.h"

#include "model/probematcher.h"
#include "model/timestamp.h"
#include "net/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace rcrt {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;

bool sameFindings(const QList<Finding> &a, const QList<Finding> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].id != b[i].id || a[i].severity != b[i].severity || a[i].summary != b[i].summary
            || a[i].evidence != b[i].evidence)
            return false;
    return true;
}

} // namespace

Doctor::Doctor(FlowTracker *flows, QObject *parent) : QObject(parent)
{
    if (!flows) {
        m_ownFlows = std::make_unique<FlowTracker>();
        flows = m_ownFlows.get();
    }
    m_flows = flows;
    m_stream.live = true;
    connect(&m_refreshTimer, &QTimer::timeout, this, &Doctor::refresh);
}

Doctor::~Doctor() = default;

void Doctor::setMode(Mode mode)
{
    m_mode = mode;
    m_stream.live = mode == Mode::Live;
}

qint64 Doctor::analysisTimeNs() const
{
    if (m_analysisNs > 0)
        return m_analysisNs;
    return m_mode == Mode::Live ? nowNs() : m_stats.lastArrivalNs();
}

void Doctor::setAutoRefreshMs(int ms)
{
    if (ms > 0)
        m_refreshTimer.start(ms);
    else
        m_refreshTimer.stop();
}

void Doctor::addBatch(const EventBatch &batch)
{
    if (m_ownFlows)
        m_ownFlows->addBatch(batch);
    const auto isLocal = [](const EventRecord &r) { return r.first.source == EventSource::Local; };
    const qint64 handledNs = m_mode == Mode::Live ? nowNs() : 0;
    if (std::none_of(batch.records.cbegin(), batch.records.cend(), isLocal)) {
        m_stats.addBatch(batch, handledNs);
    } else {
        // What this console wrote, from its local bus: its updated_at is this console's clock
        // at the acknowledgement, so it is no sample of the server's delivery lag.
        EventBatch delivered = batch;
        delivered.records.removeIf(isLocal);
        m_stats.addBatch(delivered, handledNs);
    }
    // What the stream delivered (a local copy does not count: the stream may still owe it).
    const auto deliveredBy = [](EventSource s) { return s == EventSource::Sse || s == EventSource::Replay; };
    const auto noteDelivered = [this](const QByteArray &id, qint32 version) {
        if (m_mode != Mode::Live)
            return; // only a live doctor re-lists; a replay would keep (and free) an entry per id
        qint32 &v = m_delivered[id];
        v = std::max(v, version);
    };
    for (const EventRecord &r : batch.records)
        if (deliveredBy(r.first.source))
            noteDelivered(r.envelope.breadcrumbId, r.envelope.version);
    for (const RepeatArrival &r : batch.repeats)
        if (deliveredBy(r.arrival.source) && !deliveredBy(r.first.source))
            noteDelivered(r.breadcrumbId, r.version);
    if (m_stream.observedFromNs == 0)
        m_stream.observedFromNs = m_stats.firstArrivalNs();
}

void Doctor::addProbe(const ProbeOutcome &outcome)
{
    const auto sample = [this](const ProbeOutcome &before, const ProbeOutcome &p) {
        // One clock-offset sample per probe: when its server time becomes known.
        if (p.isAcked() && p.updatedAtNs > 0 && !(before.isAcked() && before.updatedAtNs > 0))
            m_stats.addProbe(p.sentNs, p.ackNs, p.updatedAtNs);
        // Written through this console's node, the probe's local copy came first and the
        // stream's was a repeat arrival, without payload: no delivery sample from the batches.
        // Its server time (the writer's report) makes one.
        const auto streamAfterLocal = [](const ProbeOutcome &o) {
            return o.updatedAtNs > 0 && o.isSeen() && o.localNs > 0 && o.localNs < o.streamNs;
        };
        if (streamAfterLocal(p) && !streamAfterLocal(before))
            addStreamSample(p);
    };
    for (ProbeOutcome &p : m_probes) {
        if (p.probeId == outcome.probeId) {
            const ProbeOutcome before = std::exchange(p, outcome);
            sample(before, p);
            return;
        }
    }
    m_probes.append(outcome);
    sample(ProbeOutcome{}, outcome);
}

void Doctor::addStreamSample(const ProbeOutcome &p)
{
    EventRecord r;
    r.seq = 0;
    r.envelope.kind = Envelope::Kind::Breadcrumb;
    r.envelope.breadcrumbId = p.breadcrumbId;
    r.envelope.version = 1;
    r.envelope.updatedAtNs = p.updatedAtNs;
    r.envelope.hasSchema = true;
    r.envelope.schemaName = QByteArray(ProbeMatcher::kSchema.data(), ProbeMatcher::kSchema.size());
    r.first = Arrival{p.streamNs, m_mode == Mode::Live ? EventSource::Sse : EventSource::Replay};
    EventBatch batch;
    batch.records.append(r);
    m_stats.addBatch(batch, 0); // handled long ago: no processing-lag sample
}

void Doctor::setStreamState(SseClient::State state, int reconnects)
{
    if (m_stream.observedFromNs == 0)
        m_stream.observedFromNs = nowNs();
    if (state == SseClient::State::Open) {
        ++m_stream.connects;
        if (m_firstConnectNs == 0)
            m_firstConnectNs = nowNs();
    }
    m_stream.reconnects = reconnects;
}

void Doctor::noteConnectionLog(const QString &line)
{
    const QString lower = line.toLower();
    if (lower.contains(QLatin1String("error")) || lower.contains(QLatin1String("http ")) || lower.contains(QLatin1String("refused")))
        m_stream.lastError = line;
}

void Doctor::setReconcile(const ReconcileResult &result)
{
    m_reconcile = result;
}

void Doctor::startReconcile(RestClient *rest, int limit)
{
    if (!rest || m_listCall)
        return;
    BreadcrumbListQuery query;
    query.limit = limit;
    m_listCall = rest->listBreadcrumbs(query);
    connect(m_listCall, &RestCall::finished, this, [this](const RestResult &r) {
        onListed(r.body, r.ok() ? QString() : r.error);
    });
}

void Doctor::onListed(const QByteArray &body, const QString &error)
{
    ReconcileResult result;
    result.atNs = nowNs();
    result.done = true;
    result.error = error;
    if (error.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (!doc.isArray())
            result.error = QStringLiteral("the list answer is not a JSON array");
        const ClockOffsetEstimator::Estimate offset = m_stats.clock().estimate();
        const qint64 offsetNs = offset.isValid() ? offset.offsetNs : 0;
        // Only what was written after the stream opened can be owed by the stream.
        const qint64 fromNs = m_firstConnectNs > 0 ? m_firstConnectNs : m_stream.observedFromNs;
        const qint64 marginNs = (offset.isValid() ? offset.uncertaintyNs : 0) + 250 * kNsPerMs;
        const QJsonArray items = doc.array();
        for (const QJsonValue &v : items) {
            const QJsonObject o = v.toObject();
            const QByteArray id = o.value(QStringLiteral("id")).toString().toUtf8();
            const qint32 version = o.value(QStringLiteral("version")).toInt();
            const auto updated = parseRfc3339Ns(o.value(QStringLiteral("updated_at")).toString().toUtf8());
            if (id.isEmpty() || version <= 0 || !updated)
                continue;
            ++result.listed;
            if (fromNs == 0 || *updated - offsetNs < fromNs + marginNs)
                continue;
            if (m_delivered.value(id) < version)
                result.missing.append({id, version, *updated});
        }
    }
    m_reconcile = result;
    emit reconcileFinished(result);
}

void Doctor::refresh()
{
    DiagnosisInput in;
    in.stats = &m_stats;
    in.flows = m_flows;
    in.stream = m_stream;
    in.nowNs = analysisTimeNs();
    in.stream.observedToNs = in.nowNs;
    if (in.stream.observedFromNs == 0)
        in.stream.observedFromNs = m_stats.firstArrivalNs();
    in.probes = m_probes;
    in.reconcile = m_reconcile;
    in.options = m_options;
    // The flows and pending views judge "delivered late" with the same estimate.
    if (const ClockOffsetEstimator::Estimate offset = m_stats.clock().estimate(); offset.isValid() && m_flows)
        m_flows->setClockOffsetNs(offset.offsetNs);
    QList<Finding> findings = diagnose(in);
    if (sameFindings(findings, m_findings)) {
        m_findings = findings; // figures may move; the change signal waits for a visible change
        return;
    }
    m_findings = findings;
    emit findingsChanged(m_findings);
}

void Doctor::clear()
{
    m_stats.clear();
    if (m_ownFlows)
        m_ownFlows->clear();
    if (m_flows)
        m_flows->setClockOffsetNs(0);
    const bool live = m_stream.live;
    m_stream = StreamHealth{};
    m_stream.live = live;
    m_probes.clear();
    m_reconcile = ReconcileResult{};
    m_delivered.clear();
    m_firstConnectNs = 0;
    const bool had = !m_findings.isEmpty();
    m_findings.clear();
    if (had)
        emit findingsChanged(m_findings);
}

QJsonObject Doctor::measures() const
{
    const DeliveryStats::LagSummary lag = m_stats.lagSummary();
    const PercentileSummary pings = m_stats.pingIntervalsMs();
    const PercentileSummary processing = m_stats.processingLag();
    const BurstAnalysis bursts = m_stats.bursts();
    return QJsonObject{{QStringLiteral("events"), m_stats.eventCount()},
                       {QStringLiteral("pings"), m_stats.pingCount()},
                       {QStringLiteral("lag_p50_ms"), lag.ms.p50},
                       {QStringLiteral("lag_p95_ms"), lag.ms.p95},
                       {QStringLiteral("lag_max_ms"), lag.ms.max},
                       {QStringLiteral("lag_uncertainty_ms"), double(lag.offset.uncertaintyNs) / kNsPerMs},
                       {QStringLiteral("clock_offset_ms"), double(lag.offset.offsetNs) / kNsPerMs},
                       {QStringLiteral("clock_offset_source"), ClockOffsetEstimator::sourceName(lag.offset.source)},
                       {QStringLiteral("ping_interval_p50_ms"), pings.p50},
                       {QStringLiteral("bursts"), int(bursts.bursts.size())},
                       {QStringLiteral("burst_period_ms"), double(bursts.periodNs) / kNsPerMs},
                       {QStringLiteral("processing_p95_ms"), processing.p95},
                       {QStringLiteral("duplicates"), m_stats.streamRepeats()},
                       {QStringLiteral("probes"), int(m_probes.size())}};
}

} // namespace rcrt
