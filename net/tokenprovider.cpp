#include "net/tokenprovider.h"

#include "net/jwt.h"
#include "net/restclient.h"
#include "net/tlsaccessmanager.h"
#include "net/restresult.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>
#include <climits>

namespace rcrt {

namespace {
Q_LOGGING_CATEGORY(lcToken, "rcrt.net.token")

BackoffParams mintRetryParams()
{
    BackoffParams params;
    params.initialMs = 1000;
    params.capMs = 30000;
    return params;
}
} // namespace

TokenProvider::TokenProvider(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_failureBackoff(mintRetryParams())
{
    m_refreshTimer.setSingleShot(true);
    // The timer only fires while the event loop runs; coarse timers may fire ~5 % late, which
    // the refresh margin absorbs. Precise is cheap for one timer an hour.
    m_refreshTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TokenProvider::refreshNow);
}

TokenProvider::~TokenProvider()
{
    cancelMint();
}

bool TokenProvider::isRefreshing() const
{
    return m_reply != nullptr;
}

QString TokenProvider::fingerprint() const
{
    return tokenFingerprint(m_token);
}

std::optional<QDateTime> TokenProvider::expiresAt() const
{
    if (!m_expSecs)
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(*m_expSecs, Qt::UTC);
}

std::optional<QDateTime> TokenProvider::nextRefreshAt() const
{
    if (!m_refreshTimer.isActive())
        return std::nullopt;
    return QDateTime::currentDateTimeUtc().addMSecs(m_refreshTimer.remainingTime());
}

qint64 TokenProvider::refreshDelayMs(qint64 lifetimeMs, qint64 minRefreshMs)
{
    qint64 delay = lifetimeMs * 8 / 10;
    // "60 s before exp" only for tokens long enough that it leaves at least half the lifetime;
    // for a short test token it would mean "at once", over and over.
    const qint64 minuteBefore = lifetimeMs - 60 * 1000;
    if (minuteBefore >= lifetimeMs / 2)
        delay = std::min(delay, minuteBefore);
    return std::max(minRefreshMs, delay);
}

void TokenProvider::setAutoRefreshEnabled(bool enabled)
{
    m_autoRefresh = enabled;
    if (!enabled)
        m_refreshTimer.stop();
}

void TokenProvider::cancelMint()
{
    m_refreshTimer.stop();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void TokenProvider::setNone()
{
    cancelMint();
    m_mode = Mode::None;
    const bool had = !m_token.isEmpty();
    m_token.clear();
    m_expSecs.reset();
    if (had)
        emit tokenChanged();
}

void TokenProvider::setStaticToken(const QString &token)
{
    cancelMint();
    m_mode = Mode::Static;
    applyToken(token.trimmed(), std::nullopt);
}

bool TokenProvider::setStaticTokenFromFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read token file %1: %2").arg(path, file.errorString());
        return false;
    }
    const QString token = QString::fromUtf8(file.readAll()).trimmed();
    if (token.isEmpty()) {
        if (error)
            *error = QStringLiteral("token file %1 is empty").arg(path);
        return false;
    }
    setStaticToken(token);
    return true;
}

void TokenProvider::setMint(const QUrl &baseUrl, const MintRequest &request)
{
    cancelMint();
    m_mode = Mode::Mint;
    m_baseUrl = baseUrl;
    m_request = request;
    m_failureBackoff.reset();
    refreshNow();
}

void TokenProvider::refreshNow()
{
    if (!canMint() || m_reply)
        return; // concurrent refreshes coalesce: the one in flight answers everyone
    if (!m_nam) {
        emit refreshFailed(QStringLiteral("token mint failed: no network access manager"));
        return;
    }
    m_refreshTimer.stop();
    QJsonObject body{{QStringLiteral("owner_id"), m_request.ownerId},
                     {QStringLiteral("agent_id"), m_request.agentId}};
    if (!m_request.roles.isEmpty())
        body.insert(QStringLiteral("roles"), QJsonArray::fromStringList(m_request.roles));
    if (m_request.ttlSec)
        body.insert(QStringLiteral("ttl_sec"), *m_request.ttlSec);
    QNetworkRequest request(RestClient::endpointUrl(m_baseUrl, QStringLiteral("/auth/token")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(static_cast<int>(m_mintTimeoutMs));
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    m_reply = m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(m_reply, &QNetworkReply::finished, this, &TokenProvider::onMintFinished);
}

void TokenProvider::onMintFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    if (!reply)
        return;
    reply->deleteLater();

    QString error;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
        error = QStringLiteral("network error: %1").arg(networkErrorText(reply));
    } else {
        const RestResult result = RestResult::fromHttp(status.toInt(), reply->readAll());
        if (result.ok()) {
            const QJsonObject answer = QJsonDocument::fromJson(result.body).object();
            const QString token = answer.value(QLatin1String("token")).toString();
            if (!token.isEmpty()) {
                std::optional<qint64> exp;
                if (answer.value(QLatin1String("exp")).isDouble())
                    exp = static_cast<qint64>(answer.value(QLatin1String("exp")).toDouble());
                m_failureBackoff.reset();
                applyToken(token, exp);
                return;
            }
            error = QStringLiteral("answer has no \"token\"");
        } else {
            error = result.error;
        }
    }
    const QString message = QStringLiteral("token mint failed: %1").arg(error);
    qCWarning(lcToken).noquote() << message;
    // Keep trying in the background: the current token (if any) may still be valid for a while,
    // and a later success reaches every waiter through tokenChanged().
    scheduleRefresh(m_failureBackoff.nextDelayMs());
    emit refreshFailed(message);
}

void TokenProvider::applyToken(const QString &token, std::optional<qint64> expFromServer)
{
    const auto claims = decodeJwtClaims(token);
    m_expSecs = (claims && claims->exp) ? claims->exp : expFromServer;
    // A mint counts as a change even when the string is identical (two mints in the same second
    // sign the same claims): waiters for a fresh token must hear about it.
    const bool changed = token != m_token || m_mode == Mode::Mint;
    m_token = token;

    if (m_mode == Mode::Mint && m_expSecs) {
        // Lifetime from the token's own iat..exp, so a skewed local clock cannot make it look
        // expired or eternal. The time already gone since iat (whole seconds!) is subtracted
        // only when our clock agrees with the issuer's; else we count from receipt.
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        const bool haveIat = claims && claims->iat;
        const qint64 issuedMs = haveIat ? *claims->iat * 1000 : nowMs;
        const qint64 lifetimeMs = *m_expSecs * 1000 - issuedMs;
        qint64 delayMs = refreshDelayMs(lifetimeMs);
        const qint64 sinceIssueMs = nowMs - issuedMs;
        if (sinceIssueMs > 0 && sinceIssueMs <= lifetimeMs / 2)
            delayMs = refreshDelayMs(lifetimeMs - sinceIssueMs);
        scheduleRefresh(delayMs);
    }
    qCInfo(lcToken).noquote() << "token" << fingerprint() << "mode" << static_cast<int>(m_mode) << "exp"
                              << (m_expSecs ? QString::number(*m_expSecs) : QStringLiteral("?"));
    if (changed)
        emit tokenChanged();
}

void TokenProvider::scheduleRefresh(qint64 delayMs)
{
    if (m_mode != Mode::Mint || !m_autoRefresh)
        return;
    m_refreshTimer.start(static_cast<int>(std::clamp<qint64>(delayMs, 0, INT_MAX)));
}

} // namespace rcrt
