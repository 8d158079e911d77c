#pragma once

#include "net/sseclient.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QStringList>
#include <QTcpServer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

class QTcpSocket;

namespace rcrt::test {

// One accepted connection of a HostileServer, after its request head arrived. The script
// decides what the peer sees, byte by byte if need be.
class HostileConnection final : public QObject
{
    Q_OBJECT

public:
    HostileConnection(QTcpSocket *socket, int index, QObject *parent);

    int index() const { return m_index; }
    const QByteArray &requestHead() const { return m_requestHead; }
    bool isOpen() const;

    // Raw bytes, as they are.
    void send(const QByteArray &bytes);
    // "HTTP/1.1 <status>" plus headers (each "Name: value") and the blank line.
    void sendHead(const QByteArray &statusLine, const QList<QByteArray> &headers);
    // A 200 text/event-stream head, Connection: close (no length: the stream ends on close).
    void sendStreamHead(const QByteArray &contentType = "text/event-stream",
                        const QList<QByteArray> &extraHeaders = {});
    // A complete answer with a body and its Content-Length, then close.
    void sendAnswer(const QByteArray &statusLine, const QByteArray &contentType,
                    const QByteArray &body, const QList<QByteArray> &extraHeaders = {});
    // Writes what next() returns whenever less than 1 MiB waits in the socket, so a huge
    // answer never sits in this process's memory; an empty chunk ends the pump.
    void pump(std::function<QByteArray()> next);
    // One byte of `bytes` every intervalMs.
    void drip(const QByteArray &bytes, int intervalMs);
    // Normal SSE: a ping and `events` breadcrumb events, then the stream stays open.
    void behave(int events = 3);
    // TCP reset (SO_LINGER 0), as a crashed peer or a killing proxy would do.
    void reset();
    void close();

    void setRequestHead(const QByteArray &head) { m_requestHead = head; }

private:
    void pumpMore();

    QPointer<QTcpSocket> m_socket;
    int m_index = 0;
    QByteArray m_requestHead;
    std::function<QByteArray()> m_next;
    QTimer m_dripTimer;
    QByteArray m_drip;
};

// A raw-socket HTTP server on 127.0.0.1 for the answers rcrt-sim will not give: endless lines,
// resets mid-frame, lying encodings. `script` runs once per connection, numbered from 0, so a
// test can misbehave first and behave on the reconnect.
class HostileServer final : public QObject
{
    Q_OBJECT

public:
    using Script = std::function<void(HostileConnection &connection)>;

    explicit HostileServer(Script script, QObject *parent = nullptr);
    bool listen();
    // https on 127.0.0.1 with this configuration (certificate and key).
    bool listenTls(const QSslConfiguration &configuration);
    QUrl url() const;
    // Stream requests seen (the script's connections); REST requests are not counted.
    int connectionCount() const { return m_count; }
    QList<QByteArray> requestHeads() const { return m_heads; }
    // Answer requests other than GET /events/stream with 200 [] (a backfill finds nothing),
    // without running the script. On by default.
    void setAnswerRest(bool on) { m_answerRest = on; }

private:
    void onNewConnection();
    void onRequest(QTcpSocket *socket, const QByteArray &head);

    std::unique_ptr<QTcpServer> m_server;
    Script m_script;
    int m_count = 0;
    bool m_tls = false;
    bool m_answerRest = true;
    QList<QByteArray> m_heads;
};

// A private CA and a server certificate it signed for 127.0.0.1 (openssl CLI, P-256 keys),
// written to `dir`: the CA file a client may be given, and what a TLS HostileServer presents.
struct TestCertificates
{
    bool generate(const QString &dir, QString *error);
    QSslConfiguration serverConfiguration() const;
    QString caFile; // PEM of the CA
    QString certFile; // PEM of the server certificate
    QString keyFile; // its private key
};

// Runs rcrt-tap with args while this thread's event loop keeps running (an in-process server
// can answer it). Kills it after timeoutMs. exitCode -1 when it did not exit by itself.
struct TapRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
TapRun runTapAlongside(const QStringList &args, int timeoutMs = 20000);
// Resident set size of this process in bytes (/proc/self/statm), 0 when unknown.
qint64 currentRssBytes();

// SseClient options for tests against a HostileServer: reconnects within 100-300 ms.
SseClientOptions fastReconnectOptions(quint32 seed = 7);

// One RCRT breadcrumb.updated payload (update key order) with a fresh id; `tag` goes in tags.
QByteArray breadcrumbEventJson(int n, const QByteArray &tag = "hostile");
// `data: <json>\n\n`
QByteArray sseFrame(const QByteArray &json);

} // namespace rcrt::test
