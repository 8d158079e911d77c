#include "app/doctorlive.h"

#include <QThread>

namespace rcrt {

DoctorLive::DoctorLive(RestClient *rest, QObject *parent)
    : QObject(parent), m_doctor(nullptr), m_probes(rest)
{
    // Probes go through the engine's own node: the local-bus hop is timed too.
    m_probes.setEngine(&m_engine);
    connect(&m_engine, &IngestEngine::batchReady, this, [this](const EventBatch &batch) {
        m_doctor.addBatch(batch);
        m_probes.addBatch(batch);
        if (m_consumerDelayMs > 0 && nowNs() < m_consumerDelayUntilNs)
            QThread::msleep(unsigned(m_consumerDelayMs));
    });
    connect(&m_engine, &IngestEngine::stateChanged, this, [this](SseClient::State state, int reconnects) {
        m_doctor.setStreamState(state, reconnects);
        if (state == SseClient::State::Open && !m_opened) {
            m_opened = true;
            emit streamOpened();
        }
    });
    connect(&m_engine, &IngestEngine::logMessage, this, [this](const QString &line) {
        m_doctor.noteConnectionLog(line);
        emit logMessage(line);
    });
    connect(&m_engine, &IngestEngine::connectFailed, this, [this](const QString &error) {
        m_doctor.noteConnectionLog(QStringLiteral("error: ") + error);
        emit connectFailed(error);
    });
    connect(&m_probes, &ProbeRunner::probeUpdated, &m_doctor, &Doctor::addProbe);
}

DoctorLive::~DoctorLive() { stop(); }

void DoctorLive::start(ConnectionSettings settings)
{
    settings.initialHistory = 0;
    m_doctor.setMode(Doctor::Mode::Live);
    m_engine.connectTo(settings);
}

void DoctorLive::stop()
{
    m_probes.stop();
    m_engine.disconnectFromServer();
}

} // namespace rcrt
