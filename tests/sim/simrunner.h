#pragma once

#include "auth.h"
#include "fastrandom.h"
#include "simtools.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <deque>
#include <memory>

namespace rcrt::sim {

class BreadcrumbStore;
class BreadcrumbWriter;
struct WriteEvent;

// The tools-runner of rcrt-protocol.md §5, in process: it sees every write like an SSE client,
// picks tool.request.v1 + tool:request + workspace:tools (not health:check), and answers
// through the same write path with the real runner's tags and error paths. Executions hold
// one of --runner-slots slots; the rest queue, so slot starvation is reproducible.
class SimRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimRunner)

public:
    SimRunner(BreadcrumbWriter &writer, const BreadcrumbStore &store, const QUuid &owner,
              int slotCount, quint64 seed, QObject *parent = nullptr);
    ~SimRunner() override;

    int busySlots() const { return m_busy; }
    int queued() const { return int(m_queue.size()); }

private:
    struct Job
    {
        QByteArray requestBreadcrumbId;
        QString tool;
        QJsonValue input;
        QString correlation; // context.requestId, else the request breadcrumb id
    };
    struct WorkflowRun;

    void onWrite(const WriteEvent &event);
    void consider(const QByteArray &breadcrumbId, const QByteArray &context);
    bool toolExists(const QString &tool) const;
    void pump();
    void execute(const Job &job);
    void finish(const Job &job, const ToolOutcome &outcome, qint64 startedMs, int simulatedMs);
    void releaseSlot();
    void respondSuccess(const Job &job, const QJsonValue &output, qint64 elapsedMs, int simulatedMs);
    void respondExceptionError(const Job &job, const QString &error);
    void respondNotFound(const Job &job);

    // Workflow tool (simworkflow.cpp): it creates step requests and waits for their responses.
    void startWorkflow(const Job &job, qint64 startedMs);
    void advanceWorkflow(int runId);
    void onStepResponse(const QString &requestId, const QJsonObject &context);
    void stepFinished(int runId, const QString &stepId, bool ok, const QJsonValue &output,
                      const QString &error);
    void endWorkflow(int runId, bool ok, const QString &error);

    BreadcrumbWriter &m_writer;
    const BreadcrumbStore &m_store;
    Identity m_identity;
    int m_slots;
    int m_busy = 0;
    FastRandom m_random;
    std::deque<Job> m_queue;
    QSet<QByteArray> m_processed;
    QHash<int, std::shared_ptr<WorkflowRun>> m_workflows;
    QHash<QString, QPair<int, QString>> m_waitingSteps; // step requestId -> (run, step id)
    int m_nextRunId = 1;
};

} // namespace rcrt::sim
