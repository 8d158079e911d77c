#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace rcrt::sim {

// A complete (non-streaming) answer. Error bodies are plain text like axum's.
struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    bool closeAfter = false;

    static HttpResponse text(int status, const QByteArray &body);
    static HttpResponse json(int status, const QByteArray &body);
    static HttpResponse empty(int status);
};

QByteArray reasonPhrase(int status);
QByteArray httpDate();
// Serialises the status line, headers (content-length included unless 1xx/204/304) and body.
QByteArray serializeResponse(const HttpResponse &response, bool keepAlive, bool corsOrigin);

} // namespace rcrt::sim
