#pragma once

#include "net/restresult.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace rcrt {

class HttpTransport;
struct HttpAnswer;
class TokenProvider;

// What one REST call sends (RestClient fills it); the bearer token is added per attempt.
struct RestRequest
{
    QByteArray verb;
    QUrl url;
    QByteArray body;
    bool sendsBody = false; // Content-Type: application/json and a length, even when empty
    QList<QPair<QByteArray, QByteArray>> headers;
    int timeoutMs = 0;
};

// One in-flight REST call. Emits finished() exactly once, always asynchronously (never from
// inside the RestClient method that created it), then deletes itself with deleteLater().
// Connect to finished() right after the call returns. abort() finishes it with a
// "cancelled" network error.
//
// It goes over HttpTransport (kept-alive connections on this thread) when the transport can
// carry the URL, else over the QNetworkAccessManager; the results read the same either way.
class RestCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestCall)

public:
    // nam is required (without it the call fails); transport may be null (always nam).
    RestCall(RestRequest request, QNetworkAccessManager *nam, HttpTransport *transport,
             TokenProvider *tokens, bool authenticated, QObject *parent = nullptr);
    ~RestCall() override;

    bool isFinished() const { return m_finished; }
    const RestResult &result() const { return m_result; }
    // Whether the call was sent a second time after a 401 and a token refresh.
    bool wasRetried() const { return m_retried; }
    // Whether the last attempt went over HttpTransport (false: QNetworkAccessManager).
    bool usedHttpTransport() const { return m_usedTransport; }

    void abort();

signals:
    void finished(const rcrt::RestResult &result);

private:
    friend class RestClient;
    void send();
    // Through the access manager: the proxy cases, and the hop after a redirect.
    void sendWithNam(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                     bool sendsBody);
    void onAnswer(HttpAnswer answer);
    void onReplyFinished();
    // A complete HTTP answer from either path: finish, or refresh the token and retry on 401.
    void onHttpResult(RestResult result);
    bool followRedirect(int status, const QByteArray &location);
    void retryAfterRefresh();
    // Emits now when called from the event loop; queued when still inside send() or abort().
    void finish(RestResult result);

    RestRequest m_request;
    QPointer<QNetworkAccessManager> m_nam;
    QPointer<HttpTransport> m_transport;
    QPointer<TokenProvider> m_tokens;
    bool m_authenticated = false;
    QPointer<QNetworkReply> m_reply;
    quint64 m_transportId = 0;
    QString m_usedToken;
    RestResult m_result;
    bool m_retried = false;
    bool m_finished = false;
    bool m_usedTransport = false;
    int m_sending = 0; // > 0 inside send()
    QMetaObject::Connection m_tokenChangedConn;
    QMetaObject::Connection m_refreshFailedConn;
};

} // namespace rcrt
