#include "support/hostileserver.h"

#include "support/simprocess.h"

#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QSslKey>
#include <QProcess>
#include <QSslServer>
#include <QTcpSocket>
#include <QUuid>

#include <sys/socket.h>
#include <unistd.h>

namespace rcrt::test {

namespace {
constexpr qint64 kPumpHighWater = 1 << 20;
} // namespace

SseClientOptions fastReconnectOptions(quint32 seed)
{
    SseClientOptions options;
    options.backoff.initialMs = 100;
    options.backoff.capMs = 300;
    options.backoffSeed = seed;
    return options;
}

QByteArray breadcrumbEventJson(int n, const QByteArray &tag)
{
    const QByteArray id = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const QByteArray at =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    return "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + id
        + "\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"" + tag
        + "\"],\"schema_name\":\"hostile.v1\",\"updated_at\":\"" + at + "\",\"context\":{\"n\":"
        + QByteArray::number(n) + "}}";
}

QByteArray sseFrame(const QByteArray &json)
{
    return "data: " + json + "\n\n";
}

HostileConnection::HostileConnection(QTcpSocket *socket, int index, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_index(index)
{
    connect(socket, &QTcpSocket::bytesWritten, this, &HostileConnection::pumpMore);
    connect(&m_dripTimer, &QTimer::timeout, this, [this] {
        if (m_drip.isEmpty() || !isOpen()) {
            m_dripTimer.stop();
            return;
        }
        send(m_drip.left(1));
        m_drip.remove(0, 1);
    });
}

bool HostileConnection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HostileConnection::send(const QByteArray &bytes)
{
    if (isOpen())
        m_socket->write(bytes);
}

void HostileConnection::sendHead(const QByteArray &statusLine, const QList<QByteArray> &headers)
{
    QByteArray head = "HTTP/1.1 " + statusLine + "\r\n";
    for (const QByteArray &header : headers)
        head += header + "\r\n";
    send(head + "\r\n");
}

void HostileConnection::sendStreamHead(const QByteArray &contentType,
                                       const QList<QByteArray> &extraHeaders)
{
    QList<QByteArray> headers{"Content-Type: " + contentType, "Cache-Control: no-cache",
                              "Connection: close"};
    sendHead("200 OK", headers + extraHeaders);
}

void HostileConnection::sendAnswer(const QByteArray &statusLine, const QByteArray &contentType,
                                   const QByteArray &body, const QList<QByteArray> &extraHeaders)
{
    QList<QByteArray> headers{"Content-Length: " + QByteArray::number(body.size()),
                              "Connection: close"};
    if (!contentType.isEmpty())
        headers.prepend("Content-Type: " + contentType);
    sendHead(statusLine, headers + extraHeaders);
    send(body);
    if (isOpen())
        m_socket->disconnectFromHost();
}

void HostileConnection::pump(std::function<QByteArray()> next)
{
    m_next = std::move(next);
    pumpMore();
}

void HostileConnection::pumpMore()
{
    while (m_next && isOpen() && m_socket->bytesToWrite() < kPumpHighWater) {
        const QByteArray chunk = m_next();
        if (chunk.isEmpty()) {
            m_next = nullptr;
            return;
        }
        m_socket->write(chunk);
    }
}

void HostileConnection::drip(const QByteArray &bytes, int intervalMs)
{
    m_drip = bytes;
    m_dripTimer.start(intervalMs);
}

void HostileConnection::behave(int events)
{
    sendStreamHead();
    QByteArray body = sseFrame("{\"type\":\"ping\",\"ts\":\""
                               + QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toLatin1()
                               + "\"}");
    for (int i = 0; i < events; ++i)
        body += sseFrame(breadcrumbEventJson(i, "recovered"));
    send(body);
}

void HostileConnection::reset()
{
    m_dripTimer.stop();
    m_next = nullptr;
    if (!m_socket)
        return;
    m_socket->flush();
    // Linger 0: close() sends RST instead of FIN, whatever is still queued.
    const struct linger hard{1, 0};
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    m_socket->abort();
}

void HostileConnection::close()
{
    m_dripTimer.stop();
    m_next = nullptr;
    if (m_socket)
        m_socket->disconnectFromHost();
}

HostileServer::HostileServer(Script script, QObject *parent)
    : QObject(parent)
    , m_script(std::move(script))
{
}

bool HostileServer::listen()
{
    m_server = std::make_unique<QTcpServer>();
    connect(m_server.get(), &QTcpServer::newConnection, this, &HostileServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost);
}

bool HostileServer::listenTls(const QSslConfiguration &configuration)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(configuration);
    // A client that refuses our certificate is the point of some tests, not a failure here.
    server->setHandshakeTimeout(5000);
    m_server = std::move(server);
    m_tls = true;
    // A TLS connection becomes pending only after its handshake (Qt 6.4).
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HostileServer::onNewConnection);
    return m_server->listen(QHostAddress::LocalHost);
}

QUrl HostileServer::url() const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2")
                    .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
                    .arg(m_server ? m_server->serverPort() : 0));
}

void HostileServer::onRequest(QTcpSocket *socket, const QByteArray &head)
{
    m_heads.append(head);
    if (m_answerRest && !head.startsWith("GET /events/stream")) {
        HostileConnection rest(socket, -1, nullptr);
        rest.sendAnswer("200 OK", "application/json", "[]");
        return;
    }
    auto *connection = new HostileConnection(socket, m_count++, socket);
    connection->setRequestHead(head);
    m_script(*connection);
}

void HostileServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(this);
        auto *buffer = new QByteArray;
        // The socket as context: when the server goes, its sockets die after its own
        // connections are gone, and the buffer must still be freed.
        connect(socket, &QObject::destroyed, socket, [buffer] { delete buffer; });
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            if (buffer->endsWith("\r\n\r\n")) {
                socket->readAll(); // answered already; a request body is of no interest
                return;
            }
            *buffer += socket->readAll();
            if (!buffer->endsWith("\r\n\r\n"))
                return;
            onRequest(socket, *buffer);
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

bool TestCertificates::generate(const QString &dir, QString *error)
{
    caFile = dir + QStringLiteral("/ca.pem");
    certFile = dir + QStringLiteral("/server.pem");
    keyFile = dir + QStringLiteral("/server.key");
    const QString caKey = dir + QStringLiteral("/ca.key");
    const QString csr = dir + QStringLiteral("/server.csr");
    const QString ext = dir + QStringLiteral("/server.ext");
    QFile extFile(ext);
    if (!extFile.open(QIODevice::WriteOnly)
        || extFile.write("basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n") < 0)
        return false;
    extFile.close();
    const QStringList ec{QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                         QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
    const QList<QStringList> steps{
        QStringList{QStringLiteral("req"), QStringLiteral("-x509")} + ec
            + QStringList{QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), caFile,
                          QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                          QStringLiteral("/CN=RCRT Console Test CA")},
        QStringList{QStringLiteral("req")} + ec
            + QStringList{QStringLiteral("-keyout"), keyFile, QStringLiteral("-out"), csr,
                          QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1")},
        {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
         QStringLiteral("-CA"), caFile, QStringLiteral("-CAkey"), caKey,
         QStringLiteral("-CAcreateserial"), QStringLiteral("-out"), certFile,
         QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), ext},
    };
    for (const QStringList &args : steps) {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), args);
        if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit
            || openssl.exitCode() != 0) {
            if (error)
                *error = QStringLiteral("openssl %1 failed: %2")
                             .arg(args.first(), QString::fromLocal8Bit(openssl.readAllStandardError()));
            return false;
        }
    }
    return true;
}

QSslConfiguration TestCertificates::serverConfiguration() const
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    QFile cert(certFile);
    QFile key(keyFile);
    if (cert.open(QIODevice::ReadOnly))
        config.setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
    if (key.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients present no certificate
    return config;
}

TapRun runTapAlongside(const QStringList &args, int timeoutMs)
{
    QProcess tap;
    QEventLoop loop;
    QObject::connect(&tap, &QProcess::finished, &loop, &QEventLoop::quit);
    QObject::connect(&tap, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    tap.start(tapPath(), args);
    tap.closeWriteChannel();
    loop.exec();
    TapRun run;
    if (tap.state() != QProcess::NotRunning) {
        tap.kill();
        tap.waitForFinished(3000);
    } else if (tap.exitStatus() == QProcess::NormalExit) {
        run.exitCode = tap.exitCode();
    }
    run.out = tap.readAllStandardOutput();
    run.err = tap.readAllStandardError();
    return run;
}

qint64 currentRssBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

} // namespace rcrt::test
