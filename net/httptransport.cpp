#include "net/httptransport.h"

#include "net/tlsaccessmanager.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QTimer>
#include <QTimerEvent>

#include <algorithm>

namespace rcrt {

namespace {

// Marks a connection whose answer is being handed out: it takes no request until `done` returns
// (a nested event loop in `done` would wait in vain for its own socket's readyRead).
constexpr quint64 kReserved = ~quint64(0);

bool isDirect(const QList<QNetworkProxy> &proxies)
{
    return proxies.isEmpty() || proxies.first().type() == QNetworkProxy::NoProxy;
}

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (const char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || QByteArrayView("()<>@,;:\\\"/[]?={}").contains(c))
            return false;
    }
    return true;
}

bool isFieldValue(QByteArrayView v)
{
    return !v.contains('\r') && !v.contains('\n') && !v.contains('\0');
}

// Runs `body` with `guard` raised, so completions inside it are handed out later.
class GuardScope
{
public:
    explicit GuardScope(int &guard)
        : m_guard(guard)
    {
        ++m_guard;
    }
    ~GuardScope() { --m_guard; }
    Q_DISABLE_COPY_MOVE(GuardScope)

private:
    int &m_guard;
};

} // namespace

HttpTransport::HttpTransport(QNetworkAccessManager *nam, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
{
}

HttpTransport::~HttpTransport()
{
    for (auto &[origin, pool] : m_pools) {
        for (HttpConnection *connection : std::as_const(pool.connections)) {
            // A `done` may destroy its client (and this) from inside a connection's socket
            // signal: that connection and its socket must outlive the signal, so they go later.
            if (connection->inSocketSignal())
                connection->setParent(nullptr);
            connection->abandon();
        }
    }
}

bool HttpTransport::isIdempotent(QByteArrayView verb)
{
    return verb == "GET" || verb == "HEAD" || verb == "PUT" || verb == "DELETE" || verb == "OPTIONS"
           || verb == "TRACE";
}

bool HttpTransport::canCarry(const QUrl &url) const
{
    if (!m_nam || url.host().isEmpty() || !url.userInfo().isEmpty())
        return false;
    const QString scheme = url.scheme();
    const bool https = scheme == QLatin1String("https");
    if (!https && scheme != QLatin1String("http"))
        return false;
    // With HSTS on, the access manager may turn http into https: leave that to it.
    if (!https && m_nam->isStrictTransportSecurityEnabled())
        return false;
    const QNetworkProxyQuery query(url);
    if (QNetworkProxyFactory *factory = m_nam->proxyFactory())
        return isDirect(factory->queryProxy(query));
    const QNetworkProxy proxy = m_nam->proxy();
    if (proxy.type() != QNetworkProxy::DefaultProxy)
        return proxy.type() == QNetworkProxy::NoProxy;
    return isDirect(QNetworkProxyFactory::proxyForQuery(query));
}

QByteArray HttpTransport::serialize(const HttpRequest &request, QString *error)
{
    if (!isToken(request.verb)) {
        *error = QStringLiteral("invalid HTTP method \"%1\"").arg(printableBytes(request.verb));
        return {};
    }
    // The request target as QNetworkAccessManager writes it: encoded, "/" for an empty path,
    // dot segments resolved.
    QUrl target = request.url;
    QUrl::FormattingOptions format
        = QUrl::FullyEncoded | QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment;
    if (target.path().isEmpty())
        target.setPath(QStringLiteral("/"));
    else
        format |= QUrl::NormalizePathSegments;
    const QByteArray path = target.toEncoded(format);
    const QByteArray host
        = request.url.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toLatin1();
    const bool length = request.sendsBody || !request.body.isEmpty();

    QByteArray out;
    out.reserve(96 + path.size() + host.size() + request.body.size() + 64 * request.headers.size());
    out.append(request.verb).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    // No content codings: the answer is read as sent (a coded one is refused).
    out.append("\r\nAccept-Encoding: identity\r\n");
    for (const auto &[name, value] : request.headers) {
        if (!isToken(name) || !isFieldValue(value)) {
            *error
                = QStringLiteral("invalid HTTP header \"%1\": a name must be a token and a value "
                                 "must not hold a line break")
                      .arg(printableBytes(name));
            return {};
        }
        out.append(name).append(": ").append(value).append("\r\n");
    }
    if (length)
        out.append("Content-Length: ")
            .append(QByteArray::number(request.body.size()))
            .append("\r\n");
    out.append("\r\n").append(request.body);
    return out;
}

int HttpTransport::openConnections() const
{
    int n = 0;
    for (const auto &[origin, pool] : m_pools)
        n += int(pool.connections.size());
    return n;
}

HttpTransport::Exchange *HttpTransport::find(quint64 id) const
{
    const auto it = m_exchanges.find(id);
    return it == m_exchanges.end() ? nullptr : it->second.get();
}

quint64 HttpTransport::send(HttpRequest request, Done done)
{
    const GuardScope guard(m_guard);
    auto exchange = std::make_unique<Exchange>();
    Exchange *e = exchange.get();
    e->id = ++m_nextId;
    e->done = std::move(done);
    e->head = request.verb == "HEAD";
    e->idempotent = isIdempotent(request.verb);
    e->timeoutMs = request.timeoutMs;
    e->startMs = HttpConnection::monotonicMs();
    const bool https = request.url.scheme() == QLatin1String("https");
    e->origin = HttpOrigin {https, request.url.host(), quint16(request.url.port(https ? 443 : 80))};
    m_exchanges.emplace(e->id, std::move(exchange));

    QString error;
    e->bytes = serialize(request, &error);
    if (e->bytes.isEmpty()) {
        HttpAnswer answer;
        answer.error = error;
        const quint64 id = e->id;
        complete(id, std::move(answer), nullptr);
        return id;
    }
    if (e->timeoutMs > 0)
        armWatchdog(e->timeoutMs);
    if (https)
        m_tlsGeneration = tlsPolicyGeneration(m_nam);
    m_pools[e->origin].waiting.push_back(e->id);
    const quint64 id = e->id;
    dispatch(e->origin);
    return id;
}

void HttpTransport::cancel(quint64 id)
{
    Exchange *e = find(id);
    if (!e)
        return;
    const GuardScope guard(m_guard);
    const HttpOrigin origin = e->origin;
    if (HttpConnection *connection = e->connection) {
        // Its answer may still come and would be taken for the next request's: close it.
        connection->setTag(0);
        drop(connection);
    } else {
        std::deque<quint64> &waiting = m_pools[origin].waiting;
        std::erase(waiting, id);
    }
    m_exchanges.erase(id);
    dispatch(origin); // a dropped connection leaves room for a waiting request
}

void HttpTransport::dispatch(const HttpOrigin &origin)
{
    const auto it = m_pools.find(origin);
    if (it == m_pools.end())
        return;
    Pool &pool = it->second; // unordered_map nodes stay put; pools are never removed
    const GuardScope guard(m_guard);
    while (!pool.waiting.empty()) {
        Exchange *e = find(pool.waiting.front());
        if (!e) {
            pool.waiting.pop_front();
            continue;
        }
        HttpConnection *connection = takeIdle(pool);
        if (!connection) {
            if (pool.connections.size() >= kMaxConnectionsPerOrigin)
                return;
            connection = open(pool, origin);
        }
        pool.waiting.pop_front();
        e->connection = connection;
        e->reused = connection->exchangesDone() > 0;
        connection->setTag(e->id);
        connection->start(e->bytes, e->head);
    }
}

HttpConnection *HttpTransport::takeIdle(Pool &pool)
{
    const qint64 now = HttpConnection::monotonicMs();
    for (;;) {
        // The most recently used idle connection: the one most likely still open.
        HttpConnection *best = nullptr;
        for (HttpConnection *c : std::as_const(pool.connections)) {
            if (!c->isBusy() && c->tag() == 0 && (!best || c->idleSinceMs() > best->idleSinceMs()))
                best = c;
        }
        if (!best)
            return nullptr;
        const bool stale = now - best->idleSinceMs() > kMaxIdleMs
                           || (best->origin().tls && best->tlsGeneration() != m_tlsGeneration);
        if (!stale && best->canTakeRequest())
            return best;
        drop(best);
    }
}

HttpConnection *HttpTransport::open(Pool &pool, const HttpOrigin &origin)
{
    auto *connection
        = new HttpConnection(origin, origin.tls ? sslConfigurationFor(m_nam) : QSslConfiguration(),
                             m_limits, m_tlsGeneration, this);
    connection->setFinishedHandler([this](HttpConnection *c) { onFinished(c); });
    connection->setClosedHandler([this](HttpConnection *c) { drop(c); });
    pool.connections.append(connection);
    ++m_opened;
    return connection;
}

void HttpTransport::drop(HttpConnection *connection)
{
    const auto it = m_pools.find(connection->origin());
    if (it != m_pools.end())
        it->second.connections.removeOne(connection);
    connection->abandon();
}

void HttpTransport::onFinished(HttpConnection *connection)
{
    const quint64 id = connection->tag();
    connection->setTag(0);
    Exchange *e = find(id);
    if (!e) {
        drop(connection);
        return;
    }
    e->connection = nullptr;
    const HttpConnection::Failure failure = connection->failure();
    // Nothing of an answer came on a connection that had served before: the server most likely
    // closed it while the request was on its way.
    const bool stale = e->reused && !connection->answerStarted()
                       && (failure == HttpConnection::Failure::ClosedBeforeAnswer
                           || failure == HttpConnection::Failure::Broken);
    const bool safe = e->idempotent || !connection->requestWritten();
    if (stale && safe && !e->retried) {
        e->retried = true;
        ++m_retries;
        const HttpOrigin origin = e->origin;
        drop(connection);
        m_pools[origin].waiting.push_front(id);
        dispatch(origin);
        return;
    }
    HttpAnswer answer;
    HttpConnection *keep = nullptr;
    if (failure == HttpConnection::Failure::None) {
        HttpResponseParser &parser = connection->parser();
        answer.status = parser.status();
        answer.body = parser.takeBody();
        answer.location = parser.location();
        if (connection->reusable())
            keep = connection;
    } else {
        answer.error = connection->errorText();
        if (stale && !safe)
            answer.error
                += QStringLiteral(" (a %1 is never sent twice: the server may have done it)")
                       .arg(QString::fromLatin1(e->bytes.first(e->bytes.indexOf(' '))));
    }
    if (!keep)
        drop(connection);
    complete(id, std::move(answer), keep);
}

void HttpTransport::armWatchdog(int timeoutMs)
{
    const int tick = std::clamp(timeoutMs / 4, 5, 1000);
    if (m_watchdog.isActive() && m_watchdogMs <= tick)
        return;
    m_watchdogMs = tick;
    m_watchdog.start(tick, this);
}

void HttpTransport::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_watchdog.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    // Like QNetworkRequest's transfer timeout: the time without any progress.
    const qint64 now = HttpConnection::monotonicMs();
    QList<quint64> expired;
    bool anyTimeout = false;
    for (const auto &[id, e] : m_exchanges) {
        if (e->timeoutMs <= 0)
            continue;
        anyTimeout = true;
        const qint64 last
            = std::max(e->startMs, e->connection ? e->connection->lastProgressMs() : 0);
        if (now - last >= e->timeoutMs)
            expired.append(id);
    }
    if (!anyTimeout) {
        m_watchdog.stop();
        m_watchdogMs = 0;
    }
    // One by one: a `done` may cancel or start requests, or destroy this transport.
    const QPointer<HttpTransport> self(this);
    for (const quint64 id : std::as_const(expired)) {
        if (!self)
            return;
        if (Exchange *e = find(id))
            timeOut(e);
    }
}

void HttpTransport::timeOut(Exchange *e)
{
    if (HttpConnection *connection = e->connection) {
        connection->setTag(0);
        e->connection = nullptr;
        drop(connection);
    } else {
        std::erase(m_pools[e->origin].waiting, e->id);
    }
    HttpAnswer answer;
    answer.timedOut = true;
    answer.error = QStringLiteral("timed out after %1 ms").arg(e->timeoutMs);
    complete(e->id, std::move(answer), nullptr);
}

void HttpTransport::complete(quint64 id, HttpAnswer answer, HttpConnection *keep)
{
    auto node = m_exchanges.extract(id);
    if (node.empty())
        return;
    Done done = std::move(node.mapped()->done);
    const HttpOrigin origin = node.mapped()->origin;
    node = {};
    if (m_guard > 0) {
        // Inside send(), cancel() or a dispatch: the caller must see `done` later.
        QTimer::singleShot(0, this, [done = std::move(done), answer = std::move(answer)]() mutable {
            done(std::move(answer));
        });
        return;
    }
    if (keep)
        keep->setTag(kReserved);
    const QPointer<HttpTransport> self(this);
    const QPointer<HttpConnection> kept(keep);
    done(std::move(answer)); // may start requests, cancel others, or destroy this transport
    if (!self)
        return;
    if (kept && kept->tag() == kReserved)
        kept->setTag(0);
    dispatch(origin);
}

} // namespace rcrt
