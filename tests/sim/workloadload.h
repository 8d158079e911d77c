#pragma once

#include "auth.h"
#include "fastrandom.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>

namespace rcrt::sim {

class BreadcrumbWriter;

// RCRT-shaped writes at a fixed rate: tool requests and their responses, agent.context.v1
// PATCHes (now and then a large one), user messages and agent responses; about 500 bytes on
// average. Generated in 2 ms ticks straight into JSONB-ordered bytes, because at 200k events/s
// the generator, not the socket, is the bottleneck.
class WorkloadLoad final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkloadLoad)

public:
    WorkloadLoad(BreadcrumbWriter &writer, const QUuid &owner, double rate, qint64 maxWrites,
                 quint64 seed, QObject *parent = nullptr);

    void start();
    qint64 writes() const { return m_done; }

private:
    struct PendingRequest
    {
        QByteArray requestId;
        int tool = 0;
    };

    void tick();
    void writeOne();
    void createRequest();
    void createResponse();
    void patchContext();
    void createUserMessage();
    void createAgentResponse();
    QByteArray filler(int minBytes, int maxBytes);

    BreadcrumbWriter &m_writer;
    double m_rate;
    qint64 m_maxWrites;
    FastRandom m_random;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_done = 0;
    qint64 m_skipped = 0; // writes the schedule gave up on while behind
    bool m_catchUpQueued = false; // a tick() is queued to continue right after the loop writes
    qint64 m_lastReportMs = 0;
    qint64 m_lastReportWrites = 0;
    quint64 m_sequence = 0;
    Identity m_agentWriter;
    Identity m_runnerWriter;
    Identity m_contextWriter;
    Identity m_userWriter;
    std::deque<PendingRequest> m_pending;
    QList<QUuid> m_contexts;
    QList<QByteArray> m_sessions;
    QByteArray m_lastUserMessageId;
};

} // namespace rcrt::sim
