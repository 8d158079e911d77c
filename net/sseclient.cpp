#include "net/sseclient.h"

#include "net/restclient.h"
#include "net/sseparser.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrlQuery>

#include <limits>

namespace rcrt {

namespace {
constexpr qint64 kReadBufferBytes = 8 * 1024 * 1024;
} // namespace

namespace {
Q_LOGGING_CATEGORY(lcSse, "rcrt.net.sse")

constexpr int pingIntervalMs = 5000; // the server's ping period (rcrt-protocol.md §3.4)
constexpr int maxRefreshesWithoutSuccess = 3; // like the tools-runner: then plain backoff

Backoff makeBackoff(const SseClientOptions &options)
{
    return options.backoffSeed ? Backoff(options.backoff, *options.backoffSeed)
                               : Backoff(options.backoff);
}

// True when the last bytes end with two line terminators (CR, LF or CRLF): nothing of a
// pending event or line is left in the parser.
bool endsAtEventBoundary(QByteArrayView tail)
{
    if (tail.isEmpty())
        return true; // nothing was received
    int terminators = 0;
    while (terminators < 2 && !tail.isEmpty()) {
        if (tail.endsWith("\r\n"))
            tail.chop(2);
        else if (tail.endsWith('\n') || tail.endsWith('\r'))
            tail.chop(1);
        else
            break;
        ++terminators;
    }
    return terminators == 2;
}

QString seconds(int ms)
{
    return QString::number(ms / 1000.0, 'g', 4);
}
} // namespace

SseClient::SseClient(QNetworkAccessManager *nam, QUrl baseUrl, TokenProvider *tokens,
                     Options options, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_baseUrl(std::move(baseUrl))
    , m_tokens(tokens)
    , m_options(std::move(options))
    , m_backoff(makeBackoff(m_options))
{
    SseParser::Handlers handlers;
    handlers.event = [this](SseEvent &&event) {
        // RCRT sends no event names (§3.1); every dispatched event's data goes through, the
        // decoder decides what it is.
        m_batch.append(StreamEvent{m_readArrivalNs, EventSource::Sse, std::move(event.data)});
    };
    handlers.retry = [this](qint64 retryMs) { m_backoff.setServerRetryMs(retryMs); };
    handlers.error = [this](const QString &message) { m_pendingParseErrors.append(message); };
    SseParser::Limits limits;
    limits.maxLineBytes = m_options.maxLineBytes;
    limits.maxEventBytes = m_options.maxEventBytes;
    m_parser = std::make_unique<SseParser>(std::move(handlers), limits);
    // Every payload goes to an EventStore, which keeps them in arrival order.
    m_parser->setPooledData(true);

    m_watchdog.setSingleShot(true);
    connect(&m_watchdog, &QTimer::timeout, this, &SseClient::onWatchdog);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SseClient::connectNow);
    m_rejectTimer.setSingleShot(true);
    connect(&m_rejectTimer, &QTimer::timeout, this, &SseClient::finishRejection);
    if (m_tokens) {
        connect(m_tokens, &TokenProvider::tokenChanged, this, &SseClient::onTokenChanged);
        connect(m_tokens, &TokenProvider::refreshFailed, this, &SseClient::onRefreshFailed);
    }
}

SseClient::~SseClient()
{
    dropReply();
}

QUrl SseClient::streamUrl() const
{
    QUrlQuery query;
    if (m_options.tokenInQuery && m_tokens && m_tokens->hasToken())
        query.addQueryItem(QStringLiteral("token"), QStringLiteral("REDACTED"));
    return RestClient::endpointUrl(m_baseUrl, m_options.path, query);
}

qsizetype SseClient::parserBufferedBytes() const
{
    return m_parser->bufferedBytes();
}

void SseClient::start()
{
    if (m_state == State::Connecting || m_state == State::Open)
        return;
    m_reconnectTimer.stop();
    m_backoff.reset();
    m_unauthorizedInARow = 0;
    m_stopReason.clear();
    if (m_tokens && m_tokens->canMint() && !m_tokens->hasToken()) {
        // The first mint is still in flight: connecting now would only collect a 401.
        m_waitingForToken = true;
        setState(State::Connecting);
        if (!m_tokens->isRefreshing())
            m_tokens->refreshNow();
        return;
    }
    connectNow();
}

void SseClient::stop()
{
    m_reconnectTimer.stop();
    m_waitingForToken = false;
    const bool hadConnection = m_reply != nullptr;
    dropReply();
    m_stopReason = QStringLiteral("stopped by the user");
    setState(State::Stopped);
    if (hadConnection)
        emit disconnected(m_stopReason);
}

void SseClient::connectNow()
{
    dropReply();
    if (!m_nam) {
        stopWith(QStringLiteral("no network access manager"));
        return;
    }
    m_waitingForToken = false;
    m_parser->resetForNewStream();
    m_batch.clear();
    m_invalidUtf8Reported = false;
    m_tail.clear();

    m_usedToken = m_tokens ? m_tokens->token() : QString();
    QUrlQuery query;
    if (m_options.tokenInQuery && !m_usedToken.isEmpty())
        query.addQueryItem(QStringLiteral("token"), m_usedToken);
    QNetworkRequest request(RestClient::endpointUrl(m_baseUrl, m_options.path, query));
    request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream"));
    request.setRawHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    // A compressing proxy buffers until its block fills: ask for the bytes as they are (§8.1).
    request.setRawHeader(QByteArrayLiteral("Accept-Encoding"), QByteArrayLiteral("identity"));
    if (!m_options.tokenInQuery && !m_usedToken.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"),
                             QByteArrayLiteral("Bearer ") + m_usedToken.toUtf8());
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    // A request timeout of 0 means "use the manager's default"; a stream must never hit one.
    // Liveness is the watchdog's job.
    if (m_nam->transferTimeout() > 0)
        request.setTransferTimeout(std::numeric_limits<int>::max());

    m_reply = m_nam->get(request);
    // Bounded: when this thread falls behind, TCP back-pressure holds the rest at the server
    // instead of Qt buffering an unbounded backlog in memory.
    m_reply->setReadBufferSize(kReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &SseClient::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &SseClient::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &SseClient::onFinished);
    setState(State::Connecting);
    m_watchdog.start(m_options.watchdogMs);
    qCDebug(lcSse).noquote() << "connecting" << streamUrl().toDisplayString();
}

void SseClient::onMetaDataChanged()
{
    handleHeaders();
}

void SseClient::handleHeaders()
{
    if (!m_reply || m_headersSeen)
        return;
    const QVariant statusAttr = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid())
        return;
    const int status = statusAttr.toInt();
    // Qt follows a redirect (not to a less safe scheme) and the final answer brings its own
    // headers; one it refuses to follow ends the reply with an error, seen in onFinished().
    if (status >= 300 && status < 400
        && (m_reply->attribute(QNetworkRequest::RedirectionTargetAttribute).isValid()
            || m_reply->hasRawHeader(QByteArrayLiteral("Location")))
        && !m_reply->isFinished())
        return;
    m_headersSeen = true;

    const QString contentType = m_reply->header(QNetworkRequest::ContentTypeHeader).toString();
    const QString mime = contentType.section(u';', 0, 0).trimmed().toLower();
    // We ask for identity (a compressing proxy holds events back until its block fills, §8.1)
    // and Qt does not decode what it did not ask for: compressed bytes would reach the parser
    // as garbage. Refuse clearly instead; the reconnect may find a better-behaved path.
    const QByteArray encoding =
        m_reply->rawHeader(QByteArrayLiteral("Content-Encoding")).trimmed().toLower();
    const bool encoded = !encoding.isEmpty() && encoding != "identity";
    if (status == 204) {
        // WHATWG: 204 means "do not reconnect".
        stopWith(QStringLiteral("server answered 204 No Content: not reconnecting"));
    } else if (status != 200) {
        rejectStream(QStringLiteral("HTTP %1").arg(status));
    } else if (encoded) {
        rejectStream(QStringLiteral("server sent Content-Encoding: %1 although the console asked "
                                    "for identity (compression delays events)")
                         .arg(QString::fromLatin1(encoding.left(64))),
                     false);
    } else if (mime != QLatin1String("text/event-stream")) {
        rejectStream(QStringLiteral("unexpected content type %1")
                         .arg(contentType.isEmpty() ? QStringLiteral("(none)") : contentType));
    } else {
        acceptStream();
    }
}

void SseClient::acceptStream()
{
    m_unauthorizedInARow = 0;
    ++m_connectCount;
    m_openSince.start();
    m_lastError.clear();
    m_watchdog.start(m_options.watchdogMs);
    setState(State::Open);
    qCInfo(lcSse).noquote() << "stream open" << streamUrl().toDisplayString();
    emit connected();
}

void SseClient::rejectStream(const QString &reasonPrefix, bool readBody)
{
    m_rejecting = true;
    m_rejectStatus =
        m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    m_rejectPrefix = reasonPrefix;
    m_rejectBody.clear();
    m_watchdog.stop();
    if (!readBody) {
        finishRejection();
        return;
    }
    // The body usually explains the status (plain text, §0); wait for it briefly, no longer.
    m_rejectTimer.start(m_options.errorBodyWaitMs);
    onReadyRead();
}

void SseClient::finishRejection()
{
    if (!m_rejecting)
        return;
    m_rejecting = false;
    m_rejectTimer.stop();
    // The body is the server's to choose: keep it printable (no NULs, escapes or line noise
    // in a log line or a terminal).
    QString body = QString::fromUtf8(m_rejectBody.left(m_options.errorBodyMaxBytes));
    for (QChar &c : body) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            c = u' ';
    }
    body = body.simplified();
    const QString message = body.isEmpty() ? m_rejectPrefix : m_rejectPrefix + u": " + body;
    dropReply();
    m_lastError = message;
    qCWarning(lcSse).noquote() << "stream refused:" << message;
    emit errorOccurred(message);
    emit disconnected(message);

    if (m_rejectStatus == 401 && m_tokens && m_tokens->canMint()
        && m_unauthorizedInARow < maxRefreshesWithoutSuccess) {
        ++m_unauthorizedInARow;
        setState(State::Reconnecting);
        m_waitingForToken = true;
        // Someone may have refreshed while we were connecting: use that token at once.
        if (m_tokens->hasToken() && m_tokens->token() != m_usedToken
            && !m_tokens->isRefreshing()) {
            ++m_reconnectCount;
            connectNow();
        } else {
            m_tokens->refreshNow();
        }
        return;
    }
    if (m_rejectStatus == 401 && m_tokens && m_tokens->canMint())
        m_tokens->refreshNow(); // still renew, but no longer wait for it: backoff paces us now
    scheduleReconnect();
}

void SseClient::onReadyRead()
{
    if (!m_reply)
        return;
    if (m_rejecting) {
        const qint64 room = m_options.errorBodyMaxBytes - m_rejectBody.size();
        if (room > 0)
            m_rejectBody += m_reply->read(room);
        if (m_rejectBody.size() >= m_options.errorBodyMaxBytes)
            finishRejection();
        return;
    }
    if (!m_headersSeen)
        handleHeaders();
    if (m_state != State::Open || !m_reply)
        return;
    processChunk(m_reply->readAll());
}

void SseClient::processChunk(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    m_readArrivalNs = nowNs();
    m_lastByteAtNs = m_readArrivalNs;
    m_bytesReceived += chunk.size();
    m_tail = QByteArray(m_tail + chunk.right(4)).right(4);
    m_watchdog.start(m_options.watchdogMs);
    m_parser->feed(chunk);

    // Signals go out after feed() returned, so a slot that stops or restarts us never runs
    // while the parser is mid-chunk.
    if (const qint64 invalid = m_parser->invalidUtf8Values(); invalid != m_invalidUtf8Count) {
        m_invalidUtf8Count = invalid;
        // Once per connection: the text goes on (WHATWG replaces), the operator should know.
        if (!m_invalidUtf8Reported)
            m_pendingParseErrors.append(
                QStringLiteral("the stream holds invalid UTF-8 (replaced by U+FFFD): the server "
                               "or a proxy corrupts text"));
        m_invalidUtf8Reported = true;
    }
    const QStringList errors = std::exchange(m_pendingParseErrors, {});
    for (const QString &error : errors)
        emit parseError(error);
    if (!m_batch.isEmpty()) {
        const QList<StreamEvent> batch = std::exchange(m_batch, {});
        m_eventCount += batch.size();
        emit eventsReceived(batch);
    }
}

void SseClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || sender() != reply)
        return;
    if (!m_headersSeen)
        handleHeaders(); // a fast answer (e.g. 204) can finish without a separate metaDataChanged
    if (m_reply != reply)
        return; // handleHeaders() stopped or replaced the connection
    if (m_rejecting) {
        m_rejectBody += reply->readAll();
        finishRejection();
        return;
    }
    if (m_state == State::Open)
        processChunk(reply->readAll());
    if (m_reply != reply)
        return; // a slot reacted to the last events by stopping us

    QString reason;
    bool isError = false;
    if (!endsAtEventBoundary(m_tail)) {
        // Without a Content-Length Qt reports a reset like a clean end; the half event the
        // parser drops is worth saying.
        reason = reply->error() == QNetworkReply::NoError
            ? QStringLiteral("stream ended in the middle of an event (its bytes are discarded); "
                             "reconnecting")
            : QStringLiteral("network error in the middle of an event: %1")
                  .arg(networkErrorText(reply));
        isError = true;
    } else if (reply->error() == QNetworkReply::NoError) {
        // The real server never ends a stream; a clean end is a proxy or a restart. Reconnect
        // (two real runners did not, and went deaf: §8.2 item 6).
        reason = QStringLiteral("server closed the stream; reconnecting");
    } else {
        reason = QStringLiteral("network error: %1").arg(networkErrorText(reply));
        isError = true;
    }
    endConnection(reason, isError);
}

QString SseClient::watchdogReason() const
{
    const int ms = m_options.watchdogMs;
    QString text = QStringLiteral("no data for %1 s").arg(seconds(ms));
    if (ms % pingIntervalMs == 0)
        text += QStringLiteral(" (%1 ping intervals)").arg(ms / pingIntervalMs);
    return text + QStringLiteral("; reconnecting");
}

void SseClient::onWatchdog()
{
    if (m_state == State::Connecting && m_reply) {
        endConnection(QStringLiteral("no response headers within %1 s; reconnecting")
                          .arg(seconds(m_options.watchdogMs)),
                      true);
    } else if (m_state == State::Open) {
        endConnection(watchdogReason(), true);
    }
}

void SseClient::endConnection(const QString &reason, bool isError)
{
    if (m_state == State::Open && m_openSince.isValid()
        && m_openSince.elapsed() >= m_options.healthyResetMs)
        m_backoff.reset(); // it worked for a while: start again from the base delay
    dropReply();
    if (isError) {
        m_lastError = reason;
        emit errorOccurred(reason);
    }
    qCInfo(lcSse).noquote() << "stream ended:" << reason;
    emit disconnected(reason);
    if (m_state != State::Stopped) // a slot may have called stop()
        scheduleReconnect();
}

void SseClient::scheduleReconnect()
{
    const int delayMs = m_backoff.nextDelayMs();
    const int attemptNo = m_backoff.attempt();
    ++m_reconnectCount;
    setState(State::Reconnecting);
    m_reconnectTimer.start(delayMs);
    emit reconnectScheduled(delayMs, attemptNo);
}

void SseClient::onTokenChanged()
{
    if (!m_waitingForToken || m_state == State::Stopped)
        return;
    m_waitingForToken = false;
    m_reconnectTimer.stop();
    if (m_state == State::Reconnecting)
        ++m_reconnectCount;
    connectNow();
}

void SseClient::onRefreshFailed(const QString &error)
{
    if (!m_waitingForToken || m_state == State::Stopped)
        return;
    m_waitingForToken = false;
    m_lastError = error;
    emit errorOccurred(error);
    scheduleReconnect();
}

void SseClient::stopWith(const QString &reason)
{
    m_reconnectTimer.stop();
    m_waitingForToken = false;
    dropReply();
    m_stopReason = reason;
    m_lastError = reason;
    setState(State::Stopped);
    qCInfo(lcSse).noquote() << "stream stopped:" << reason;
    emit disconnected(reason);
}

void SseClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void SseClient::dropReply()
{
    m_watchdog.stop();
    m_rejectTimer.stop();
    m_rejecting = false;
    m_headersSeen = false;
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

} // namespace rcrt
