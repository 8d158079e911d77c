#pragma once

#include "auth.h"
#include "fastrandom.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>

class QTcpSocket;

namespace rcrt::sim {

// The per-connection faults of rcrt-sim (combinable). -1 / 0 mean off.
struct StreamFaults
{
    int delayMs = 0;
    int bufferMs = 0;
    qint64 stallAfter = -1;
    qint64 dropAfter = -1;
    int dupSelectors = 0;
    int garbageEvery = 0;
    bool splitFrames = false;
};

// One open /events/stream response. Frames are queued per connection and written in large
// chunks, so a slow client never blocks the server (the real per-connection channel is
// unbounded too, rcrt-protocol.md §3.3). Faults are applied in this order:
// duplicate copies -> delay -> stall/drop/garbage accounting -> proxy buffer -> writer
// (whole chunks, or small split pieces).
class StreamConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamConnection)

public:
    StreamConnection(QTcpSocket *socket, const Identity &identity, const StreamFaults &faults,
                     int pingMs, bool chunked, quint64 seed, QObject *parent);
    ~StreamConnection() override;

    const QUuid &owner() const { return m_identity.owner; }
    const QUuid &agent() const { return m_identity.agent; }
    // One breadcrumb event, copies >= 1 times (owner copy plus selector copies).
    void deliver(const QByteArray &frame, int copies);

Q_SIGNALS:
    void closed(rcrt::sim::StreamConnection *connection);

private:
    void sendPing();
    void releaseDelayed();
    void emitBreadcrumb(const QByteArray &frame);
    void startEnding();
    void output(const QByteArray &bytes);
    void releaseHeld();
    void scheduleFlush();
    void flush();
    void writeSplitPieces();
    void writeChunk(const char *data, qsizetype size);
    void maybeFinishEnding();
    void onDisconnected();

    QTcpSocket *m_socket;
    Identity m_identity;
    StreamFaults m_faults;
    bool m_chunked;
    FastRandom m_random;

    QTimer m_pingTimer;
    QTimer m_delayTimer;
    QTimer m_bufferTimer;
    QTimer m_splitTimer;
    QElapsedTimer m_clock;
    std::deque<std::pair<qint64, QByteArray>> m_delayed; // due (ms on m_clock), frame

    QByteArray m_held;    // --buffer-ms: everything waits here until the next flush tick
    QByteArray m_pending; // ready to write
    QByteArray m_split;   // --split-frames: bytes still to write piece by piece
    qint64 m_eventsOut = 0;
    qint64 m_firstEventMs = -1; // on m_clock: the span of breadcrumb output, for the close log
    qint64 m_lastEventMs = -1;
    qint64 m_garbageCount = 0;
    bool m_flushScheduled = false;
    bool m_ending = false;
    bool m_closed = false;
};

} // namespace rcrt::sim
