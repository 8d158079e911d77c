#pragma once

#include "net/restresult.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QNetworkReply;

namespace rcrt {

class TokenProvider;

// One in-flight REST call. Emits finished() exactly once, always asynchronously (never from
// inside the RestClient method that created it), then deletes itself with deleteLater().
// Connect to finished() right after the call returns. abort() finishes it with a
// "cancelled" network error.
class RestCall final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestCall)

public:
    // Sends the request with the given bearer token (empty: no Authorization header).
    using Sender = std::function<QNetworkReply *(const QString &bearerToken)>;

    RestCall(Sender sender, TokenProvider *tokens, bool authenticated, QObject *parent = nullptr);
    ~RestCall() override;

    bool isFinished() const { return m_finished; }
    const RestResult &result() const { return m_result; }
    // Whether the call was sent a second time after a 401 and a token refresh.
    bool wasRetried() const { return m_retried; }

    void abort();

signals:
    void finished(const rcrt::RestResult &result);

private:
    friend class RestClient;
    void send();
    void finishLater(RestResult result);
    void onReplyFinished();
    void retryAfterRefresh();

    Sender m_sender;
    QPointer<TokenProvider> m_tokens;
    bool m_authenticated = false;
    QPointer<QNetworkReply> m_reply;
    QString m_usedToken;
    RestResult m_result;
    bool m_retried = false;
    bool m_finished = false;
    int m_transferTimeoutMs = 0; // for the "timed out" message only
    QMetaObject::Connection m_tokenChangedConn;
    QMetaObject::Connection m_refreshFailedConn;
};

} // namespace rcrt
