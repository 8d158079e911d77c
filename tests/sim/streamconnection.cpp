#include "streamconnection.h"

#include "breadcrumbviews.h"
#include "simlog.h"
#include "timestamps.h"

#include <QTcpSocket>

namespace rcrt::sim {
namespace {

// Socket bytes in flight before we stop handing it more and wait for bytesWritten.
constexpr qint64 kSocketHighWater = 4 * 1024 * 1024;
// A client this far behind is treated as gone (the real server would grow without limit).
constexpr qsizetype kMaxBacklog = qsizetype(1) << 30;

const QByteArray kGarbage[] = {
    "data: {\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\n\n",
    "data: <html><body>502 Bad Gateway</body></html>\n\n",
    "data: rcrt-sim garbage \xe2\x9c\x97 not json\n\n",
};

} // namespace

StreamConnection::StreamConnection(QTcpSocket *socket, const Identity &identity,
                                   const StreamFaults &faults, int pingMs, bool chunked,
                                   quint64 seed, QObject *parent)
    : QObject(parent), m_socket(socket), m_identity(identity), m_faults(faults),
      m_chunked(chunked), m_random(seed)
{
    socket->setParent(this);
    m_clock.start();
    connect(socket, &QTcpSocket::disconnected, this, &StreamConnection::onDisconnected);
    connect(socket, &QTcpSocket::readyRead, this, [this] { m_socket->readAll(); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_pending.isEmpty())
            scheduleFlush();
        maybeFinishEnding();
    });

    m_pingTimer.setTimerType(Qt::PreciseTimer);
    m_pingTimer.setInterval(pingMs);
    connect(&m_pingTimer, &QTimer::timeout, this, &StreamConnection::sendPing);
    m_pingTimer.start();

    m_delayTimer.setSingleShot(true);
    m_delayTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_delayTimer, &QTimer::timeout, this, &StreamConnection::releaseDelayed);

    if (m_faults.bufferMs > 0) {
        m_bufferTimer.setInterval(m_faults.bufferMs);
        m_bufferTimer.setTimerType(Qt::PreciseTimer);
        connect(&m_bufferTimer, &QTimer::timeout, this, &StreamConnection::releaseHeld);
        m_bufferTimer.start();
    }
    m_splitTimer.setInterval(1);
    m_splitTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_splitTimer, &QTimer::timeout, this, &StreamConnection::writeSplitPieces);

    // tokio's interval completes its first tick at once: the first ping goes out at connect.
    sendPing();
    if (m_faults.dropAfter == 0)
        startEnding(); // "after 0 events": the stream ends right after its first ping
}

// One line per stream with what it was handed, so a client's count can be checked against it
// (tests/bench/run.sh: zero loss end to end). Logged here because a shutdown by signal
// destroys open streams without a disconnect.
StreamConnection::~StreamConnection()
{
    const double spanS = double(qMax<qint64>(0, m_lastEventMs - m_firstEventMs)) / 1000.0;
    qCInfo(lcStream).noquote() << QStringLiteral("stream of agent %1 wrote %2 breadcrumb events in %3 s")
                                      .arg(m_identity.agent.toString(QUuid::WithoutBraces))
                                      .arg(m_eventsOut)
                                      .arg(spanS, 0, 'f', 3);
}

void StreamConnection::deliver(const QByteArray &frame, int copies)
{
    if (m_ending || m_closed)
        return;
    copies += m_faults.dupSelectors;
    for (int i = 0; i < copies; ++i) {
        if (m_faults.delayMs > 0) {
            m_delayed.emplace_back(m_clock.elapsed() + m_faults.delayMs, frame);
            if (!m_delayTimer.isActive())
                m_delayTimer.start(m_faults.delayMs);
        } else {
            emitBreadcrumb(frame);
        }
    }
}

void StreamConnection::sendPing()
{
    if (!m_ending)
        output(pingFrame(nowMicros()));
}

void StreamConnection::releaseDelayed()
{
    const qint64 now = m_clock.elapsed();
    while (!m_delayed.empty() && m_delayed.front().first <= now && !m_ending) {
        emitBreadcrumb(m_delayed.front().second);
        m_delayed.pop_front();
    }
    if (!m_delayed.empty() && !m_ending)
        m_delayTimer.start(int(qMax<qint64>(0, m_delayed.front().first - now)));
}

void StreamConnection::emitBreadcrumb(const QByteArray &frame)
{
    if (m_ending)
        return;
    if (m_faults.stallAfter >= 0 && m_eventsOut >= m_faults.stallAfter)
        return; // stalled: only pings flow from now on
    ++m_eventsOut;
    m_lastEventMs = m_clock.elapsed();
    if (m_firstEventMs < 0)
        m_firstEventMs = m_lastEventMs;
    output(frame);
    if (m_faults.garbageEvery > 0 && m_eventsOut % m_faults.garbageEvery == 0)
        output(kGarbage[m_garbageCount++ % 3]);
    if (m_faults.dropAfter >= 0 && m_eventsOut >= m_faults.dropAfter)
        startEnding();
}

void StreamConnection::startEnding()
{
    qCInfo(lcStream) << "drop-after reached: ending stream after" << m_eventsOut << "events";
    m_ending = true;
    m_pingTimer.stop();
    m_delayTimer.stop();
    releaseHeld();
    scheduleFlush();
}

void StreamConnection::output(const QByteArray &bytes)
{
    if (m_faults.bufferMs > 0 && !m_ending) {
        m_held.append(bytes);
        return;
    }
    m_pending.append(bytes);
    scheduleFlush();
}

void StreamConnection::releaseHeld()
{
    if (m_held.isEmpty())
        return;
    m_pending.append(m_held);
    m_held.clear();
    scheduleFlush();
}

void StreamConnection::scheduleFlush()
{
    if (m_flushScheduled || m_closed)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &StreamConnection::flush, Qt::QueuedConnection);
}

void StreamConnection::writeChunk(const char *data, qsizetype size)
{
    if (size == 0)
        return;
    if (m_chunked) {
        char header[24];
        const int n = std::snprintf(header, sizeof header, "%llx\r\n",
                                    static_cast<unsigned long long>(size));
        m_socket->write(header, n);
        m_socket->write(data, size);
        m_socket->write("\r\n", 2);
    } else {
        m_socket->write(data, size);
    }
}

void StreamConnection::flush()
{
    m_flushScheduled = false;
    if (m_closed)
        return;
    if (m_pending.isEmpty()) {
        maybeFinishEnding();
        return;
    }
    if (m_faults.splitFrames) {
        m_split.append(m_pending);
        m_pending.clear();
        if (!m_split.isEmpty() && !m_splitTimer.isActive())
            m_splitTimer.start();
        maybeFinishEnding();
        return;
    }
    if (m_pending.size() > kMaxBacklog) {
        qCWarning(lcStream) << "client more than 1 GiB behind; closing its stream";
        m_socket->abort();
        return;
    }
    if (m_socket->bytesToWrite() > kSocketHighWater)
        return; // bytesWritten schedules the next flush
    // Hand the bytes over without a copy, then push as much as the kernel takes right now:
    // QAbstractSocket otherwise writes one block per event-loop pass, which caps a busy
    // loop at a few tens of MB/s.
    if (m_chunked) {
        char header[24];
        const int n = std::snprintf(header, sizeof header, "%llx\r\n",
                                    static_cast<unsigned long long>(m_pending.size()));
        m_socket->write(header, n);
        m_socket->write(std::exchange(m_pending, QByteArray()));
        m_socket->write("\r\n", 2);
    } else {
        m_socket->write(std::exchange(m_pending, QByteArray()));
    }
    m_socket->flush();
    maybeFinishEnding();
}

void StreamConnection::writeSplitPieces()
{
    // Each piece is its own chunk and its own send(), so a reader sees frames cut anywhere,
    // including inside a multi-byte UTF-8 character (the first one in every piece is cut).
    // Scale with the backlog so a busy stream keeps up (about 90 ms behind at 1 MB/s).
    const int pieces = int(qMax<qsizetype>(8, m_split.size() / 1024));
    qsizetype pos = 0;
    for (int i = 0; i < pieces && pos < m_split.size(); ++i) {
        qsizetype length = qMin<qsizetype>(m_random.between(1, 24), m_split.size() - pos);
        for (qsizetype j = 0; j < length; ++j) {
            const auto c = static_cast<unsigned char>(m_split.at(pos + j));
            if (c >= 0xC0) {
                length = j + 1; // end right after a lead byte: the character is split
                break;
            }
        }
        writeChunk(m_split.constData() + pos, length);
        m_socket->flush();
        pos += length;
    }
    m_split.remove(0, pos);
    if (m_split.isEmpty()) {
        m_splitTimer.stop();
        maybeFinishEnding();
    }
}

void StreamConnection::maybeFinishEnding()
{
    if (!m_ending || m_closed || !m_pending.isEmpty() || !m_split.isEmpty() || !m_held.isEmpty())
        return;
    if (m_chunked)
        m_socket->write("0\r\n\r\n", 5);
    m_closed = true;
    m_socket->disconnectFromHost();
    Q_EMIT closed(this);
}

void StreamConnection::onDisconnected()
{
    const bool wasClosed = m_closed;
    m_closed = true;
    m_pingTimer.stop();
    m_delayTimer.stop();
    m_bufferTimer.stop();
    m_splitTimer.stop();
    if (!wasClosed)
        Q_EMIT closed(this);
    deleteLater();
}

} // namespace rcrt::sim
