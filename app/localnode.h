#pragma once

#include "app/breadcrumbwriter.h"
#include "app/runner/toolinvocation.h"
#include "app/runner/toolsrunner.h"
#include "model/eventwaiter.h"
#include "model/localbus.h"
#include "model/streamevent.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

namespace rcrt {

class RestClient;
class TokenProvider;

// The console as an RCRT participant (issue 4): owns the LocalBus, the BreadcrumbWriter, the
// EventWaiter and, when enabled, a ToolsRunner; makes manual ToolInvocations.
//
// Wiring: feed() every batch from LiveSource (SSE and backfill); forward localEvents() to
// whoever keeps events (the EventStore). Every event, from either side, reaches the waiter,
// the runner and open invocations; local events reach them synchronously, at acknowledgement.
//
// Lives on one thread (the GUI puts it on the ingest worker, beside LiveSource and the
// EventStore); the RestClient and TokenProvider must live on that thread too. Other threads
// talk to it with queued signals or QMetaObject::invokeMethod.
class LocalNode final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LocalNode)

public:
    // Not owned; tokens may be null (local payloads then carry no owner_id).
    explicit LocalNode(RestClient *rest, TokenProvider *tokens = nullptr, QObject *parent = nullptr);
    ~LocalNode() override;

    LocalBus &bus() { return m_bus; }
    BreadcrumbWriter &writer() { return m_writer; }
    EventWaiter &waiter() { return m_waiter; }
    ToolsRunner *runner() const { return m_runner.get(); }
    bool isRunnerEnabled() const { return m_runner != nullptr; }

    // A new manual call, started at once. Parent: this node; delete it when done with it.
    ToolInvocation *invoke(const QString &tool, const QJsonValue &input,
                           const QString &workspace = QStringLiteral("workspace:tools"),
                           int timeoutMs = 60'000);

public slots:
    void feed(const QList<rcrt::StreamEvent> &events);
    // Starting publishes the catalog; stopping drops queued and running executions unanswered
    // (a later runner answers them after its lookup). Re-enabling with other options restarts.
    void setRunnerEnabled(bool enabled, const rcrt::RunnerOptions &options = {});

signals:
    // What this process wrote, one event per acknowledged write (source Local).
    void localEvents(const QList<rcrt::StreamEvent> &events);
    void runnerEnabledChanged(bool enabled);
    void runnerStatsChanged(const rcrt::RunnerStats &stats);
    void runnerExecuted(const rcrt::RunnerExecution &execution);
    void logMessage(const QString &message);

private:
    void dispatch(const StreamEvent &event);

    QPointer<RestClient> m_rest;
    LocalBus m_bus;
    BreadcrumbWriter m_writer;
    EventWaiter m_waiter;
    std::unique_ptr<ToolsRunner> m_runner;
    QList<QPointer<ToolInvocation>> m_invocations;
    Decoder m_decoder;
    EnvelopeView m_view;
};

} // namespace rcrt
