// RestClient over its HttpTransport (net/httptransport) on 127.0.0.1: connection reuse and
// reconnects, what is (and is never) sent twice, bounded and malformed answers, timeouts, the
// 401 refresh-and-retry, redirects, proxies and TLS falling back or applying their policy. The
// servers are rcrt-sim, HostileServer (TLS), and a scripted keep-alive server in this file that
// reads real requests off real sockets; nothing of the client is mocked.
#include "net/httptransport.h"
#include "net/restclient.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"
#include "support/hostileserver.h"
#include "support/simprocess.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

using rcrt::HttpTransport;
using rcrt::RestCall;
using rcrt::RestClient;
using rcrt::RestResult;
using rcrt::TokenProvider;

namespace {

// One request as the scripted server read it.
struct SeenRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray head;
    QByteArray body;
    int connection = 0; // numbered from 0 in accept order
};

// A keep-alive HTTP/1.1 server whose answers a test scripts: it reads each request (head and
// Content-Length body) and hands it to `script` with the socket to answer on, or to close, or to
// ignore. Requests are parsed one after another on each connection.
class ScriptServer final : public QObject
{
public:
    using Script = std::function<void(QTcpSocket *socket, const SeenRequest &request)>;

    explicit ScriptServer(Script script)
        : m_script(std::move(script))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] { accept(); });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    const QList<SeenRequest> &requests() const { return m_requests; }
    int connections() const { return m_connections; }
    int closedByPeer() const { return m_closedByPeer; }
    QList<QPointer<QTcpSocket>> sockets() const { return m_sockets; }
    int count(const QByteArray &method) const
    {
        int n = 0;
        for (const SeenRequest &r : m_requests)
            n += r.method == method;
        return n;
    }

private:
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            const int index = m_connections++;
            m_sockets.append(socket);
            auto buffer = std::make_shared<QByteArray>();
            QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, index] {
                *buffer += socket->readAll();
                for (;;) {
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    SeenRequest request;
                    request.head = buffer->left(end + 4);
                    const QList<QByteArray> first
                        = request.head.left(request.head.indexOf("\r\n")).split(' ');
                    request.method = first.value(0);
                    request.target = first.value(1);
                    request.connection = index;
                    qsizetype length = 0;
                    for (const QByteArray &line : request.head.split('\n')) {
                        if (line.toLower().startsWith("content-length:"))
                            length = line.mid(15).trimmed().toLongLong();
                    }
                    if (buffer->size() < end + 4 + length)
                        return;
                    request.body = buffer->mid(end + 4, length);
                    buffer->remove(0, end + 4 + length);
                    m_requests.append(request);
                    m_script(socket, request);
                    if (socket->state() != QAbstractSocket::ConnectedState)
                        return;
                }
            });
            QObject::connect(socket, &QTcpSocket::disconnected, this, [this] { ++m_closedByPeer; });
        }
    }

    QTcpServer m_server;
    Script m_script;
    QList<SeenRequest> m_requests;
    QList<QPointer<QTcpSocket>> m_sockets;
    int m_connections = 0;
    int m_closedByPeer = 0;
};

void answer(QTcpSocket *socket, const QByteArray &statusLine, const QByteArray &body,
            const QList<QByteArray> &headers = {})
{
    QByteArray bytes = "HTTP/1.1 " + statusLine
                       + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QByteArray &h : headers)
        bytes += h + "\r\n";
    socket->write(bytes + "\r\n" + body);
}

// A script that writes `bytes` as the answer, then closes the connection if asked.
ScriptServer::Script writeThenMaybeClose(const QByteArray &bytes, bool close)
{
    return [bytes, close](QTcpSocket *socket, const SeenRequest &) {
        socket->write(bytes);
        if (close)
            socket->disconnectFromHost();
    };
}

struct Outcome
{
    RestResult result;
    bool retried = false;
    bool overTransport = false;
    bool timedOut = false;
};

Outcome await(RestCall *call, int timeoutMs = 15000)
{
    Outcome out;
    bool done = false;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        out.result = result;
        out.retried = call->wasRetried();
        out.overTransport = call->usedHttpTransport();
        done = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    out.timedOut = !done;
    return out;
}

const QByteArray kBody
    = R"({"title":"t","context":{"n":1},"tags":["test:http"],"schema_name":"test.http.v1"})";

} // namespace

class TstHttpTransport : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<rcrt::RestResult>();
        QVERIFY(qEnvironmentVariable("RCRT_REST_TRANSPORT") != QLatin1String("qnam"));
    }

    // Sequential calls share one connection; concurrent ones use a small pool and all succeed.
    void reusesConnectionsAgainstTheSim()
    {
        rcrt::test::SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        for (int i = 0; i < 10; ++i) {
            const Outcome created = await(client.createBreadcrumb(kBody));
            QVERIFY2(created.result.ok(), qPrintable(created.result.error));
            QVERIFY(created.overTransport);
            const Outcome got = await(client.getBreadcrumbFull(created.result.createdId()));
            QVERIFY2(got.result.ok(), qPrintable(got.result.error));
            QCOMPARE(QJsonDocument::fromJson(got.result.body)
                         .object()
                         .value(QLatin1String("title"))
                         .toString(),
                     QStringLiteral("t"));
        }
        QCOMPARE(client.httpTransport()->connectionsOpened(), 1);

        int finished = 0;
        int ok = 0;
        for (int i = 0; i < 20; ++i) {
            RestCall *call = client.createBreadcrumb(kBody);
            connect(call, &RestCall::finished, this, [&](const RestResult &r) {
                ++finished;
                ok += r.ok();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, 20, 15000);
        QCOMPARE(ok, 20);
        QVERIFY(client.httpTransport()->openConnections()
                <= HttpTransport::kMaxConnectionsPerOrigin);
        QVERIFY(client.httpTransport()->connectionsOpened() > 1);
    }

    // The server closes an idle kept-alive connection: the next call notices (even before the
    // event loop reported the close) and goes out once on a new connection.
    void serverClosesKeptAliveConnectionBetweenCalls_data()
    {
        QTest::addColumn<bool>("letEventLoopSeeTheClose");
        QTest::newRow("close already reported") << true;
        QTest::newRow("close still in the kernel") << false;
    }
    void serverClosesKeptAliveConnectionBetweenCalls()
    {
        QFETCH(bool, letEventLoopSeeTheClose);
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &) {
            answer(socket, "200 OK", R"({"id":"00000000-0000-0000-0000-0000000000aa"})");
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        const Outcome first = await(client.createBreadcrumb(kBody));
        QVERIFY2(first.result.ok(), qPrintable(first.result.error));
        QCOMPARE(server.connections(), 1);

        QTcpSocket *serverSide = server.sockets().first();
        serverSide->flush();
        serverSide->close(); // FIN now
        if (letEventLoopSeeTheClose)
            QTRY_COMPARE(client.httpTransport()->openConnections(), 0);
        else
            QCOMPARE(client.httpTransport()->openConnections(), 1);

        const Outcome second = await(client.createBreadcrumb(kBody));
        QVERIFY2(second.result.ok(), qPrintable(second.result.error));
        QCOMPARE(server.connections(), 2);
        QCOMPARE(server.count("POST"), 2); // one per call: nothing was sent twice
        QCOMPARE(client.httpTransport()->requestsRetried(), 0);
    }

    // The close races the request: the server takes it and closes without answering. A GET is
    // sent once more on a new connection; a POST is not (the server may have done it).
    void closeRacingTheRequest()
    {
        // Answers the first request on each connection, closes on the second.
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &request) {
            const int onThisConnection = socket->property("seen").toInt() + 1;
            socket->setProperty("seen", onThisConnection);
            if (onThisConnection == 1)
                answer(socket, "200 OK", request.method == "GET" ? "[]" : R"({"id":"x"})");
            else
                socket->close();
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        QVERIFY(await(client.listBreadcrumbs()).result.ok());

        const Outcome get = await(client.listBreadcrumbs());
        QVERIFY2(get.result.ok(), qPrintable(get.result.error));
        QCOMPARE(server.count("GET"), 3); // the first, the lost one, and its retry
        QCOMPARE(client.httpTransport()->requestsRetried(), 1);
        QCOMPARE(server.connections(), 2);

        const Outcome post = await(client.createBreadcrumb(kBody));
        QVERIFY(!post.result.ok());
        QVERIFY(post.result.isNetworkError());
        QCOMPARE(post.result.error,
                 QStringLiteral("network error: the server closed the connection before answering "
                                "(a POST is never sent twice: the server may have done it)"));
        QCOMPARE(server.count("POST"), 1);
        QCOMPARE(client.httpTransport()->requestsRetried(), 1);

        // The client is fine afterwards: a new connection answers.
        const Outcome again = await(client.createBreadcrumb(kBody));
        QVERIFY2(again.result.ok(), qPrintable(again.result.error));
        QCOMPARE(server.count("POST"), 2);
    }

    void malformedAnswers_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("error");
        QTest::newRow("garbage status line")
            << QByteArray("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n")
            << QStringLiteral(
                   "network error: malformed HTTP answer: status line \"HTTP/1.1 2OO OK\"");
        QTest::newRow("not HTTP at all")
            << QByteArray("220 smtp.example ESMTP ready\r\n")
            << QStringLiteral("network error: malformed HTTP answer: status line \"220 "
                              "smtp.example ESMTP ready\"");
        QTest::newRow("gzip body")
            << QByteArray(
                   "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nxyz")
            << QStringLiteral("network error: the HTTP answer is gzip-encoded although the request "
                              "asked for identity");
        QTest::newRow("cut body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
            << QStringLiteral(
                   "network error: the server closed the connection in the middle of its answer");
        QTest::newRow("huge declared body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n")
            << QStringLiteral("network error: HTTP answer body of 1000000000000 bytes is larger "
                              "than the 256 MiB limit");
    }
    void malformedAnswers()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, error);
        ScriptServer server(writeThenMaybeClose(bytes, true));
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        const Outcome out = await(client.health());
        QVERIFY(!out.timedOut);
        QVERIFY(out.overTransport);
        QCOMPARE(out.result.status, 0);
        QCOMPARE(out.result.error, error);
        QCOMPARE(server.count("GET"), 1); // a broken answer is not a reason to ask again
    }

    // Headers without end: refused at the limit, with the connection dropped and memory bounded.
    void oversizedHeaders()
    {
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &) {
            socket->write("HTTP/1.1 200 OK\r\nX-Endless: ");
            socket->write(QByteArray(2 << 20, 'a'));
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        const Outcome out = await(client.health());
        QCOMPARE(out.result.error,
                 QStringLiteral("network error: HTTP answer headers larger than 64 KiB"));
        QTRY_COMPARE(server.closedByPeer(), 1);
        QCOMPARE(client.httpTransport()->openConnections(), 0);
    }

    // A body larger than the configured limit, chunk by chunk.
    void oversizedChunkedBody()
    {
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 40; ++i)
                socket->write("8000\r\n" + QByteArray(0x8000, 'z') + "\r\n");
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        rcrt::HttpLimits limits;
        limits.maxBodyBytes = 1 << 20;
        client.httpTransport()->setLimits(limits);
        const Outcome out = await(client.listBreadcrumbs());
        QCOMPARE(out.result.error,
                 QStringLiteral("network error: HTTP answer body larger than the 1 MiB limit"));
    }

    // A chunked answer dribbled in pieces (sizes, extensions, data and trailers split anywhere),
    // then the kept-alive connection carries the next call.
    void chunkedAnswer()
    {
        const QByteArray full = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                "7;ext=\"a\"\r\n[{\"id\":\r\nA\r\n\"x\"}, {\"n\"\r\n4\r\n:1}]\r\n"
                                "0\r\nX-Trailer: t\r\n\r\n";
        QList<QByteArray> pieces; // 9 bytes each: cuts through sizes, data, CR LF pairs
        for (qsizetype at = 0; at < full.size(); at += 9)
            pieces.append(full.mid(at, 9));
        ScriptServer server([pieces](QTcpSocket *socket, const SeenRequest &) {
            for (int i = 0; i < pieces.size(); ++i) {
                const QPointer<QTcpSocket> guard(socket);
                QTimer::singleShot(10 * i, socket, [guard, piece = pieces.at(i)] {
                    if (guard)
                        guard->write(piece);
                });
            }
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        for (int i = 0; i < 2; ++i) {
            const Outcome out = await(client.listBreadcrumbs());
            QVERIFY2(out.result.ok(), qPrintable(out.result.error));
            QCOMPARE(out.result.body, QByteArray("[{\"id\":\"x\"}, {\"n\":1}]"));
        }
        QCOMPARE(server.connections(), 1);
    }

    // "Connection: close", a body framed by the close, and bytes after the answer: each
    // connection is used once and the next call opens another.
    void answersThatEndTheConnection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("serverCloses");
        QTest::newRow("connection: close")
            << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
            << true;
        QTest::newRow("body until close") << QByteArray("HTTP/1.1 200 OK\r\n\r\nok") << true;
        QTest::newRow("bytes after the answer")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")
            << false;
    }
    void answersThatEndTheConnection()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, serverCloses);
        ScriptServer server(writeThenMaybeClose(bytes, serverCloses));
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        for (int i = 0; i < 3; ++i) {
            const Outcome out = await(client.health());
            QVERIFY2(out.result.ok(), qPrintable(out.result.error));
            QCOMPARE(out.result.body, QByteArray("ok"));
        }
        QCOMPARE(server.connections(), 3);
        QCOMPARE(client.httpTransport()->connectionsOpened(), 3);
    }

    // No answer: the transfer timeout ends the call, and the connection is not used again.
    void slowAnswerTimesOut()
    {
        bool answerNow = false;
        ScriptServer server([&answerNow](QTcpSocket *socket, const SeenRequest &) {
            if (answerNow)
                answer(socket, "200 OK", "ok");
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        client.setTransferTimeoutMs(300);
        const Outcome out = await(client.createBreadcrumb(kBody));
        QVERIFY(!out.timedOut);
        QCOMPARE(
            out.result.error,
            QStringLiteral("timed out after 300 ms (%1/breadcrumbs)").arg(server.url().toString()));
        QTRY_COMPARE(server.closedByPeer(), 1);
        QCOMPARE(server.count("POST"), 1);

        answerNow = true;
        const Outcome next = await(client.health());
        QVERIFY2(next.result.ok(), qPrintable(next.result.error));
        QCOMPARE(server.connections(), 2);
    }

    // Bytes that keep coming are progress: a slow but steady answer is not cut at the timeout.
    void steadyAnswerIsNotCut()
    {
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
            auto *drip = new QTimer(socket);
            auto sent = std::make_shared<int>(0);
            connect(drip, &QTimer::timeout, socket, [socket, drip, sent] {
                socket->write("x");
                if (++*sent == 10)
                    drip->stop();
            });
            drip->start(150);
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        client.setTransferTimeoutMs(1000); // the whole answer takes 1.5 s
        const Outcome out = await(client.health());
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QCOMPARE(out.result.body, QByteArray(10, 'x'));
    }

    // 401 with a mintable token: one refresh, one retry with the new token, over the transport.
    void unauthorizedRefreshesAndRetries()
    {
        int mints = 0;
        ScriptServer server([&mints](QTcpSocket *socket, const SeenRequest &request) {
            if (request.target == "/auth/token") {
                ++mints;
                const QByteArray token = "token-" + QByteArray::number(mints);
                answer(socket, "200 OK",
                       R"({"token":")" + token + R"(","exp":)"
                           + QByteArray::number(QDateTime::currentSecsSinceEpoch() + 3600) + "}");
                return;
            }
            if (request.head.contains("Authorization: Bearer token-2\r\n"))
                answer(socket, "200 OK", R"({"id":"00000000-0000-0000-0000-0000000000bb"})");
            else
                answer(socket, "401 Unauthorized", "invalid token");
        });
        QVERIFY(server.listen());
        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(server.url(), {});
        QVERIFY(changed.wait(10000));
        RestClient client(&m_nam, server.url(), &tokens);
        const Outcome out = await(client.createBreadcrumb(kBody, QStringLiteral("key-1")));
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QVERIFY(out.retried);
        QVERIFY(out.overTransport);
        QCOMPARE(out.result.createdId(), QStringLiteral("00000000-0000-0000-0000-0000000000bb"));
        QCOMPARE(mints, 2);
        QCOMPARE(server.count("POST"), 4); // two mints, the refused POST and its retry
        const SeenRequest &retry = server.requests().last();
        QVERIFY(retry.head.contains("Idempotency-Key: key-1\r\n"));
        QVERIFY(retry.head.contains("Content-Type: application/json\r\n"));
        QCOMPARE(retry.body, kBody);
    }

    // Requests carry what QNetworkAccessManager sent: the target, Host, the JSON type and length,
    // If-Match and the idempotency key; a value that would split the request is refused unsent.
    void requestBytes()
    {
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &) {
            answer(socket, "200 OK", R"({"ok":true})");
        });
        QVERIFY(server.listen());
        QUrl base = server.url();
        base.setPath(QStringLiteral("/api/"));
        RestClient client(&m_nam, base, nullptr);
        QVERIFY(await(client.updateBreadcrumb(QStringLiteral("a b"), R"({"title":"x"})", 3))
                    .result.ok());
        const SeenRequest &patch = server.requests().last();
        QCOMPARE(patch.method, QByteArray("PATCH"));
        QCOMPARE(patch.target, QByteArray("/api/breadcrumbs/a%20b"));
        QVERIFY(patch.head.contains(
            QByteArray("\r\nHost: 127.0.0.1:" + QByteArray::number(server.url().port()) + "\r\n")));
        QVERIFY(patch.head.contains("\r\nIf-Match: \"3\"\r\n"));
        QVERIFY(patch.head.contains("\r\nContent-Length: 13\r\n"));
        QCOMPARE(patch.body, QByteArray(R"({"title":"x"})"));

        RestClient::ListQuery query;
        query.tag = QStringLiteral("a+b&c");
        QVERIFY(await(client.listBreadcrumbs(query)).result.ok());
        QCOMPARE(server.requests().last().target, QByteArray("/api/breadcrumbs?tag=a%2Bb%26c"));
        QVERIFY(!server.requests().last().head.contains("Content-Length"));

        const int before = int(server.requests().size());
        const Outcome bad
            = await(client.createBreadcrumb(kBody, QStringLiteral("key\r\nX-Injected: 1")));
        QCOMPARE(
            bad.result.error,
            QStringLiteral(
                "network error: invalid HTTP header \"Idempotency-Key\": a name must be a token "
                "and a value must not hold a line break"));
        QCOMPARE(server.requests().size(), before);
    }

    // With a proxy on the access manager the call goes through it (QNetworkAccessManager's path).
    void proxyFallsBackToAccessManager()
    {
        ScriptServer proxy([](QTcpSocket *socket, const SeenRequest &) {
            answer(socket, "200 OK", "ok via proxy");
        });
        QVERIFY(proxy.listen());
        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"),
                                   quint16(proxy.url().port())));
        RestClient client(&nam, QUrl(QStringLiteral("http://127.0.0.1:9")), nullptr);
        QVERIFY(
            !client.httpTransport()->canCarry(QUrl(QStringLiteral("http://127.0.0.1:9/health"))));
        const Outcome out = await(client.health());
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QVERIFY(!out.overTransport);
        QCOMPARE(out.result.body, QByteArray("ok via proxy"));
        QCOMPARE(proxy.requests().first().target, QByteArray("http://127.0.0.1:9/health"));
        QCOMPARE(client.httpTransport()->connectionsOpened(), 0);

        nam.setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        QVERIFY(
            client.httpTransport()->canCarry(QUrl(QStringLiteral("http://127.0.0.1:9/health"))));
        QVERIFY(!client.httpTransport()->canCarry(
            QUrl(QStringLiteral("http://user:pw@127.0.0.1:9/health"))));
        QVERIFY(
            !client.httpTransport()->canCarry(QUrl(QStringLiteral("ftp://127.0.0.1:9/health"))));
    }

    // Redirects are followed as QNetworkAccessManager would: 307 keeps the POST and its body,
    // 303 continues as GET, a manual policy gets the 3xx itself.
    void redirects()
    {
        ScriptServer target([](QTcpSocket *socket, const SeenRequest &request) {
            answer(socket, "200 OK", request.method + ' ' + request.body);
        });
        QVERIFY(target.listen());
        ScriptServer redirector([&target](QTcpSocket *socket, const SeenRequest &request) {
            const QByteArray status
                = request.target.endsWith("see-other") ? "303 See Other" : "307 Temporary Redirect";
            answer(socket, status, {}, {"Location: " + target.url().toEncoded() + "/moved"});
        });
        QVERIFY(redirector.listen());
        RestClient client(&m_nam, redirector.url(), nullptr);
        const Outcome kept = await(client.createBreadcrumb(kBody));
        QVERIFY2(kept.result.ok(), qPrintable(kept.result.error));
        QCOMPARE(kept.result.body, "POST " + kBody);
        QCOMPARE(redirector.count("POST"), 1);

        const Outcome seeOther
            = await(client.send("POST", QStringLiteral("/see-other"), {}, kBody));
        QVERIFY2(seeOther.result.ok(), qPrintable(seeOther.result.error));
        QCOMPARE(seeOther.result.body, QByteArray("GET "));

        QNetworkAccessManager manual;
        manual.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        RestClient manualClient(&manual, redirector.url(), nullptr);
        const Outcome raw = await(manualClient.createBreadcrumb(kBody));
        QCOMPARE(raw.result.status, 307);
        QCOMPARE(target.count("POST"), 1);
    }

    void refusedAndCancelled()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        RestClient refused(&m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), nullptr);
        const Outcome out = await(refused.createBreadcrumb(kBody));
        QCOMPARE(out.result.error, QStringLiteral("network error: Connection refused"));

        // Abort mid-flight: "cancelled", the connection is dropped, the next call works.
        bool answerNow = false;
        ScriptServer server([&answerNow](QTcpSocket *socket, const SeenRequest &) {
            if (answerNow)
                answer(socket, "200 OK", "ok");
        });
        QVERIFY(server.listen());
        RestClient client(&m_nam, server.url(), nullptr);
        RestCall *call = client.health();
        QTRY_COMPARE(server.requests().size(), 1);
        call->abort();
        const Outcome aborted = await(call);
        QCOMPARE(aborted.result.error, QStringLiteral("cancelled"));
        QTRY_COMPARE(server.closedByPeer(), 1);
        answerNow = true;
        QVERIFY(await(client.health()).result.ok());
        QCOMPARE(server.connections(), 2);

        // Deleting the client with calls in flight calls nobody back.
        auto doomed = std::make_unique<RestClient>(&m_nam, server.url(), nullptr);
        bool calledBack = false;
        connect(doomed->health(), &RestCall::finished, this, [&] { calledBack = true; });
        doomed.reset();
        QTest::qWait(100);
        QVERIFY(!calledBack);
    }

    // A finished handler may destroy the client (and so the transport and the connection whose
    // socket signal is on the stack); a second call in flight then calls nobody back.
    void clientDestroyedInsideFinished()
    {
        ScriptServer server([](QTcpSocket *socket, const SeenRequest &request) {
            if (request.target == "/health")
                answer(socket, "200 OK", "ok");
        });
        QVERIFY(server.listen());
        auto client = std::make_unique<RestClient>(&m_nam, server.url(), nullptr);
        bool finished = false;
        bool otherCalledBack = false;
        connect(client->listBreadcrumbs(), &RestCall::finished, this, [&] { otherCalledBack = true; });
        connect(client->health(), &RestCall::finished, this, [&](const RestResult &result) {
            finished = result.ok();
            client.reset();
        });
        QTRY_VERIFY(finished);
        QVERIFY(!client);
        QTRY_COMPARE(server.closedByPeer(), 2);
        QVERIFY(!otherCalledBack);
    }

    // https over the transport obeys the access manager's TLS policy.
    void tlsPolicy()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend in this Qt");
        QTemporaryDir dir;
        rcrt::test::TestCertificates certs;
        QString error;
        QVERIFY2(certs.generate(dir.path(), &error), qPrintable(error));
        rcrt::test::HostileServer server([](rcrt::test::HostileConnection &c) { c.behave(); });
        QVERIFY(server.listenTls(certs.serverConfiguration()));

        rcrt::TlsAccessManager nam;
        RestClient client(&nam, server.url(), nullptr);
        const Outcome refused = await(client.listBreadcrumbs());
        QVERIFY(refused.overTransport);
        QVERIFY2(
            refused.result.error.startsWith(QStringLiteral("network error: SSL handshake failed")),
            qPrintable(refused.result.error));
        QVERIFY2(refused.result.error.contains(QStringLiteral("certificate")),
                 qPrintable(refused.result.error));

        QVERIFY(nam.setTlsOptions(rcrt::TlsOptions {true, certs.caFile}));
        const Outcome trusted = await(client.listBreadcrumbs());
        QVERIFY2(trusted.result.ok(), qPrintable(trusted.result.error));
        QVERIFY(trusted.overTransport);
        QCOMPARE(trusted.result.body, QByteArray("[]"));

        QVERIFY(nam.setTlsOptions(rcrt::TlsOptions {false, {}}));
        const Outcome insecure = await(client.listBreadcrumbs());
        QVERIFY2(insecure.result.ok(), qPrintable(insecure.result.error));
    }
};

QTEST_GUILESS_MAIN(TstHttpTransport)
#include "tst_httptransport.moc"
