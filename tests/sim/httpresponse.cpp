#include "httpresponse.h"

#include <QDateTime>
#include <QLocale>

namespace rcrt::sim {

HttpResponse HttpResponse::text(int status, const QByteArray &body)
{
    return HttpResponse{status, "text/plain; charset=utf-8", body, {}, false};
}

HttpResponse HttpResponse::json(int status, const QByteArray &body)
{
    return HttpResponse{status, "application/json", body, {}, false};
}

HttpResponse HttpResponse::empty(int status) { return HttpResponse{status, {}, {}, {}, false}; }

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Status";
    }
}

QByteArray httpDate()
{
    // Cached per second: hyper does the same.
    static qint64 cachedSecond = -1;
    static QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                               QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                     .toLatin1();
    }
    return cached;
}

QByteArray serializeResponse(const HttpResponse &response, bool keepAlive, bool corsOrigin)
{
    QByteArray out;
    out.reserve(256 + response.body.size());
    out.append("HTTP/1.1 ").append(QByteArray::number(response.status)).append(' ');
    out.append(reasonPhrase(response.status)).append("\r\n");
    if (!response.contentType.isEmpty())
        out.append("content-type: ").append(response.contentType).append("\r\n");
    for (const auto &h : response.headers)
        out.append(h.first).append(": ").append(h.second).append("\r\n");
    if (corsOrigin)
        out.append("access-control-allow-origin: *\r\nvary: origin, access-control-request-method, "
                   "access-control-request-headers\r\n");
    const bool noBody = response.status == 204 || response.status == 304 || response.status < 200;
    if (!noBody)
        out.append("content-length: ").append(QByteArray::number(response.body.size())).append("\r\n");
    if (!keepAlive || response.closeAfter)
        out.append("connection: close\r\n");
    out.append("date: ").append(httpDate()).append("\r\n\r\n");
    if (!noBody)
        out.append(response.body);
    return out;
}

} // namespace rcrt::sim
