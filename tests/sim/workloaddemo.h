#pragma once

#include "auth.h"
#include "fastrandom.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace rcrt::sim {

class BreadcrumbWriter;
struct WriteEvent;

// The §6 ecosystem on a loop: every cycle a user message (non-ASCII text), the session's
// agent.context.v1 PATCH, the chat agent's LLM tool.request.v1, and - once the runner answers -
// a workflow request with three steps plus one agent.response.v1 per tool response.
// agent.catalog.v1 is created at start and PATCHed every 60 s.
class WorkloadDemo final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadDemo)

public:
    WorkloadDemo(BreadcrumbWriter &writer, const QUuid &owner, quint64 seed, QObject *parent = nullptr);

    void start(int cycleMs = 6000, int firstCycleMs = 500);

private:
    void onWrite(const WriteEvent &event);
    void cycle();
    void patchSessionContext(const QByteArray &messageId, const QJsonObject &message,
                             const QByteArray &messageCreatedAt);
    void requestLlm(const QString &userText);
    void requestWorkflow();
    void respondToTool(const QByteArray &responseId, const QJsonObject &responseContext);
    void patchCatalog();

    BreadcrumbWriter &m_writer;
    QUuid m_owner;
    FastRandom m_random;
    QTimer m_cycleTimer;
    QTimer m_catalogTimer;
    QString m_sessionId;
    QByteArray m_contextId;
    QByteArray m_catalogId;
    QSet<QString> m_llmRequests;
    int m_cycles = 0;
    int m_workflows = 0;
};

} // namespace rcrt::sim
