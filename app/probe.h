#pragma once

#include "model/eventrecord.h"
#include "model/probematcher.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace rcrt {

class IngestEngine;
class RestClient;

// The active probe (issue 6 item 1): writes `console.probe.v1` breadcrumbs tagged
// `console:probe`, each with a `ttl` so the server's hygiene removes them, and times each on
// the console's own clock: write sent → write acknowledged → event on the local bus → event on
// the stream. Feed it the batches of the console's own stream (addBatch); ProbeMatcher pairs
// the copies with the probes, whichever comes first.
//
// Writes go through an IngestEngine when one is set and live (the console's own node: its
// writer puts a local-bus copy into the store at the acknowledgement, so the local hop is
// timed, and the engine reports the stream copy's server time), else through a RestClient
// (then there is no local copy).
class ProbeRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProbeRunner)

public:
    struct Options
    {
        int count = 5;
        int intervalMs = 500;
        int timeoutMs = 10'000;   // after the ack; an unseen probe is lost then
        int ttlSeconds = 600;     // the probe breadcrumb's ttl (server hygiene)
    };

    static constexpr QLatin1StringView kSchema = ProbeMatcher::kSchema;
    static constexpr QLatin1StringView kTag{"console:probe"};

    // rest: not owned, may be null.
    explicit ProbeRunner(RestClient *rest, QObject *parent = nullptr);
    ~ProbeRunner() override;

    // Writes go through this engine while it is live (not owned; null: the REST client only).
    void setEngine(IngestEngine *engine);
    IngestEngine *engine() const;
    // Whether a probe would be written now (engine live, or a REST client).
    bool canWrite() const;

    // Starts a run (a running one is abandoned). finished() follows when every probe is seen,
    // failed or timed out.
    void start(const Options &options);
    void stop();
    bool isRunning() const { return m_running; }
    const QList<ProbeOutcome> &outcomes() const { return m_matcher.outcomes(); }
    ProbeSummary summary() const;

    // One probe write's body, as JSON and as its compact text.
    static QJsonObject probeObject(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds);
    static QByteArray probeBody(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds);

public slots:
    void addBatch(const rcrt::EventBatch &batch);

signals:
    void probeUpdated(const rcrt::ProbeOutcome &outcome);
    void finished();

private:
    void sendNext();
    void onAck(int index, const QString &createdId, const QString &error, qint64 ackNs);
    void onEngineCreated(quint64 ticket, const QString &id, const QString &error, qint64 ackNs);
    void onEngineStreamed(quint64 ticket, qint64 arrivalNs, qint64 serverUpdatedAtNs);
    void checkDone();

    QPointer<RestClient> m_rest;
    QPointer<IngestEngine> m_engine;
    QList<QMetaObject::Connection> m_engineConnections;
    Options m_options;
    ProbeMatcher m_matcher;
    QHash<quint64, int> m_tickets; // the engine's tickets of this run → probe index
    QSet<int> m_viaEngine;         // probes written through the engine (a local copy follows)
    QTimer m_sendTimer;
    QTimer m_checkTimer;
    int m_sent = 0;
    quint64 m_run = 0;
    bool m_running = false;
};

} // namespace rcrt
