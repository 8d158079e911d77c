#pragma once

#include "app/connectionsettings.h"
#include "app/invocationsnapshot.h"
#include "app/runner/toolsrunner.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QJsonObject>
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
//
// The console as an RCRT participant (issue 4) lives there too: a LocalNode whose local events
// (what this process wrote, source Local) go into the same store, an optional tools-runner and
// manual tool invocations. Everything here is called on the owner's thread and answered by
// queued signals.
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
    // A connection exists (as last reported by the ingest thread): invoke() can write.
    bool isLive() const { return m_live; }

    // Installs a tap (app/ingestworker.h) that `make` creates on the ingest thread; it sees every
    // live delivery and log line from then on, across reconnects. An empty function removes
    // the current tap (destroying it on the ingest thread). Used to record a session.
    using TapFactory = std::function<std::unique_ptr<IngestTap>()>;
    void setTap(TapFactory make);

    // Runs the built-in tools-runner on this connection and every later one, until disabled.
    // New options while enabled restart it (it looks for existing answers, so none repeats).
    void setRunnerEnabled(bool enabled, const RunnerOptions &options = {});
    bool isRunnerEnabled() const { return m_runnerEnabled; }
    const RunnerOptions &runnerOptions() const { return m_runnerOptions; }

    // Creates a tool.request.v1 (see ToolInvocation) and returns its id at once; progress comes
    // by invocationUpdated(id, ...) until the snapshot isFinished(), and later SSE copies still
    // update its timeline. Without a connection the one update says WriteFailed.
    quint64 invoke(const QString &tool, const QJsonValue &input,
                   const QString &workspace = QStringLiteral("workspace:tools"), int timeoutMs = 60'000);

    // Creates a breadcrumb through the local node's writer, so this process's local-bus copy
    // (source Local) reaches the store like every write of the console; returns a ticket at
    // once. breadcrumbCreated(ticket, ...) answers it, with an error at once when there is no
    // connection (or when the connection closes first). With watchStreamMs > 0 the stream's own
    // copy is looked for until that long after the acknowledgement and reported by
    // breadcrumbStreamed: it carries the server's `updated_at`, which the local copy (stamped
    // with this console's clock) cannot give.
    quint64 createBreadcrumb(const QJsonObject &body, int watchStreamMs = 0);

    QThread *workerThread() { return &m_thread; }

signals:
    void batchReady(const rcrt::EventBatch &batch);
    void stateChanged(rcrt::SseClient::State state, int reconnects);
    void logMessage(const QString &message);
    // The connection could not even start (unreadable token, failed mint...).
    void connectFailed(const QString &error);
    void liveChanged(bool live);
    void runnerEnabledChanged(bool enabled);
    void runnerStatsChanged(const rcrt::RunnerStats &stats); // at most ~20 per second
    void runnerExecuted(const QList<rcrt::RunnerExecution> &executions);
    void invocationUpdated(quint64 id, const rcrt::InvocationSnapshot &snapshot);
    // ackNs: the answer's arrival on the ingest thread (console clock); 0 with an error.
    void breadcrumbCreated(quint64 ticket, const QString &id, const QString &error, qint64 ackNs);
    void breadcrumbStreamed(quint64 ticket, qint64 arrivalNs, qint64 serverUpdatedAtNs);

private:
    QThread m_thread;
    IngestWorker *m_worker = nullptr; // lives in m_thread
    bool m_live = false;
    bool m_runnerEnabled = false;
    RunnerOptions m_runnerOptions;
    quint64 m_nextInvocation = 1;
    quint64 m_nextTicket = 1;
};

} // namespace rcrt
