#include "net/restcall.h"

#include "net/httptransport.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace rcrt {

namespace {
Q_LOGGING_CATEGORY(lcRest, "rcrt.net.rest")

const QByteArray kContentType = QByteArrayLiteral("Content-Type");
const QByteArray kAuthorization = QByteArrayLiteral("Authorization");

bool hasHeader(const QList<QPair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool sameOrigin(const QUrl &a, const QUrl &b)
{
    return a.scheme() == b.scheme() && a.host() == b.host() && a.port(-1) == b.port(-1);
}

} // namespace

RestCall::RestCall(RestRequest request, QNetworkAccessManager *nam, HttpTransport *transport,
                   TokenProvider *tokens, bool authenticated, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_nam(nam)
    , m_transport(transport)
    , m_tokens(tokens)
    , m_authenticated(authenticated)
{
}

RestCall::~RestCall()
{
    if (m_transportId && m_transport)
        m_transport->cancel(m_transportId);
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void RestCall::send()
{
    ++m_sending;
    m_usedToken = (m_authenticated && m_tokens) ? m_tokens->token() : QString();
    if (!m_nam) {
        finish(RestResult::networkFailure(QStringLiteral("no network access manager")));
    } else if (m_transport && m_transport->canCarry(m_request.url)) {
        m_usedTransport = true;
        HttpRequest request;
        request.verb = m_request.verb;
        request.url = m_request.url;
        request.body = m_request.body;
        request.sendsBody = m_request.sendsBody;
        request.timeoutMs = m_request.timeoutMs;
        // The same headers QNetworkAccessManager would send; the caller's replace ours.
        request.headers.reserve(m_request.headers.size() + 2);
        if (m_request.sendsBody && !hasHeader(m_request.headers, kContentType))
            request.headers.append({kContentType, QByteArrayLiteral("application/json")});
        if (!m_usedToken.isEmpty() && !hasHeader(m_request.headers, kAuthorization))
            request.headers.append(
                {kAuthorization, QByteArrayLiteral("Bearer ") + m_usedToken.toUtf8()});
        request.headers += m_request.headers;
        m_transportId = m_transport->send(std::move(request), [this](HttpAnswer answer) {
            m_transportId = 0;
            onAnswer(std::move(answer));
        });
    } else {
        m_usedTransport = false;
        sendWithNam(m_request.verb, m_request.url, m_request.body, m_request.sendsBody);
    }
    --m_sending;
}

void RestCall::sendWithNam(const QByteArray &verb, const QUrl &url, const QByteArray &body,
                           bool sendsBody)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(m_request.timeoutMs);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    if (sendsBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    if (!m_usedToken.isEmpty())
        request.setRawHeader(kAuthorization, QByteArrayLiteral("Bearer ") + m_usedToken.toUtf8());
    for (const auto &[name, value] : std::as_const(m_request.headers))
        request.setRawHeader(name, value);
    QNetworkReply *reply = nullptr;
    if (verb == "GET")
        reply = m_nam->get(request);
    else if (verb == "DELETE" && body.isEmpty())
        reply = m_nam->deleteResource(request);
    else
        reply = m_nam->sendCustomRequest(request, verb, body);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &RestCall::onReplyFinished);
}

void RestCall::abort()
{
    if (m_finished)
        return;
    disconnect(m_tokenChangedConn);
    disconnect(m_refreshFailedConn);
    if (m_transportId && m_transport)
        m_transport->cancel(std::exchange(m_transportId, 0));
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    ++m_sending; // the caller of abort() hears about it later
    finish(RestResult::networkFailure(QStringLiteral("cancelled")));
    --m_sending;
}

void RestCall::finish(RestResult result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_result = std::move(result);
    if (m_sending > 0) {
        // Queued, so a caller that connects right after the RestClient method returns sees it.
        QTimer::singleShot(0, this, [this] {
            emit finished(m_result);
            deleteLater();
        });
        return;
    }
    // From the event loop (an answer, a token refresh): no extra event-loop pass.
    const QPointer<RestCall> self(this);
    emit finished(m_result);
    if (self)
        deleteLater();
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
        const QString message = describeNetworkError(reply, m_request.timeoutMs);
        qCDebug(lcRest) << reply->operation() << reply->url().path() << message;
        finish(RestResult::networkFailure(message));
        return;
    }
    onHttpResult(RestResult::fromHttp(statusAttr.toInt(), reply->readAll()));
}

void RestCall::onAnswer(HttpAnswer answer)
{
    if (answer.status == 0) {
        const QString message = answer.timedOut
                                    ? QStringLiteral("timed out after %1 ms (%2)")
                                          .arg(m_request.timeoutMs)
                                          .arg(m_request.url.toDisplayString(QUrl::RemoveQuery))
                                    : QStringLiteral("network error: %1").arg(answer.error);
        qCDebug(lcRest) << m_request.verb << m_request.url.path() << message;
        finish(RestResult::networkFailure(message));
        return;
    }
    if (isRedirect(answer.status) && followRedirect(answer.status, answer.location))
        return;
    onHttpResult(RestResult::fromHttp(answer.status, std::move(answer.body)));
}

bool RestCall::followRedirect(int status, const QByteArray &location)
{
    // QNetworkAccessManager follows redirects under its policy; so does this path, handing the
    // next hop (and any after it) to the access manager. Manual policies get the 3xx itself.
    const auto policy = m_nam ? m_nam->redirectPolicy() : QNetworkRequest::ManualRedirectPolicy;
    if (location.isEmpty() || policy == QNetworkRequest::ManualRedirectPolicy
        || policy == QNetworkRequest::UserVerifiedRedirectPolicy)
        return false;
    const QUrl target = m_request.url.resolved(QUrl::fromEncoded(location));
    QString refused;
    if (target.scheme() != QLatin1String("http") && target.scheme() != QLatin1String("https"))
        refused = QStringLiteral("network error: refused a redirect to %1");
    else if (policy == QNetworkRequest::NoLessSafeRedirectPolicy
             && m_request.url.scheme() == QLatin1String("https")
             && target.scheme() == QLatin1String("http"))
        refused = QStringLiteral("network error: refused a redirect from https to http (%1)");
    else if (policy == QNetworkRequest::SameOriginRedirectPolicy
             && !sameOrigin(m_request.url, target))
        refused = QStringLiteral("network error: refused a redirect to another origin (%1)");
    if (!refused.isEmpty()) {
        finish(RestResult::networkFailure(
            refused.arg(target.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo))));
        return true;
    }
    // 303, and 301/302 after a POST, continue as GET without the body (what browsers and Qt do).
    const bool toGet = (status == 303 && m_request.verb != "HEAD")
                       || ((status == 301 || status == 302) && m_request.verb == "POST");
    ++m_sending;
    m_usedTransport = false;
    if (toGet)
        sendWithNam(QByteArrayLiteral("GET"), target, {}, false);
    else
        sendWithNam(m_request.verb, target, m_request.body, m_request.sendsBody);
    --m_sending;
    return true;
}

void RestCall::onHttpResult(RestResult result)
{
    if (result.isUnauthorized() && m_authenticated && !m_retried && m_tokens
        && m_tokens->canMint()) {
        m_result = std::move(result);
        retryAfterRefresh();
        return;
    }
    finish(std::move(result));
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
    m_refreshFailedConn
        = connect(m_tokens, &TokenProvider::refreshFailed, this, [this](const QString &error) {
              disconnect(m_tokenChangedConn);
              disconnect(m_refreshFailedConn);
              RestResult result = m_result;
              result.error += QStringLiteral(" (token refresh failed: %1)").arg(error);
              finish(std::move(result));
          });
    m_tokens->refreshNow();
}

} // namespace rcrt
