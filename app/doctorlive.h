#pragma once

#include "app/connectionsettings.h"
#include "app/doctor.h"
#include "app/ingestengine.h"
#include "app/probe.h"

#include <QObject>

namespace rcrt {

class RestClient;

// The doctor on a live connection of its own, for rcrt-tap probe and diagnose: the ingest
// engine (stream on its own thread, so arrival times are taken there even when this thread is
// busy), the Doctor and a ProbeRunner writing through the engine's node (through `rest` when
// the engine is not live), wired together.
class DoctorLive final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DoctorLive)

public:
    explicit DoctorLive(RestClient *rest, QObject *parent = nullptr);
    ~DoctorLive() override;

    // Stream only: no history is loaded, so everything measured arrived live.
    void start(ConnectionSettings settings);
    void stop();

    Doctor &doctor() { return m_doctor; }
    ProbeRunner &probes() { return m_probes; }
    IngestEngine &engine() { return m_engine; }
    bool everOpened() const { return m_opened; }

    // Testing the doctor itself: hold this thread for `ms` after every batch until `untilNs`
    // (console clock), like a console that cannot keep up (the stream keeps being read on the
    // ingest thread). It ends at `untilNs` so the backlog drains and the command can finish.
    void setConsumerDelay(int ms, qint64 untilNs)
    {
        m_consumerDelayMs = ms;
        m_consumerDelayUntilNs = untilNs;
    }

signals:
    void streamOpened(); // the first time the stream is accepted
    void connectFailed(const QString &error);
    void logMessage(const QString &line);

private:
    IngestEngine m_engine;
    Doctor m_doctor;
    ProbeRunner m_probes;
    int m_consumerDelayMs = 0;
    qint64 m_consumerDelayUntilNs = 0;
    bool m_opened = false;
};

} // namespace rcrt
