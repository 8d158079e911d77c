#pragma once

#include "net/backoff.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace rcrt {

// Body of `POST /auth/token` (§2.2).
struct TokenMintRequest
{
    QString ownerId;
    QString agentId;
    QStringList roles; // empty: the server's default (curator, emitter, subscriber)
    std::optional<int> ttlSec; // absent: the server's default (3600 s)
};

// Supplies the bearer token for REST and SSE (rcrt-protocol.md §2). Three modes:
//  - None: dev mode (server AUTH_MODE=disabled), no Authorization header at all;
//  - Static: a token given on the command line or read from a file; never refreshed;
//  - Mint: POST {base}/auth/token; refreshed automatically before `exp` (the real runners
//    failed by keeping a startup token past its lifetime, §2.3, §8.2 item 6).
// The token itself never reaches a log: only tokenFingerprint() does.
class TokenProvider final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenProvider)

public:
    enum class Mode { None, Static, Mint };
    Q_ENUM(Mode)

    using MintRequest = TokenMintRequest;

    // nam is needed only for Mint mode; not owned.
    explicit TokenProvider(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~TokenProvider() override;

    void setNone();
    void setStaticToken(const QString &token);
    // Reads a token file (whitespace trimmed) and switches to Static. False + *error on failure.
    bool setStaticTokenFromFile(const QString &path, QString *error = nullptr);
    // Switches to Mint and mints at once (asynchronously); tokenChanged() or refreshFailed() follow.
    void setMint(const QUrl &baseUrl, const MintRequest &request);

    // Replaces the claims asked for by the next mint (roles, ttl...) without minting now.
    void setMintRequest(const MintRequest &request) { m_request = request; }
    MintRequest mintRequest() const { return m_request; }

    Mode mode() const { return m_mode; }
    bool canMint() const { return m_mode == Mode::Mint; }
    bool hasToken() const { return !m_token.isEmpty(); }
    QString token() const { return m_token; }
    QString fingerprint() const; // "" when no token
    // `exp` of the current token (from its payload, else the mint answer), if known.
    std::optional<QDateTime> expiresAt() const;
    bool isRefreshing() const;
    // When the next automatic refresh is due (Mint mode with a known exp).
    std::optional<QDateTime> nextRefreshAt() const;

    // Mint a new token now (e.g. after a 401). Concurrent requests coalesce into one mint; every
    // caller then sees one tokenChanged() or refreshFailed(). No-op unless canMint().
    void refreshNow();

    // Delay until the proactive refresh for a token that lives `lifetimeMs`: the earlier of 80 %
    // of the lifetime and 60 s before exp (the latter only when it leaves at least half the
    // lifetime), but never sooner than minRefreshMs. 3600 s → 2880 s; 120 s → 60 s; 3 s → 2.4 s.
    static qint64 refreshDelayMs(qint64 lifetimeMs, qint64 minRefreshMs = 1000);

    // Proactive refresh before exp (default on). Off: the token is only renewed by refreshNow(),
    // e.g. after a 401 (tests use this to hold an expired token; diagnostics to mimic the
    // runners that never refresh).
    void setAutoRefreshEnabled(bool enabled);
    bool autoRefreshEnabled() const { return m_autoRefresh; }

signals:
    // After every successful mint (even if the string did not change) and when a static token or
    // None mode replaces the token.
    void tokenChanged();
    void refreshFailed(const QString &error);

private:
    void applyToken(const QString &token, std::optional<qint64> expFromServer);
    void onMintFinished();
    void scheduleRefresh(qint64 delayMs);
    void cancelMint();

    QPointer<QNetworkAccessManager> m_nam;
    Mode m_mode = Mode::None;
    QString m_token;
    std::optional<qint64> m_expSecs;
    QUrl m_baseUrl;
    MintRequest m_request;
    QPointer<QNetworkReply> m_reply;
    QTimer m_refreshTimer;
    Backoff m_failureBackoff;
    qint64 m_mintTimeoutMs = 15000;
    bool m_autoRefresh = true;
};

} // namespace rcrt
