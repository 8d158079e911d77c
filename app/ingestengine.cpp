#include "app/ingestengine.h"

#include "app/ingestworker.h"

namespace rcrt {

IngestEngine::IngestEngine(QObject *parent)
    : QObject(parent)
    , m_worker(new IngestWorker)
{
    qRegisterMetaType<rcrt::EventBatch>();
    qRegisterMetaType<rcrt::ConnectionSettings>();
    qRegisterMetaType<rcrt::SseClient::State>();
    qRegisterMetaType<rcrt::RunnerStats>();
    qRegisterMetaType<rcrt::RunnerOptions>();
    qRegisterMetaType<QList<rcrt::RunnerExecution>>();
    qRegisterMetaType<rcrt::InvocationSnapshot>();
    m_thread.setObjectName(QStringLiteral("rcrt-ingest"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &IngestWorker::batchReady, this, &IngestEngine::batchReady);
    connect(m_worker, &IngestWorker::stateChanged, this, &IngestEngine::stateChanged);
    connect(m_worker, &IngestWorker::logMessage, this, &IngestEngine::logMessage);
    connect(m_worker, &IngestWorker::connectFailed, this, &IngestEngine::connectFailed);
    connect(m_worker, &IngestWorker::liveChanged, this, [this](bool live) {
        m_live = live;
        emit liveChanged(live);
    });
    connect(m_worker, &IngestWorker::runnerEnabledChanged, this, &IngestEngine::runnerEnabledChanged);
    connect(m_worker, &IngestWorker::runnerStatsChanged, this, &IngestEngine::runnerStatsChanged);
    connect(m_worker, &IngestWorker::runnerExecuted, this, &IngestEngine::runnerExecuted);
    connect(m_worker, &IngestWorker::invocationUpdated, this, &IngestEngine::invocationUpdated);
    connect(m_worker, &IngestWorker::breadcrumbCreated, this, &IngestEngine::breadcrumbCreated);
    connect(m_worker, &IngestWorker::breadcrumbStreamed, this, &IngestEngine::breadcrumbStreamed);
    m_thread.start();
}

IngestEngine::~IngestEngine()
{
    // Tear the connection down on its own thread, then let the thread delete the worker.
    QMetaObject::invokeMethod(m_worker, &IngestWorker::disconnectFromServer, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void IngestEngine::connectTo(const ConnectionSettings &settings)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, settings] { worker->connectTo(settings); });
}

void IngestEngine::setTap(TapFactory make)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, make = std::move(make)] {
        worker->setTap(make ? make() : nullptr);
    });
}

void IngestEngine::disconnectFromServer()
{
    QMetaObject::invokeMethod(m_worker, &IngestWorker::disconnectFromServer);
}

void IngestEngine::setRunnerEnabled(bool enabled, const RunnerOptions &options)
{
    m_runnerEnabled = enabled;
    m_runnerOptions = options;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, enabled, options] {
        worker->setRunnerEnabled(enabled, options);
    });
}

quint64 IngestEngine::invoke(const QString &tool, const QJsonValue &input, const QString &workspace, int timeoutMs)
{
    const quint64 id = m_nextInvocation++;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, id, tool, input, workspace, timeoutMs] {
        worker->invoke(id, tool, input, workspace, timeoutMs);
    });
    return id;
}

quint64 IngestEngine::createBreadcrumb(const QJsonObject &body, int watchStreamMs)
{
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, ticket, body, watchStreamMs] {
        worker->createBreadcrumb(ticket, body, watchStreamMs);
    });
    return ticket;
}

} // namespace rcrt
