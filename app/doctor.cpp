#include "app/doctor.h"

#include "model/timestamp.h"
#include "net/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

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
    m_stats.addBatch(batch, m_mode == Mode::Live ? nowNs() : 0);
    for (const EventRecord &r : batch.records) {
        if (r.first.source == EventSource::Backfill)
            continue;
        qint32 &v = m_delivered[r.envelope.breadcrumbId];
        v = std::max(v, r.envelope.version);
    }
    if (m_stream.observedFromNs == 0)
        m_stream.observedFromNs = m_stats.firstArrivalNs();
}

void Doctor::addProbe(const ProbeOutcome &outcome)
{
    for (ProbeOutcome &p : m_probes) {
        if (p.probeId == outcome.probeId) {
            p = outcome;
            if (p.isAcked() && p.updatedAtNs > 0)
                m_stats.addProbe(p.sentNs, p.ackNs, p.updatedAtNs);
            return;
        }
    }
    m_probes.append(outcome);
    if (outcome.isAcked() && outcome.updatedAtNs > 0)
        m_stats.addProbe(outcome.sentNs, outcome.ackNs, outcome.updatedAtNs);
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
