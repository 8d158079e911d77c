#pragma once

#include "app/connectionsettings.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace rcrt {

class IngestTap;
class IngestWorker;

// The live ingest path on its own thread (DESIGN.md: the GUI never blocks): a LiveSource feeds
// an EventStore in a worker thread; the owner's thread receives the store's coalesced batches
// (at most ~30 per second) and connection news by queued signals.
class IngestEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestEngine)

public:
    explicit IngestEngine(QObject *parent = nullptr);
    ~IngestEngine() override;

    // Drops any current connection and connects with these settings (asynchronously).
    void connectTo(const ConnectionSettings &settings);
    void disconnectFromServer();

    // Installs a tap (app/ingestworker.h) that `make` creates on the ingest thread; it sees every
    // live delivery and log line from then on, across reconnects. An empty function removes
    // the current tap (destroying it on the ingest thread). Used to record a session.
    using TapFactory = std::function<std::unique_ptr<IngestTap>()>;
    void setTap(TapFactory make);

    QThread *workerThread() { return &m_thread; }

signals:
    void batchReady(const rcrt::EventBatch &batch);
    void stateChanged(rcrt::SseClient::State state, int reconnects);
    void logMessage(const QString &message);
    // The connection could not even start (unreadable token, failed mint...).
    void connectFailed(const QString &error);

private:
    QThread m_thread;
    IngestWorker *m_worker = nullptr; // lives in m_thread
};

} // namespace rcrt
