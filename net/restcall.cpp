#include "net/restcall.h"

#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <QLoggingCategory>
#include <QNetworkReply>
#include <QTimer>

namespace rcrt {

namespace {
Q_LOGGING_CATEGORY(lcRest, "rcrt.net.rest")
} // namespace

RestCall::RestCall(Sender sender, TokenProvider *tokens, bool authenticated, QObject *parent)
    : QObject(parent)
    , m_sender(std::move(sender))
    , m_tokens(tokens)
    , m_authenticated(authenticated)
{
}

RestCall::~RestCall()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void RestCall::send()
{
    m_usedToken = (m_authenticated && m_tokens) ? m_tokens->token() : QString();
    QNetworkReply *reply = m_sender ? m_sender(m_usedToken) : nullptr;
    if (!reply) {
        finishLater(RestResult::networkFailure(QStringLiteral("no network access manager")));
        return;
    }
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &RestCall::onReplyFinished);
}

void RestCall::abort()
{
    if (m_finished)
        return;
    disconnect(m_tokenChangedConn);
    disconnect(m_refreshFailedConn);
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    finishLater(RestResult::networkFailure(QStringLiteral("cancelled")));
}

void RestCall::finishLater(RestResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    // Queued, so a caller that connects right after the RestClient method returns sees it.
    QTimer::singleShot(0, this, [this] {
        emit finished(m_result);
        deleteLater();
    });
}

static QString describeNetworkError(QNetworkReply *reply, int transferTimeoutMs)
{
    const auto code = reply->error();
    // Qt reports an expired transfer timeout as OperationCanceledError; we never cancel a reply
    // we still listen to, so that code here means the timeout.
    if (code == QNetworkReply::OperationCanceledError && transferTimeoutMs > 0)
        return QStringLiteral("timed out after %1 ms (%2)")
            .arg(transferTimeoutMs)
            .arg(reply->url().toDisplayString(QUrl::RemoveQuery));
    return QStringLiteral("network error: %1").arg(networkErrorText(reply));
}

void RestCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    if (!reply)
        return;
    reply->deleteLater();
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid()) {
        const QString message = describeNetworkError(reply, m_transferTimeoutMs);
        qCDebug(lcRest) << reply->operation() << reply->url().path() << message;
        finishLater(RestResult::networkFailure(message));
        return;
    }
    RestResult result = RestResult::fromHttp(statusAttr.toInt(), reply->readAll());
    if (result.isUnauthorized() && m_authenticated && !m_retried && m_tokens
        && m_tokens->canMint()) {
        m_result = std::move(result);
        retryAfterRefresh();
        return;
    }
    finishLater(std::move(result));
}

void RestCall::retryAfterRefresh()
{
    m_retried = true;
    // Another call may already have refreshed while this one was in flight.
    if (m_tokens->hasToken() && m_tokens->token() != m_usedToken && !m_tokens->isRefreshing()) {
        send();
        return;
    }
    m_tokenChangedConn = connect(m_tokens, &TokenProvider::tokenChanged, this, [this] {
        disconnect(m_tokenChangedConn);
        disconnect(m_refreshFailedConn);
        send();
    });
    m_refreshFailedConn =
        connect(m_tokens, &TokenProvider::refreshFailed, this, [this](const QString &error) {
            disconnect(m_tokenChangedConn);
            disconnect(m_refreshFailedConn);
            RestResult result = m_result;
            result.error += QStringLiteral(" (token refresh failed: %1)").arg(error);
            finishLater(std::move(result));
        });
    m_tokens->refreshNow();
}

} // namespace rcrt
