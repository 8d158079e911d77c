#include "net/httpconnection.h"

#include "net/tlsaccessmanager.h"

#include <QHash>
#include <QSslSocket>
#include <QTcpSocket>

#include <chrono>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#endif

namespace rcrt {

size_t HttpOriginHash::operator()(const HttpOrigin &origin) const noexcept
{
    return qHashMulti(0, origin.tls, origin.host, origin.port);
}

qint64 HttpConnection::monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

HttpConnection::HttpConnection(const HttpOrigin &origin, const QSslConfiguration &tls,
                               const HttpLimits &limits, quint64 tlsGeneration, QObject *parent)
    : QObject(parent)
    , m_origin(origin)
    , m_tlsGeneration(tlsGeneration)
    , m_parser(limits)
{
    // Every handler may end in the owner's callbacks, which may destroy the owner: counted, so
    // the owner knows to leave this object (and its socket) alive until the signal returns.
    auto counted = [this](void (HttpConnection::*handler)()) {
        return [this, handler] {
            ++m_signalDepth;
            (this->*handler)();
            --m_signalDepth;
        };
    };
    if (origin.tls) {
        auto *ssl = new QSslSocket(this);
        QSslConfiguration config = tls;
        config.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        ssl->setSslConfiguration(config);
        connect(ssl, &QSslSocket::encrypted, this, counted(&HttpConnection::onReady));
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            m_certificateProblems = certificateProblems(errors);
        });
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
    }
    connect(m_socket, &QAbstractSocket::connected, this, counted(&HttpConnection::onConnected));
    connect(m_socket, &QIODevice::readyRead, this, counted(&HttpConnection::onReadyRead));
    connect(m_socket, &QAbstractSocket::errorOccurred, this,
            counted(&HttpConnection::onSocketError));
    connect(m_socket, &QAbstractSocket::disconnected, this, counted(&HttpConnection::onClosed));
}

HttpConnection::~HttpConnection()
{
    // The socket's own teardown must not reach handlers of an owner that may be going too.
    disconnect(m_socket, nullptr, this, nullptr);
}

void HttpConnection::start(QByteArray request, bool headRequest)
{
    Q_ASSERT(!m_busy);
    m_busy = true;
    m_written = false;
    m_reusable = false;
    m_failure = Failure::None;
    m_error.clear();
    m_parser.reset(headRequest);
    m_request = std::move(request);
    m_lastProgressMs = monotonicMs();
    if (m_ready) {
        writeRequest();
        return;
    }
    if (m_connecting)
        return;
    m_connecting = true;
    if (m_origin.tls)
        static_cast<QSslSocket *>(m_socket)->connectToHostEncrypted(m_origin.host, m_origin.port);
    else
        m_socket->connectToHost(m_origin.host, m_origin.port);
}

void HttpConnection::onConnected()
{
    // Requests are small and answers wait for them: never hold a segment back (Nagle).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_origin.tls)
        onReady();
}

void HttpConnection::onReady()
{
    m_ready = true;
    m_lastProgressMs = monotonicMs();
    if (m_busy && !m_written)
        writeRequest();
}

void HttpConnection::writeRequest()
{
    m_written = true;
    const QByteArray request = std::exchange(m_request, {});
    // flush() hands the bytes to the kernel now instead of on the next event-loop pass. A write
    // error surfaces through errorOccurred, possibly from inside this call.
    if (m_socket->write(request) == request.size())
        m_socket->flush();
}

bool HttpConnection::canTakeRequest() const
{
    if (m_busy || m_closed || !m_ready || !m_reusable
        || m_socket->state() != QAbstractSocket::ConnectedState || m_socket->bytesAvailable() > 0)
        return false;
#ifdef Q_OS_UNIX
    // The server may have closed this idle connection a moment ago: its FIN is in the kernel but
    // the event loop has not told us yet. Sending a POST into it would leave us not knowing
    // whether it was done, so look first (one non-blocking peek).
    const auto fd = int(m_socket->socketDescriptor());
    if (fd < 0)
        return false;
    char byte = 0;
    const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0)
        return false; // closed
    if (n > 0)
        return m_origin.tls; // plain HTTP: bytes nobody asked for; TLS: maybe a session ticket
    return errno == EAGAIN || errno == EWOULDBLOCK;
#else
    return true;
#endif
}

void HttpConnection::onReadyRead()
{
    m_lastProgressMs = monotonicMs();
    if (!m_busy) {
        // Bytes between exchanges: the server is out of step with us; never reuse this one.
        m_socket->readAll();
        m_reusable = false;
        return;
    }
    char buffer[16 * 1024];
    for (;;) {
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n <= 0)
            return;
        const qsizetype used = m_parser.feed(QByteArrayView(buffer, n));
        if (m_parser.state() == HttpResponseParser::State::Error) {
            finish(Failure::Broken, m_parser.error());
            return;
        }
        if (m_parser.state() == HttpResponseParser::State::Done) {
            // More bytes than the answer: the next "answer" would be garbage.
            const bool extra = used < n || m_socket->bytesAvailable() > 0;
            m_reusable = m_parser.keepAlive() && !extra;
            finish(Failure::None, {});
            return;
        }
    }
}

void HttpConnection::onSocketError()
{
    const QAbstractSocket::SocketError error = m_socket->error();
    if (error == QAbstractSocket::RemoteHostClosedError) {
        onClosed();
        return;
    }
    if (!noteClosed())
        return;
    const bool handshaking
        = m_origin.tls && !m_ready && m_socket->state() == QAbstractSocket::ConnectedState;
    if (error == QAbstractSocket::SslHandshakeFailedError || handshaking) {
        finish(Failure::Tls, withCertificateProblems(QStringLiteral("SSL handshake failed: ")
                                                         + m_socket->errorString(),
                                                     m_certificateProblems));
        return;
    }
    if (error == QAbstractSocket::HostNotFoundError) {
        finish(Failure::Connect, QStringLiteral("Host %1 not found").arg(m_origin.host));
        return;
    }
    finish(m_ready ? Failure::Broken : Failure::Connect, m_socket->errorString());
}

bool HttpConnection::noteClosed()
{
    m_closed = true;
    if (m_busy)
        return true;
    if (m_onClosed)
        m_onClosed(this);
    return false;
}

void HttpConnection::onClosed()
{
    if (m_closed || !noteClosed())
        return;
    // Whatever arrived before the close belongs to the answer.
    if (m_socket->bytesAvailable() > 0) {
        const QByteArray rest = m_socket->readAll();
        m_parser.feed(rest);
    }
    if (m_parser.state() == HttpResponseParser::State::NeedMore)
        m_parser.closed();
    if (m_parser.state() == HttpResponseParser::State::Done) {
        m_reusable = false;
        finish(Failure::None, {});
        return;
    }
    finish(m_parser.started() ? Failure::Broken : Failure::ClosedBeforeAnswer, m_parser.error());
}

void HttpConnection::finish(Failure failure, const QString &error)
{
    if (!m_busy)
        return;
    m_busy = false;
    m_failure = failure;
    m_error = error;
    if (failure != Failure::None)
        m_reusable = false;
    ++m_exchanges;
    m_idleSinceMs = monotonicMs();
    if (m_onFinished)
        m_onFinished(this); // last: the owner may abandon this connection or start another exchange
}

void HttpConnection::abandon()
{
    m_onFinished = nullptr;
    m_onClosed = nullptr;
    m_busy = false;
    m_closed = true;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    deleteLater();
}

} // namespace rcrt
