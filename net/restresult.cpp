#include "net/restresult.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace rcrt {

namespace {

// Error bodies are usually one short line; an HTML error page from a proxy can be long, and the
// message lands in status bars and logs. The full body stays in RestResult::body.
constexpr qsizetype maxBodyCharsInMessage = 2000;

} // namespace

RestResult RestResult::fromHttp(int status, QByteArray body)
{
    RestResult result;
    result.status = status;
    result.body = std::move(body);
    if (status < 200 || status >= 300) {
        QString text = QString::fromUtf8(result.body).trimmed();
        if (text.size() > maxBodyCharsInMessage)
            text = text.left(maxBodyCharsInMessage) + QStringLiteral("…");
        result.error = text.isEmpty() ? QStringLiteral("HTTP %1 (empty body)").arg(status)
                                      : QStringLiteral("HTTP %1: %2").arg(status).arg(text);
    }
    return result;
}

RestResult RestResult::networkFailure(QString message)
{
    RestResult result;
    result.error = message.isEmpty() ? QStringLiteral("network error") : std::move(message);
    return result;
}

QString RestResult::createdId() const
{
    if (!ok())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    return doc.object().value(QLatin1String("id")).toString();
}

} // namespace rcrt
