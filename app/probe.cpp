#include "app/probe.h"

#include "app/ingestengine.h"
#include "model/timestamp.h"
#include "net/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
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

void ProbeRunner::setEngine(IngestEngine *engine)
{
    for (const QMetaObject::Connection &c : std::as_const(m_engineConnections))
        disconnect(c);
    m_engineConnections.clear();
    m_engine = engine;
    if (!engine)
        return;
    m_engineConnections = {
        connect(engine, &IngestEngine::breadcrumbCreated, this, &ProbeRunner::onEngineCreated),
        connect(engine, &IngestEngine::breadcrumbStreamed, this, &ProbeRunner::onEngineStreamed)};
}

IngestEngine *ProbeRunner::engine() const
{
    return m_engine;
}

bool ProbeRunner::canWrite() const
{
    return (m_engine && m_engine->isLive()) || m_rest;
}

QJsonObject ProbeRunner::probeObject(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds)
{
    return QJsonObject{
        {QStringLiteral("title"), QStringLiteral("Console probe %1").arg(seq)},
        {QStringLiteral("schema_name"), QString(kSchema)},
        {QStringLiteral("tags"), QJsonArray{QString(kTag)}},
        {QStringLiteral("ttl"), QString::fromLatin1(formatRfc3339Ns(sentNs + qint64(ttlSeconds) * 1'000'000'000))},
        {QStringLiteral("context"),
         QJsonObject{{QStringLiteral("probe_id"), QString::fromLatin1(probeId)},
                     {QStringLiteral("seq"), seq},
                     {QStringLiteral("sent_at"), QString::fromLatin1(formatRfc3339Ns(sentNs))}}}};
}

QByteArray ProbeRunner::probeBody(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds)
{
    return QJsonDocument(probeObject(probeId, seq, sentNs, ttlSeconds)).toJson(QJsonDocument::Compact);
}

void ProbeRunner::start(const Options &options)
{
    stop();
    m_options = options;
    m_matcher.clear();
    m_tickets.clear();
    m_viaEngine.clear();
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
    return summarizeProbes(m_matcher.outcomes(), nowNs(), qint64(m_options.timeoutMs) * 1'000'000);
}

void ProbeRunner::sendNext()
{
    if (!m_running || m_sent >= m_options.count)
        return;
    ProbeOutcome p;
    p.probeId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    p.sentNs = nowNs();
    const int index = m_matcher.addSent(p);
    ++m_sent;
    const QJsonObject body = probeObject(p.probeId, index + 1, p.sentNs, m_options.ttlSeconds);
    if (m_engine && m_engine->isLive()) {
        // The engine also watches for the stream's copy until the probe would be lost.
        m_tickets.insert(m_engine->createBreadcrumb(body, m_options.timeoutMs), index);
        m_viaEngine.insert(index);
    } else if (m_rest) {
        RestCall *call = m_rest->createBreadcrumb(QJsonDocument(body).toJson(QJsonDocument::Compact));
        const quint64 run = m_run;
        connect(call, &RestCall::finished, this, [this, index, run](const RestResult &r) {
            if (run == m_run)
                onAck(index, r.createdId(), r.ok() ? QString() : r.error, 0);
        });
    } else {
        onAck(index, {}, QStringLiteral("not connected"), 0);
    }
    if (m_sent < m_options.count)
        m_sendTimer.start(std::max(0, m_options.intervalMs));
}

void ProbeRunner::onEngineCreated(quint64 ticket, const QString &id, const QString &error, qint64 ackNs)
{
    const auto it = m_tickets.constFind(ticket);
    if (it != m_tickets.cend())
        onAck(*it, id, error, ackNs);
}

void ProbeRunner::onEngineStreamed(quint64 ticket, qint64 arrivalNs, qint64 serverUpdatedAtNs)
{
    const auto it = m_tickets.constFind(ticket);
    if (it == m_tickets.cend() || !m_matcher.addStreamCopy(*it, arrivalNs, serverUpdatedAtNs))
        return;
    emit probeUpdated(m_matcher.outcomes().at(*it));
    checkDone();
}

void ProbeRunner::onAck(int index, const QString &createdId, const QString &error, qint64 ackNs)
{
    if (!error.isEmpty() || createdId.isEmpty())
        m_matcher.fail(index, error.isEmpty() ? QStringLiteral("no id in the answer") : error);
    else
        m_matcher.acknowledge(index, createdId.toUtf8(), ackNs > 0 ? ackNs : nowNs());
    emit probeUpdated(m_matcher.outcomes().at(index));
    checkDone();
}

void ProbeRunner::addBatch(const EventBatch &batch)
{
    const QList<int> changed = m_matcher.addBatch(batch, m_running);
    for (const int index : changed)
        emit probeUpdated(m_matcher.outcomes().at(index));
    if (!changed.isEmpty())
        checkDone();
}

void ProbeRunner::checkDone()
{
    if (!m_running || m_sent < m_options.count)
        return;
    const qint64 now = nowNs();
    const qint64 timeout = qint64(m_options.timeoutMs) * 1'000'000;
    const QList<ProbeOutcome> &outcomes = m_matcher.outcomes();
    for (qsizetype i = 0; i < outcomes.size(); ++i) {
        const ProbeOutcome &p = outcomes.at(i);
        if (!p.error.isEmpty())
            continue;
        // Seen on the stream, and on the local bus too when it was written there (the stream's
        // copy can be reported before the batch with the local copy comes).
        if (p.isSeen() && (p.localNs > 0 || !m_viaEngine.contains(int(i))))
            continue;
        if (p.ackNs == 0 || now - p.ackNs <= timeout)
            return; // still in flight
    }
    stop();
    emit finished();
}

} // namespace rcrt
