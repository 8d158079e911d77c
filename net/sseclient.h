#pragma once

#include "model/streamevent.h"
#include "net/backoff.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>

#include <cstdint>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace rcrt {

class SseParser;
class TokenProvider;

// Options of SseClient (namespace scope so `Options options = {}` default arguments compile).
struct SseClientOptions
{
    QString path = QStringLiteral("/events/stream");
    // Send the token as `?token=` instead of an Authorization header (browser-style clients
    // and proxies that strip headers, §3.7).
    bool tokenInQuery = false;
    // No byte for this long → abort and reconnect. Default: 3 ping intervals.
    int watchdogMs = 15000;
    // After this long Open, the backoff starts again from its base delay.
    int healthyResetMs = 10000;
    // Error bodies (non-200, wrong content type) are read up to this size or this long,
    // then the reply is aborted.
    int errorBodyMaxBytes = 4096;
    int errorBodyWaitMs = 2000;
    BackoffParams backoff;
    std::optional<quint32> backoffSeed; // for deterministic tests
    // Parser memory bounds: a longer line or event is skipped and reported by parseError().
    qsizetype maxLineBytes = 16 * 1024 * 1024;
    qsizetype maxEventBytes = 16 * 1024 * 1024;
};

// The live RCRT event stream, `GET {base}/events/stream` (rcrt-protocol.md §3). Streams over
// HTTP/1.1, feeds every network read to an SseParser and emits one eventsReceived() per read.
// Reconnects with jittered backoff after errors AND after a clean end of stream, and when no byte
// arrived for watchdogMs (the server pings every 5 s, so silence means a dead stream, §8.3).
// A 401 in Mint mode refreshes the token and reconnects; a 204 stops for good (WHATWG rule).
// Never waits on another HTTP call: backfill and detail fetches are the caller's business.
class SseClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SseClient)

public:
    enum class State {
        Idle, // not started
        Connecting, // request sent, waiting for response headers
        Open, // 200 text/event-stream accepted, streaming
        Reconnecting, // waiting for the backoff timer (or a token refresh) before reconnecting
        Stopped, // stop() called, or the server answered 204
    };
    Q_ENUM(State)

    using Options = SseClientOptions;

    // nam and tokens are not owned; tokens may be null (no auth).
    SseClient(QNetworkAccessManager *nam, QUrl baseUrl, TokenProvider *tokens,
              Options options = {}, QObject *parent = nullptr);
    ~SseClient() override;

    void start();
    void stop();

    State state() const { return m_state; }
    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &baseUrl) { m_baseUrl = baseUrl; }
    const Options &options() const { return m_options; }
    // The stream URL actually requested (token redacted).
    QUrl streamUrl() const;

    // Counters since construction.
    qint64 bytesReceived() const { return m_bytesReceived; }
    qint64 eventsReceivedCount() const { return m_eventCount; }
    int reconnectCount() const { return m_reconnectCount; }
    int connectCount() const { return m_connectCount; }
    std::int64_t lastByteAtNs() const { return m_lastByteAtNs; }
    // Consecutive failed attempts since the last healthy connection.
    int attempt() const { return m_backoff.attempt(); }
    QString lastError() const { return m_lastError; }
    // Why the stream is Stopped ("stopped by the user", the 204 reason...).
    QString stopReason() const { return m_stopReason; }
    // Bytes the parser holds for a partial line and event (bounded by the options' limits).
    qsizetype parserBufferedBytes() const;

signals:
    void stateChanged(rcrt::SseClient::State state);
    // A 200 text/event-stream was accepted: the moment to start a REST backfill.
    void connected();
    // A request ended, whether it had been accepted or not: refused (status, content type),
    // network error, clean end of stream, watchdog, 204, or stop() while connected.
    void disconnected(const QString &reason);
    // The next attempt starts in delayMs; attempt counts from 1 since the last healthy stream.
    void reconnectScheduled(int delayMs, int attempt);
    // Refusals ("HTTP 503: <body>", "unexpected content type text/html…"), network errors,
    // watchdog expiry, token refresh failures. A clean end of stream is not an error.
    void errorOccurred(const QString &message);
    // The SSE parser dropped something (over-long line or event); the stream continues.
    void parseError(const QString &message);
    // All events dispatched from one network read, with one arrival time.
    void eventsReceived(const QList<rcrt::StreamEvent> &events);

private:
    void connectNow();
    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void onWatchdog();
    void onTokenChanged();
    void onRefreshFailed(const QString &error);
    void acceptStream();
    // readBody: wait briefly for the body to quote it (false when it is not text, e.g. gzip).
    void rejectStream(const QString &reasonPrefix, bool readBody = true);
    void finishRejection();
    void endConnection(const QString &reason, bool isError);
    void scheduleReconnect();
    void stopWith(const QString &reason);
    void setState(State state);
    void dropReply();
    void handleHeaders();
    void processChunk(const QByteArray &chunk);
    QString watchdogReason() const;

    QPointer<QNetworkAccessManager> m_nam;
    QUrl m_baseUrl;
    QPointer<TokenProvider> m_tokens;
    Options m_options;
    Backoff m_backoff;
    std::unique_ptr<SseParser> m_parser;
    QList<StreamEvent> m_batch; // events dispatched in the current read
    QPointer<QNetworkReply> m_reply;
    State m_state = State::Idle;
    QTimer m_watchdog;
    QTimer m_reconnectTimer;
    QTimer m_rejectTimer;
    QElapsedTimer m_openSince;
    // Set while an unacceptable answer's body is being collected for the error message.
    bool m_rejecting = false;
    int m_rejectStatus = 0;
    QString m_rejectPrefix;
    QByteArray m_rejectBody;
    bool m_waitingForToken = false;
    int m_unauthorizedInARow = 0;
    qint64 m_bytesReceived = 0;
    qint64 m_eventCount = 0;
    int m_reconnectCount = 0;
    int m_connectCount = 0;
    std::int64_t m_lastByteAtNs = 0;
    QString m_lastError;
    QString m_stopReason;
    std::int64_t m_readArrivalNs = 0; // one arrival time for every event of a read
    bool m_headersSeen = false;
    QStringList m_pendingParseErrors; // emitted after feed() returns, never from inside it
    QString m_usedToken; // token of the current request, to tell a stale 401 from a fresh one
    qint64 m_invalidUtf8Count = 0; // the parser's invalidUtf8Values() when last looked at
    bool m_invalidUtf8Reported = false; // on this connection
    QByteArray m_tail; // the last bytes of this connection, to tell a half event at its end
};

} // namespace rcrt
