#pragma once

#include "app/connectionsettings.h"
#include "app/invocationsnapshot.h"
#include "app/runner/toolsrunner.h"
#include "model/decoder.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QHash>
#include <QList>
#include <QJsonObject>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSet>

#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace rcrt {

class EventStore;
class LiveSource;
class LocalNode;
class RestClient;
class TokenProvider;
class ToolInvocation;
struct WriteReport;

// Sees everything the live source delivers and logs, on the ingest thread, before the store
// does: the hook a recorder hangs on (issue 5). Since issue 4 it also sees what this process
// wrote (LocalNode's local events, source Local). Made and destroyed on the ingest thread.
class IngestTap
{
public:
    virtual ~IngestTap() = default;
    virtual void onEvents(const QList<StreamEvent> &events) = 0;
    virtual void onLog(const QString &line) = 0;
};

// The objects of one live connection, created and used only on the ingest thread: LiveSource,
// EventStore and the LocalNode (local bus, writer, optional tools-runner, manual invocations).
class IngestWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestWorker)

public:
    IngestWorker();
    ~IngestWorker() override;

    void connectTo(const rcrt::ConnectionSettings &settings);
    void disconnectFromServer();
    // Replaces the tap (null removes it); it stays across reconnects until replaced.
    void setTap(std::unique_ptr<IngestTap> tap);

    // The wanted runner state; it survives reconnects (a new connection starts a new runner,
    // which looks for existing responses before executing, so nothing is answered twice).
    void setRunnerEnabled(bool enabled, const rcrt::RunnerOptions &options);
    // Starts a manual call; without a live connection it finishes at once as WriteFailed.
    void invoke(quint64 id, const QString &tool, const QJsonValue &input, const QString &workspace,
                int timeoutMs);

    // Creates a breadcrumb through the node's writer (its local copy goes into the store);
    // answered by breadcrumbCreated, then, with watchStreamMs > 0, by breadcrumbStreamed once
    // the stream's copy is seen (already held at the acknowledgement, or arriving within
    // watchStreamMs after it). Without a connection it answers an error at once.
    void createBreadcrumb(quint64 ticket, const QJsonObject &body, int watchStreamMs);

    // Finished invocations kept for SSE copies that come later (their timeline still fills in).
    static constexpr qsizetype kKeptInvocations = 32;

signals:
    void batchReady(const rcrt::EventBatch &batch);
    void stateChanged(rcrt::SseClient::State state, int reconnects);
    void logMessage(const QString &message);
    void connectFailed(const QString &error);
    void liveChanged(bool live); // a connection (REST + stream) exists, so invoke can write
    void runnerEnabledChanged(bool enabled);
    // Coalesced to at most ~20 per second: under load the runner changes state per request.
    void runnerStatsChanged(const rcrt::RunnerStats &stats);
    void runnerExecuted(const QList<rcrt::RunnerExecution> &executions);
    void invocationUpdated(quint64 id, const rcrt::InvocationSnapshot &snapshot);
    void breadcrumbCreated(quint64 ticket, const QString &id, const QString &error, qint64 ackNs);
    void breadcrumbStreamed(quint64 ticket, qint64 arrivalNs, qint64 serverUpdatedAtNs);

private:
    struct StreamWatch
    {
        quint64 ticket = 0;
        qint32 version = 0;
        qint64 untilNs = 0;
    };
    void watchForStreamCopy(quint64 ticket, const WriteReport &report, int watchStreamMs);
    void findStreamCopies(const QList<StreamEvent> &events);
    void cancelCreates();

    void startLive();
    void log(const QString &message);
    void onRunnerStats(const RunnerStats &stats);
    void onRunnerExecuted(const RunnerExecution &execution);
    void flushRunnerNews();
    void track(quint64 id, ToolInvocation *invocation);
    void cancelInvocations();

    ConnectionSettings m_settings;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<EventStore> m_store;
    std::unique_ptr<LiveSource> m_live;
    std::unique_ptr<RestClient> m_rest;
    std::unique_ptr<LocalNode> m_node;
    std::unique_ptr<IngestTap> m_tap;

    bool m_runnerEnabled = false;
    RunnerOptions m_runnerOptions;
    QTimer *m_flush = nullptr;
    std::optional<RunnerStats> m_pendingStats;
    QList<RunnerExecution> m_pendingExecutions;
    QList<QPair<quint64, QPointer<ToolInvocation>>> m_invocations; // oldest first
    QSet<quint64> m_openCreates;                       // createBreadcrumb tickets not answered yet
    QHash<QByteArray, StreamWatch> m_streamWatches;    // by breadcrumb id
    Decoder m_watchDecoder;
    EnvelopeView m_watchView;
};

} // namespace rcrt
