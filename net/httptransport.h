#pragma once

#include "net/httpconnection.h"
#include "net/httpresponseparser.h"

#include <QBasicTimer>
#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

class QNetworkAccessManager;

namespace rcrt {

struct HttpRequest
{
    QByteArray verb;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // sent as given, after Host
    QByteArray body;
    bool sendsBody = false; // Content-Length even for an empty body (POST, PATCH, PUT)
    // No progress (connected, bytes arrived) for this long → timed out, noticed within a
    // quarter of it more; 0: no limit.
    int timeoutMs = 0;
};

struct HttpAnswer
{
    int status = 0; // 0: no complete HTTP answer (see error)
    QByteArray body;
    QByteArray location; // of a redirect
    QString error; // why there is no answer; empty when status != 0
    bool timedOut = false;
};

// A lean HTTP/1.1 client for RestClient (issue 7: the write acknowledgement of the local bus).
// QNetworkAccessManager costs ~0.25 ms per call on loopback: its HTTP thread, queued hops each
// way, reply objects, and a read syscall per header byte. This runs on the caller's thread from
// its event loop: the request is written before send() returns when a kept-alive connection is
// idle, and `done` runs straight from the socket's readyRead.
//
// - Up to kMaxConnectionsPerOrigin kept-alive connections per origin; more requests wait in
//   order. An idle connection is checked before reuse (the server may have closed it) and is
//   not reused after kMaxIdleMs.
// - A request that fails on a reused connection before any byte of the answer arrived is sent
//   once more on a new connection when that is safe: idempotent methods (GET, HEAD, PUT, DELETE,
//   OPTIONS), or a request of which no byte went out. A POST or PATCH is never sent twice.
// - Answers are bounded (HttpLimits), framed by Content-Length, chunked or the close; anything
//   else is an error with a clear text. No proxy support (canCarry() says no, and RestClient
//   keeps QNetworkAccessManager for those), no redirects followed (the answer carries Location).
// - https uses the TLS policy of the access manager (net/tlsaccessmanager) and drops
//   connections made under an older one.
class HttpTransport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpTransport)

public:
    using Done = std::function<void(HttpAnswer answer)>;
    static constexpr int kMaxConnectionsPerOrigin = 6;
    static constexpr qint64 kMaxIdleMs = 20000;

    // nam (not owned) is asked for the proxy and TLS settings; it sends nothing.
    explicit HttpTransport(QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~HttpTransport() override;

    void setLimits(const HttpLimits &limits) { m_limits = limits; }
    const HttpLimits &limits() const { return m_limits; }

    // http or https, no user info, and no proxy applies to it on the access manager.
    bool canCarry(const QUrl &url) const;
    // Starts a request; returns its id for cancel(). `done` runs exactly once, never from inside
    // send() or cancel(), unless the request is cancelled or this transport is destroyed first.
    quint64 send(HttpRequest request, Done done);
    void cancel(quint64 id);

    int connectionsOpened() const { return m_opened; }
    int openConnections() const;
    int requestsRetried() const { return m_retries; }

    static bool isIdempotent(QByteArrayView verb);
    // The request as bytes; empty with *error when a verb, name or value could split it.
    static QByteArray serialize(const HttpRequest &request, QString *error);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct Exchange
    {
        quint64 id = 0;
        HttpOrigin origin;
        QByteArray bytes;
        bool head = false;
        bool idempotent = false;
        int timeoutMs = 0;
        qint64 startMs = 0;
        HttpConnection *connection = nullptr;
        bool reused = false; // the connection had carried an exchange before
        bool retried = false;
        Done done;
    };
    struct Pool
    {
        QList<HttpConnection *> connections;
        std::deque<quint64> waiting;
    };

    void dispatch(const HttpOrigin &origin);
    HttpConnection *takeIdle(Pool &pool);
    HttpConnection *open(Pool &pool, const HttpOrigin &origin);
    void drop(HttpConnection *connection);
    void onFinished(HttpConnection *connection);
    void armWatchdog(int timeoutMs);
    void timeOut(Exchange *exchange);
    // Removes the exchange and runs its `done` (later when inside send() or cancel()).
    void complete(quint64 id, HttpAnswer answer, HttpConnection *keep);
    Exchange *find(quint64 id) const;

    QPointer<QNetworkAccessManager> m_nam;
    HttpLimits m_limits;
    std::unordered_map<HttpOrigin, Pool, HttpOriginHash> m_pools;
    std::unordered_map<quint64, std::unique_ptr<Exchange>> m_exchanges;
    // One timer for every timeout, ticking only while requests with a timeout are in flight: a
    // timer per request costs a registration and a removal in Qt's timer list each time.
    QBasicTimer m_watchdog;
    int m_watchdogMs = 0;
    quint64 m_nextId = 0;
    quint64 m_tlsGeneration = 0;
    int m_guard = 0; // > 0 inside send(), cancel() or a dispatch: `done` must wait
    int m_opened = 0;
    int m_retries = 0;
};

} // namespace rcrt
