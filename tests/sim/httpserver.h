#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QObject>
#include <QTcpServer>

#include <functional>

class QTcpSocket;

namespace rcrt::sim {

// What a handler sees. A streaming handler sets takenOver and re-parents the socket; the HTTP
// layer then forgets the connection.
struct HttpExchange
{
    HttpRequest request;
    QTcpSocket *socket = nullptr;
    bool takenOver = false;
};

using HttpHandler = std::function<HttpResponse(HttpExchange &)>;

// A small HTTP/1.1 server on 127.0.0.1: keep-alive, pipelining, Content-Length bodies up to
// 2 MiB (413 beyond, like axum), CORS for any origin like the real server's CorsLayer.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(HttpHandler handler, QObject *parent = nullptr);

    bool listen(quint16 port);
    quint16 port() const { return m_server.serverPort(); }
    QString errorString() const { return m_server.errorString(); }

private:
    void onNewConnection();

    QTcpServer m_server;
    HttpHandler m_handler;
};

// One keep-alive connection until it ends or a handler takes the socket over.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    HttpConnection(QTcpSocket *socket, const HttpHandler &handler, QObject *parent);

private:
    void onReadyRead();
    void processBuffered();
    void respond(const HttpResponse &response, const HttpRequest &request);
    void finish();

    QTcpSocket *m_socket;
    const HttpHandler &m_handler;
    HttpRequestParser m_parser;
    qint64 m_discard = -1; // >= 0 while draining a refused body before closing
    bool m_closing = false;
};

} // namespace rcrt::sim
