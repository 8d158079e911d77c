#pragma once

#include "model/eventrecord.h"
#include "model/probeoutcome.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rcrt {

class RestClient;

// The active probe (issue 6 item 1): writes `console.probe.v1` breadcrumbs tagged
// `console:probe`, each with a `ttl` so the server's hygiene removes them, and times each on
// the console's own clock: write sent → write acknowledged → event on the stream (and on the
// local bus, when a local writer delivers one). Feed it the batches of the console's own
// stream (addBatch); the stream can beat the write's answer, so an early event is kept until
// the acknowledgement names its id.
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

    static constexpr QLatin1StringView kSchema{"console.probe.v1"};
    static constexpr QLatin1StringView kTag{"console:probe"};

    explicit ProbeRunner(RestClient *rest, QObject *parent = nullptr);
    ~ProbeRunner() override;

    // Starts a run (a running one is abandoned). finished() follows when every probe is seen,
    // failed or timed out.
    void start(const Options &options);
    void stop();
    bool isRunning() const { return m_running; }
    const QList<ProbeOutcome> &outcomes() const { return m_outcomes; }
    ProbeSummary summary() const;

    // The JSON body of one probe write.
    static QByteArray probeBody(const QByteArray &probeId, int seq, qint64 sentNs, int ttlSeconds);

public slots:
    void addBatch(const rcrt::EventBatch &batch);

signals:
    void probeUpdated(const rcrt::ProbeOutcome &outcome);
    void finished();

private:
    struct Sighting
    {
        qint64 arrivalNs = 0;
        qint64 updatedAtNs = 0;
        EventSource source = EventSource::Sse;
    };
    void sendNext();
    void onAck(int index, const QString &createdId, const QString &error);
    void apply(int index, const Sighting &s);
    void checkDone();

    QPointer<RestClient> m_rest;
    Options m_options;
    QList<ProbeOutcome> m_outcomes;
    QHash<QByteArray, int> m_indexById;
    QHash<QByteArray, QList<Sighting>> m_early; // seen before its ack
    QTimer m_sendTimer;
    QTimer m_checkTimer;
    int m_sent = 0;
    quint64 m_run = 0;
    bool m_running = false;
};

} // namespace rcrt
