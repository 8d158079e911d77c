#pragma once

#include "net/httpresponseparser.h"

#include <QByteArray>
#include <QObject>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>

#include <functional>

class QTcpSocket;

namespace rcrt {

// Where a connection goes: plain or TLS, host and port.
struct HttpOrigin
{
    bool tls = false;
    QString host;
    quint16 port = 0;

    friend bool operator==(const HttpOrigin &, const HttpOrigin &) = default;
};

struct HttpOriginHash
{
    size_t operator()(const HttpOrigin &origin) const noexcept;
};

// One HTTP/1.1 connection to one origin, kept alive between exchanges. It lives on its owner's
// thread and runs from that thread's event loop (no thread of its own, no queued hops): start()
// writes the request at once when connected, and the answer is parsed as it is read. One exchange
// at a time; the finished handler runs once per exchange, as the last thing the connection does,
// with the outcome readable from this object. HttpTransport pools these.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    enum class Failure {
        None,
        Connect, // no connection (refused, unreachable, host not found)
        Tls, // the TLS handshake failed
        ClosedBeforeAnswer, // not one byte of an answer arrived
        Broken // a malformed, oversized or cut answer, or a socket error mid-exchange
    };

    // `tls` is used when origin.tls.
    HttpConnection(const HttpOrigin &origin, const QSslConfiguration &tls, const HttpLimits &limits,
                   quint64 tlsGeneration, QObject *parent = nullptr);
    ~HttpConnection() override;

    void setFinishedHandler(std::function<void(HttpConnection *)> handler)
    {
        m_onFinished = std::move(handler);
    }
    // The connection went away while idle (the server closed it).
    void setClosedHandler(std::function<void(HttpConnection *)> handler)
    {
        m_onClosed = std::move(handler);
    }

    const HttpOrigin &origin() const { return m_origin; }
    quint64 tlsGeneration() const { return m_tlsGeneration; }
    // What the owner keeps about the exchange in flight.
    quint64 tag() const { return m_tag; }
    void setTag(quint64 tag) { m_tag = tag; }

    // Starts one exchange; `request` is the whole request as bytes. Connects first if needed.
    void start(QByteArray request, bool headRequest);
    bool isBusy() const { return m_busy; }
    // Idle and still good for a request: connected, nothing unread, and the server has not
    // closed it (a close that the event loop has not seen yet is looked for in the kernel).
    bool canTakeRequest() const;
    int exchangesDone() const { return m_exchanges; }
    qint64 idleSinceMs() const { return m_idleSinceMs; } // monotonic clock
    qint64 lastProgressMs() const { return m_lastProgressMs; } // connected, or bytes arrived
    // Closes at once; no handler runs afterwards; deletes itself later.
    void abandon();
    // Whether a socket signal of this connection is on the stack (then it must not be deleted).
    bool inSocketSignal() const { return m_signalDepth > 0; }

    // The exchange that just finished.
    Failure failure() const { return m_failure; }
    QString errorText() const { return m_error; }
    bool requestWritten() const { return m_written; }
    bool answerStarted() const { return m_parser.started(); }
    HttpResponseParser &parser() { return m_parser; }
    // Whether it may carry another exchange (a complete keep-alive answer and nothing more).
    bool reusable() const { return m_reusable; }

    static qint64 monotonicMs();

private:
    void onConnected();
    void onReady();
    void onReadyRead();
    void onSocketError();
    void onClosed();
    // Marks the socket gone; true when an exchange waits for it (else the owner is told).
    bool noteClosed();
    void writeRequest();
    void finish(Failure failure, const QString &error);

    HttpOrigin m_origin;
    quint64 m_tlsGeneration = 0;
    QTcpSocket *m_socket = nullptr;
    HttpResponseParser m_parser;
    QByteArray m_request;
    QStringList m_certificateProblems;
    std::function<void(HttpConnection *)> m_onFinished;
    std::function<void(HttpConnection *)> m_onClosed;
    quint64 m_tag = 0;
    bool m_connecting = false;
    bool m_ready = false; // connected (and encrypted for TLS)
    bool m_busy = false;
    bool m_written = false;
    bool m_closed = false;
    bool m_reusable = false;
    Failure m_failure = Failure::None;
    QString m_error;
    int m_exchanges = 0;
    int m_signalDepth = 0;
    qint64 m_idleSinceMs = 0;
    qint64 m_lastProgressMs = 0;
};

} // namespace rcrt
