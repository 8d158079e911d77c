#pragma once

#include "auth.h"
#include "streamconnection.h"

#include <QHash>
#include <QList>
#include <QObject>

class QTcpSocket;

namespace rcrt::sim {

struct HttpRequest;

// All open streams. A write is serialised once into a frame and the same bytes are shared by
// every connection that should see it: the owner's copy (owner filter, §3.3) plus one copy per
// matching selector of the connection's agent (§3.5).
class EventHub final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventHub)

public:
    EventHub(const StreamFaults &faults, int pingMs, quint64 seed, QObject *parent = nullptr);

    // Writes the stream's response head and takes the socket over.
    void attach(QTcpSocket *socket, const Identity &identity, const HttpRequest &request,
                const QByteArray &contentType);
    void publish(const QByteArray &frame, const QUuid &writerOwner,
                 const QHash<QUuid, int> &selectorCounts);
    int streamCount() const { return int(m_streams.size()); }

private:
    void onClosed(StreamConnection *connection);

    StreamFaults m_faults;
    int m_pingMs;
    quint64 m_seed;
    quint64 m_connectionsOpened = 0;
    QList<StreamConnection *> m_streams;
};

} // namespace rcrt::sim
