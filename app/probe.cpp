#include "app/probe.h"

#include "model/timestamp.h"
#include "net/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace rcrt {

ProbeRunner::ProbeRunner(RestClient *rest, QObject *parent) : QObject(parent), m_rest(rest)
{
    m_sendTimer.setSingleShot(true);
    connect(&m_sendTimer, &QTimer::timeout, this, &ProbeRunner::sendNext);
    m_checkTimer.setInterval(200);
    connect(&m_checkTimer, &QTimer::timeout, this, &ProbeRunner::checkDone);
}

ProbeRunner::~ProbeRunner() = default;

QByteArray ProbeRunner::probeBody(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds)
{
    const QJsonObject body{
        {QStringLiteral("title"), QStringLiteral("Console probe %1").arg(seq)},
        {QStringLiteral("schema_name"), QString(kSchema)},
        {QStringLiteral("tags"), QJsonArray{QString(kTag)}},
        {QStringLiteral("ttl"), QString::fromLatin1(formatRfc3339Ns(sentNs + qint64(ttlSeconds) * 1'000'000'000))},
        {QStringLiteral("context"),
         QJsonObject{{QStringLiteral("probe_id"), QString::fromLatin1(probeId)},
                     {QStringLiteral("seq"), seq},
                     {QStringLiteral("sent_at"), QString::fromLatin1(formatRfc3339Ns(sentNs))}}}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void ProbeRunner::start(const Options &options)
{
    stop();
    m_options = options;
    m_outcomes.clear();
    m_indexById.clear();
    m_early.clear();
    m_sent = 0;
    ++m_run;
    m_running = true;
    m_checkTimer.start();
    sendNext();
}

void ProbeRunner::stop()
{
    m_sendTimer.stop();
    m_checkTimer.stop();
    m_running = false;
}

ProbeSummary ProbeRunner::summary() const
{
    return summarizeProbes(m_outcomes, nowNs(), qint64(m_options.timeoutMs) * 1'000'000);
}

void ProbeRunner::sendNext()
{
    if (!m_running || m_sent >= m_options.count)
        return;
    const int index = m_sent++;
    ProbeOutcome p;
    p.probeId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    p.sentNs = nowNs();
    m_outcomes.append(p);
    if (!m_rest) {
        onAck(index, {}, QStringLiteral("no REST client"));
    } else {
        RestCall *call = m_rest->createBreadcrumb(probeBody(p.probeId, index + 1, p.sentNs, m_options.ttlSeconds));
        const quint64 run = m_run;
        connect(call, &RestCall::finished, this, [this, index, run](const RestResult &r) {
            if (run == m_run)
                onAck(index, r.createdId(), r.ok() ? QString() : (r.error.isEmpty() ? QStringLiteral("no id in the answer") : r.error));
        });
    }
    if (m_sent < m_options.count)
        m_sendTimer.start(std::max(0, m_options.intervalMs));
}

void ProbeRunner::onAck(int index, const QString &createdId, const QString &error)
{
    ProbeOutcome &p = m_outcomes[index];
    if (!error.isEmpty() || createdId.isEmpty()) {
        p.error = error.isEmpty() ? QStringLiteral("no id in the answer") : error;
    } else {
        p.ackNs = nowNs();
        p.breadcrumbId = createdId.toUtf8();
        m_indexById.insert(p.breadcrumbId, index);
        const QList<Sighting> early = m_early.take(p.breadcrumbId);
        for (const Sighting &s : early)
            apply(index, s);
    }
    emit probeUpdated(p);
    checkDone();
}

void ProbeRunner::apply(int index, const Sighting &s)
{
    ProbeOutcome &p = m_outcomes[index];
    if (s.source == EventSource::Local) {
        if (p.localNs == 0)
            p.localNs = s.arrivalNs;
        if (p.updatedAtNs == 0)
            p.updatedAtNs = s.updatedAtNs;
    } else if (p.streamNs == 0) {
        p.streamNs = s.arrivalNs;
        p.updatedAtNs = s.updatedAtNs;
    }
    emit probeUpdated(p);
}

void ProbeRunner::addBatch(const EventBatch &batch)
{
    const auto see = [this](const QByteArray &id, const Sighting &s) {
        const auto it = m_indexById.constFind(id);
        if (it != m_indexById.cend())
            apply(*it, s);
        else if (m_running)
            m_early[id].append(s);
    };
    bool any = false;
    for (const EventRecord &r : batch.records) {
        if (r.first.source == EventSource::Backfill || r.envelope.schemaName != QByteArrayView(kSchema))
            continue;
        see(r.envelope.breadcrumbId, Sighting{r.first.arrivalNs, r.envelope.updatedAtNs, r.first.source});
        any = true;
    }
    // A local-bus copy comes first; the stream's copy of the same version is a repeat arrival.
    for (const RepeatArrival &r : batch.repeats) {
        if (r.arrival.source == EventSource::Backfill || !m_indexById.contains(r.breadcrumbId))
            continue;
        const ProbeOutcome &p = m_outcomes[m_indexById.value(r.breadcrumbId)];
        if (p.streamNs == 0 && r.arrival.source != EventSource::Local)
            see(r.breadcrumbId, Sighting{r.arrival.arrivalNs, p.updatedAtNs, r.arrival.source});
        any = true;
    }
    if (any)
        checkDone();
}

void ProbeRunner::checkDone()
{
    if (!m_running || m_sent < m_options.count)
        return;
    const qint64 now = nowNs();
    const qint64 timeout = qint64(m_options.timeoutMs) * 1'000'000;
    for (const ProbeOutcome &p : m_outcomes) {
        if (!p.error.isEmpty() || p.isSeen())
            continue;
        if (p.ackNs == 0 || now - p.ackNs <= timeout)
            return; // still in flight
    }
    stop();
    emit finished();
}

} // namespace rcrt
