#include "eventhub.h"

#include "httprequest.h"
#include "httpresponse.h"
#include "simlog.h"

#include <QTcpSocket>

namespace rcrt::sim {

EventHub::EventHub(const StreamFaults &faults, int pingMs, quint64 seed, QObject *parent)
    : QObject(parent), m_faults(faults), m_pingMs(pingMs), m_seed(seed)
{
}

void EventHub::attach(QTcpSocket *socket, const Identity &identity, const HttpRequest &request,
                      const QByteArray &contentType)
{
    // HTTP/1.1: chunked like hyper; HTTP/1.0 clients get a close-delimited body.
    const bool chunked = request.minorVersion >= 1;
    QByteArray head = "HTTP/1.1 200 OK\r\ncontent-type: " + contentType
        + "\r\ncache-control: no-cache\r\n";
    if (request.header("origin"))
        head += "access-control-allow-origin: *\r\nvary: origin, access-control-request-method, "
                "access-control-request-headers\r\n";
    head += chunked ? "transfer-encoding: chunked\r\n" : "connection: close\r\n";
    head += "date: " + httpDate() + "\r\n\r\n";
    socket->write(head);

    ++m_connectionsOpened;
    auto *stream = new StreamConnection(socket, identity, m_faults, m_pingMs, chunked,
                                        m_seed + m_connectionsOpened * 0x9e3779b97f4a7c15ULL, this);
    connect(stream, &StreamConnection::closed, this, &EventHub::onClosed);
    m_streams.append(stream);
    qCInfo(lcStream) << "stream opened for agent" << identity.agent.toString(QUuid::WithoutBraces)
                     << "owner" << identity.owner.toString(QUuid::WithoutBraces) << "- open:"
                     << m_streams.size();
}

void EventHub::publish(const QByteArray &frame, const QUuid &writerOwner,
                       const QHash<QUuid, int> &selectorCounts)
{
    for (StreamConnection *stream : std::as_const(m_streams)) {
        int copies = stream->owner() == writerOwner ? 1 : 0;
        if (!selectorCounts.isEmpty())
            copies += selectorCounts.value(stream->agent());
        if (copies > 0)
            stream->deliver(frame, copies);
    }
}

void EventHub::onClosed(StreamConnection *connection)
{
    m_streams.removeOne(connection);
    qCInfo(lcStream) << "stream closed - open:" << m_streams.size();
}

} // namespace rcrt::sim
