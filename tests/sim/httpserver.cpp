#include "httpserver.h"

#include "simlog.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace rcrt::sim {

HttpServer::HttpServer(HttpHandler handler, QObject *parent)
    : QObject(parent), m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

bool HttpServer::listen(quint16 port)
{
    m_server.setMaxPendingConnections(256);
    return m_server.listen(QHostAddress::LocalHost, port);
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        new HttpConnection(socket, m_handler, this);
    }
}

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpHandler &handler, QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler)
{
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::onReadyRead, Qt::QueuedConnection);
}

void HttpConnection::onReadyRead()
{
    const QByteArray bytes = m_socket->readAll();
    if (m_closing)
        return;
    if (m_discard >= 0) {
        m_discard -= bytes.size();
        if (m_discard <= 0)
            finish();
        return;
    }
    m_parser.feed(bytes);
    processBuffered();
}

void HttpConnection::processBuffered()
{
    for (;;) {
        HttpExchange exchange;
        const auto state = m_parser.next(exchange.request);
        if (state == HttpRequestParser::State::NeedMore) {
            if (m_parser.takeContinueNeeded())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            return;
        }
        if (state == HttpRequestParser::State::Error) {
            HttpResponse response = HttpResponse::text(m_parser.errorStatus(), m_parser.errorText());
            response.closeAfter = true;
            m_socket->write(serializeResponse(response, false, false));
            qCDebug(lcHttp) << "refused request:" << m_parser.errorStatus();
            const QByteArray rest = m_parser.takeBuffer();
            m_discard = m_parser.bytesToDiscard() - rest.size();
            if (m_discard <= 0)
                finish();
            return;
        }
        exchange.socket = m_socket;
        const HttpResponse response = m_handler(exchange);
        if (exchange.takenOver) {
            // The stream owns the socket now; nothing more is read as HTTP on it.
            disconnect(m_socket, nullptr, this, nullptr);
            m_socket = nullptr;
            deleteLater();
            return;
        }
        respond(response, exchange.request);
        if (m_closing)
            return;
    }
}

void HttpConnection::respond(const HttpResponse &response, const HttpRequest &request)
{
    const bool keepAlive = request.keepAlive && !response.closeAfter;
    QByteArray bytes = serializeResponse(response, keepAlive, request.header("origin").has_value());
    if (request.method == "HEAD" && !response.body.isEmpty())
        bytes.chop(response.body.size()); // headers only, content-length kept
    m_socket->write(bytes);
    qCDebug(lcHttp) << request.method << request.target << response.status;
    if (!keepAlive)
        finish();
}

void HttpConnection::finish()
{
    m_closing = true;
    m_socket->disconnectFromHost();
}

} // namespace rcrt::sim
