// SseClient against rcrt-sim over real HTTP on loopback, plus a tiny scripted HTTP server in this
// file for what the sim cannot do (silence after headers, retry:, inspecting request headers).
#include "net/restclient.h"
#include "net/sseclient.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <functional>

using rcrt::RestCall;
using rcrt::RestClient;
using rcrt::RestResult;
using rcrt::SseClient;
using rcrt::StreamEvent;
using rcrt::TokenProvider;
using rcrt::test::SimProcess;

namespace {

// Accepts connections, waits for a whole request head, hands it to `respond`.
class ScriptedServer final : public QObject
{
public:
    using Responder = std::function<void(QTcpSocket *socket, int connectionIndex)>;

    explicit ScriptedServer(Responder respond)
        : m_respond(std::move(respond))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_sockets.append(socket);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
            }
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }
    QList<QByteArray> requests;

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        if (buffer.endsWith("\r\n\r\n"))
            return; // already answered; ignore anything else
        buffer += socket->readAll();
        if (!buffer.endsWith("\r\n\r\n"))
            return;
        requests.append(buffer);
        m_respond(socket, int(requests.size()) - 1);
    }

    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    Responder m_respond;
};

const QByteArray kStreamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                               "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";

// Collects every event and the number of eventsReceived emissions.
struct Collector
{
    explicit Collector(SseClient &client)
    {
        QObject::connect(&client, &SseClient::eventsReceived, &context,
                         [this](const QList<StreamEvent> &batch) {
                             ++batches;
                             events += batch;
                             for (const StreamEvent &e : batch) {
                                 const QJsonObject o = QJsonDocument::fromJson(e.raw).object();
                                 const QString type = o.value(QLatin1String("type")).toString();
                                 if (type == QLatin1String("breadcrumb.updated"))
                                     ids.insert(o.value(QLatin1String("breadcrumb_id")).toString());
                                 else if (type == QLatin1String("ping"))
                                     ++pingCount;
                             }
                         });
    }
    bool hasBreadcrumb(const QString &id) const { return ids.contains(id); }
    QSet<QString> breadcrumbIds() const { return ids; }
    int pings() const { return pingCount; }

    QObject context;
    QList<StreamEvent> events;
    QSet<QString> ids;
    int pingCount = 0;
    int batches = 0;
};

rcrt::SseClientOptions fastOptions()
{
    rcrt::SseClientOptions options;
    options.backoff.initialMs = 100;
    options.backoff.capMs = 500;
    options.backoffSeed = 1;
    return options;
}

TokenProvider::MintRequest mintRequest(std::optional<int> ttlSec = {})
{
    TokenProvider::MintRequest request;
    request.ownerId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    request.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000c2");
    request.ttlSec = ttlSec;
    return request;
}

QByteArray breadcrumbJson(const QString &tag)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("title"), QStringLiteral("sse test")},
                                     {QStringLiteral("context"), QJsonObject{}},
                                     {QStringLiteral("tags"), QJsonArray{tag}},
                                     {QStringLiteral("schema_name"), QStringLiteral("test.v1")}})
        .toJson(QJsonDocument::Compact);
}

QString createAndWait(RestClient &client, const QString &tag)
{
    QString id;
    QEventLoop loop;
    RestCall *call = client.createBreadcrumb(breadcrumbJson(tag));
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        if (!result.ok())
            qWarning() << result.error;
        id = result.createdId();
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    return id;
}

} // namespace

class TstSseClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    static bool mint(TokenProvider &tokens, const QUrl &url, std::optional<int> ttlSec = {})
    {
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(url, mintRequest(ttlSec));
        return changed.wait(10000);
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<rcrt::RestResult>();
        qRegisterMetaType<QList<rcrt::StreamEvent>>();
        qRegisterMetaType<rcrt::SseClient::State>();
    }

    void receivesEventsCreatedThroughRest_data()
    {
        QTest::addColumn<bool>("jwt");
        QTest::newRow("auth disabled") << false;
        QTest::newRow("auth jwt") << true;
    }
    void receivesEventsCreatedThroughRest()
    {
        QFETCH(bool, jwt);
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"),
                            jwt ? QStringLiteral("jwt") : QStringLiteral("disabled")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        if (jwt)
            QVERIFY(mint(tokens, sim.url()));

        SseClient sse(&m_nam, sim.url(), &tokens, fastOptions());
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy states(&sse, &SseClient::stateChanged);
        QCOMPARE(sse.state(), SseClient::State::Idle);
        sse.start();
        QCOMPARE(sse.state(), SseClient::State::Connecting);
        QVERIFY(connected.wait(10000));
        QCOMPARE(sse.state(), SseClient::State::Open);
        QCOMPARE(states.first().first().value<SseClient::State>(), SseClient::State::Connecting);

        RestClient rest(&m_nam, sim.url(), &tokens);
        const QString tag = QStringLiteral("sse:") + QUuid::createUuid().toString(QUuid::Id128);
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids.append(createAndWait(rest, tag));
        QVERIFY(!ids.contains(QString()));
        for (const QString &id : std::as_const(ids))
            QTRY_VERIFY_WITH_TIMEOUT(got.hasBreadcrumb(id), 10000);

        for (const StreamEvent &e : std::as_const(got.events)) {
            QCOMPARE(e.source, rcrt::EventSource::Sse);
            QVERIFY(e.arrivalNs > 0);
            QVERIFY(e.raw.startsWith('{')); // the data field only, no "data: " prefix
            QVERIFY(!e.raw.endsWith('\n'));
        }
        QCOMPARE(sse.eventsReceivedCount(), qint64(got.events.size()));
        QVERIFY(sse.bytesReceived() > 0);
        QVERIFY(sse.lastByteAtNs() >= got.events.last().arrivalNs);
        QCOMPARE(sse.connectCount(), 1);
        QCOMPARE(sse.reconnectCount(), 0);
        sse.stop();
        QCOMPARE(sse.state(), SseClient::State::Stopped);
    }

    void firstPingArrivesAtConnect()
    {
        SimProcess sim; // pings every 60 s: only the immediate first one can arrive in time
        QVERIFY2(sim.start({QStringLiteral("--ping-ms"), QStringLiteral("60000")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        Collector got(sse);
        sse.start();
        QTRY_COMPARE_WITH_TIMEOUT(got.pings(), 1, 10000);
        const QJsonObject ping = QJsonDocument::fromJson(got.events.first().raw).object();
        QVERIFY(ping.value(QLatin1String("ts")).toString().endsWith(u'Z'));
    }

    void reconnectsAfterCleanEndOfStream()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--drop-after"), QStringLiteral("1")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        QSignalSpy errors(&sse, &SseClient::errorOccurred);
        sse.start();
        QVERIFY(connected.wait(10000));

        RestClient rest(&m_nam, sim.url(), nullptr);
        const QString first = createAndWait(rest, QStringLiteral("drop"));
        QTRY_VERIFY_WITH_TIMEOUT(got.hasBreadcrumb(first), 10000);
        // The server ends the stream cleanly after that event: we must come back by ourselves.
        QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, 10000);
        QCOMPARE(disconnected.first().first().toString(),
                 QStringLiteral("server closed the stream; reconnecting"));
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 1, 10000);
        QCOMPARE(scheduled.first().at(1).toInt(), 1);
        QVERIFY(scheduled.first().at(0).toInt() <= 100);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
        QCOMPARE(errors.size(), 0); // a clean end is not an error

        const QString second = createAndWait(rest, QStringLiteral("drop"));
        QTRY_VERIFY_WITH_TIMEOUT(got.hasBreadcrumb(second), 10000);
        QVERIFY(sse.reconnectCount() >= 1);
    }

    void noContentStopsForGood()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stream-status"), QStringLiteral("204")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QTRY_COMPARE_WITH_TIMEOUT(sse.state(), SseClient::State::Stopped, 10000);
        const QString reason = QStringLiteral("server answered 204 No Content: not reconnecting");
        QCOMPARE(sse.stopReason(), reason);
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(disconnected.first().first().toString(), reason);
        QTest::qWait(700); // several backoff periods: nothing may happen
        QCOMPARE(scheduled.size(), 0);
        QCOMPARE(connected.size(), 0);
        QCOMPARE(sse.state(), SseClient::State::Stopped);
    }

    void httpErrorCarriesBodyAndReconnects_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("503") << 503;
        QTest::newRow("500") << 500;
    }
    void httpErrorCarriesBodyAndReconnects()
    {
        QFETCH(int, status);
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stream-status"), QString::number(status)}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        QSignalSpy errors(&sse, &SseClient::errorOccurred);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(errors.wait(10000));
        QCOMPARE(errors.first().first().toString(),
                 QStringLiteral("HTTP %1: rcrt-sim --stream-status %1").arg(status));
        QCOMPARE(sse.lastError(), errors.first().first().toString());
        // It keeps trying, with growing attempt numbers.
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 3, 10000);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(scheduled.at(i).at(1).toInt(), i + 1);
        QVERIFY(errors.size() >= 2);
        QCOMPARE(connected.size(), 0);
    }

    void wrongContentTypeIsRefused()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stream-content-type"), QStringLiteral("text/html")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        Collector got(sse);
        QSignalSpy errors(&sse, &SseClient::errorOccurred);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(errors.wait(10000));
        QVERIFY2(errors.first().first().toString().startsWith(
                     QStringLiteral("unexpected content type text/html")),
                 qPrintable(errors.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 1, 10000);
        QCOMPARE(connected.size(), 0);
        QCOMPARE(got.events.size(), 0); // nothing from a refused stream reaches the caller
    }

    void contentTypeParametersAreAccepted()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stream-content-type"),
                            QStringLiteral("text/event-stream; charset=utf-8")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(connected.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(got.pings() >= 1, 10000);
    }

    void watchdogReconnectsASilentServer()
    {
        // Headers, then nothing at all: the TCP connection stays up, the stream is dead.
        ScriptedServer server([](QTcpSocket *socket, int) { socket->write(kStreamHead); });
        QVERIFY(server.listen());
        rcrt::SseClientOptions options = fastOptions();
        options.watchdogMs = 500;
        SseClient sse(&m_nam, server.url(), nullptr, options);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        sse.start();
        QVERIFY(connected.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() >= 1, 10000);
        QCOMPARE(disconnected.first().first().toString(),
                 QStringLiteral("no data for 0.5 s; reconnecting"));
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(connected.size() >= 2, 10000);
        QVERIFY(server.requests.size() >= 2);
    }

    void liveDataKeepsTheWatchdogQuiet()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--ping-ms"), QStringLiteral("100")}),
                 qPrintable(sim.error()));
        rcrt::SseClientOptions options = fastOptions();
        options.watchdogMs = 2000; // 20 pings
        SseClient sse(&m_nam, sim.url(), nullptr, options);
        Collector got(sse);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(got.pings() >= 30, 20000); // > 1.5 watchdog periods of pings
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(sse.connectCount(), 1);
    }

    void expiredTokenOnStreamRefreshesAndReconnects()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt"),
                            QStringLiteral("--jwt-leeway-s"), QStringLiteral("0")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        tokens.setAutoRefreshEnabled(false); // keep the stale token, as the runners did
        QVERIFY(mint(tokens, sim.url(), 2));
        const QString stale = tokens.token();
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch()
                                     > tokens.expiresAt()->toSecsSinceEpoch() + 1,
                                 10000);
        // The renewed token lives long enough for a loaded machine to use it.
        tokens.setMintRequest(mintRequest(120));

        SseClient sse(&m_nam, sim.url(), &tokens, fastOptions());
        Collector got(sse);
        QSignalSpy errors(&sse, &SseClient::errorOccurred);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        sse.start();
        QVERIFY(connected.wait(10000));
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().first().toString(),
                 QStringLiteral("HTTP 401: invalid token: ExpiredSignature"));
        QCOMPARE(changed.size(), 1);
        QVERIFY(tokens.token() != stale);
        QTRY_VERIFY_WITH_TIMEOUT(got.pings() >= 1, 10000);
    }

    void unauthorizedWithoutMintingBacksOff()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}),
                 qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        QSignalSpy errors(&sse, &SseClient::errorOccurred);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        sse.start();
        QVERIFY(errors.wait(10000));
        QCOMPARE(errors.first().first().toString(),
                 QStringLiteral("HTTP 401: missing Authorization"));
        QTRY_VERIFY_WITH_TIMEOUT(scheduled.size() >= 2, 10000);
    }

    void tokenInQueryIsAccepted()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        QVERIFY(mint(tokens, sim.url()));
        rcrt::SseClientOptions options = fastOptions();
        options.tokenInQuery = true;
        SseClient sse(&m_nam, sim.url(), &tokens, options);
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(connected.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(got.pings() >= 1, 10000);
        // The URL we report never shows the token.
        QVERIFY(!sse.streamUrl().toString().contains(tokens.token()));
    }

    void requestCarriesTheStreamingHeaders_data()
    {
        QTest::addColumn<bool>("tokenInQuery");
        QTest::newRow("Authorization header") << false;
        QTest::newRow("token in query") << true;
    }
    void requestCarriesTheStreamingHeaders()
    {
        QFETCH(bool, tokenInQuery);
        ScriptedServer server([](QTcpSocket *socket, int) {
            socket->write(kStreamHead + "data: {\"type\":\"ping\"}\n\n");
        });
        QVERIFY(server.listen());
        TokenProvider tokens(nullptr);
        tokens.setStaticToken(QStringLiteral("aaa.bbb+/=.ccc"));
        rcrt::SseClientOptions options = fastOptions();
        options.tokenInQuery = tokenInQuery;
        SseClient sse(&m_nam, server.url(), &tokens, options);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(connected.wait(10000));
        QCOMPARE(server.requests.size(), 1);
        const QByteArray request = server.requests.first();
        const QByteArray lower = request.toLower();
        QVERIFY(lower.contains("\r\naccept: text/event-stream\r\n"));
        QVERIFY(lower.contains("\r\ncache-control: no-cache\r\n"));
        QVERIFY(lower.contains("\r\naccept-encoding: identity\r\n"));
        if (tokenInQuery) {
            QVERIFY2(request.startsWith("GET /events/stream?token=aaa.bbb%2B%2F%3D.ccc HTTP/1.1\r\n"),
                     request.constData());
            QVERIFY(!lower.contains("authorization:"));
        } else {
            QVERIFY2(request.startsWith("GET /events/stream HTTP/1.1\r\n"), request.constData());
            QVERIFY(request.contains("\r\nAuthorization: Bearer aaa.bbb+/=.ccc\r\n"));
        }
    }

    void serverRetryIsTheReconnectBase()
    {
        ScriptedServer server([](QTcpSocket *socket, int) {
            socket->write(kStreamHead + "retry: 3000\n\ndata: {\"type\":\"ping\"}\n\n");
            socket->disconnectFromHost(); // clean end of stream
        });
        QVERIFY(server.listen());
        rcrt::SseClientOptions options = fastOptions();
        options.backoff.jitter = rcrt::BackoffJitter::None;
        options.backoff.capMs = 30000;
        SseClient sse(&m_nam, server.url(), nullptr, options);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        sse.start();
        QVERIFY(scheduled.wait(10000));
        QCOMPARE(scheduled.first().at(0).toInt(), 3000);
        QCOMPARE(scheduled.first().at(1).toInt(), 1);
        sse.stop();
    }

    void oneSignalPerReadWithOneArrivalTime()
    {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&client](QTcpSocket *socket, int) {
            socket->write(kStreamHead);
            client = socket;
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, fastOptions());
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        sse.start();
        QVERIFY(connected.wait(10000));
        QVERIFY(client);
        client->write("data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: {\"n\":3}\n\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.events.size(), 3, 10000);
        QCOMPARE(got.batches, 1);
        QCOMPARE(got.events.at(0).arrivalNs, got.events.at(2).arrivalNs);
        QCOMPARE(got.events.at(1).raw, QByteArray("{\"n\":2}"));
    }

    void parseErrorsDoNotStopTheStream()
    {
        QPointer<QTcpSocket> client;
        ScriptedServer server([&client](QTcpSocket *socket, int) {
            socket->write(kStreamHead);
            client = socket;
        });
        QVERIFY(server.listen());
        rcrt::SseClientOptions options = fastOptions();
        options.maxLineBytes = 1024;
        options.maxEventBytes = 1024;
        SseClient sse(&m_nam, server.url(), nullptr, options);
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy parseErrors(&sse, &SseClient::parseError);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        sse.start();
        QVERIFY(connected.wait(10000));
        QVERIFY(client);
        client->write("data: {\"n\":1}\n\ndata: " + QByteArray(4096, 'x') + "\n\ndata: {\"n\":2}\n\n");
        QTRY_COMPARE_WITH_TIMEOUT(got.events.size(), 2, 10000);
        QCOMPARE(got.events.at(0).raw, QByteArray("{\"n\":1}"));
        QCOMPARE(got.events.at(1).raw, QByteArray("{\"n\":2}"));
        QCOMPARE(parseErrors.size(), 1);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(sse.state(), SseClient::State::Open);
    }

    void stopEndsWithoutReconnecting()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        QSignalSpy scheduled(&sse, &SseClient::reconnectScheduled);
        sse.start();
        QVERIFY(connected.wait(10000));
        sse.stop();
        QCOMPARE(sse.state(), SseClient::State::Stopped);
        QCOMPARE(disconnected.size(), 1);
        QCOMPARE(sse.stopReason(), QStringLiteral("stopped by the user"));
        QTest::qWait(500);
        QCOMPARE(scheduled.size(), 0);
        QCOMPARE(connected.size(), 1);
        // And it can start again.
        sse.start();
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
    }

    void burstOfTenThousandArrivesComplete()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner")}), qPrintable(sim.error()));
        SseClient sse(&m_nam, sim.url(), nullptr, fastOptions());
        Collector got(sse);
        QSignalSpy connected(&sse, &SseClient::connected);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        sse.start();
        QVERIFY(connected.wait(10000));

        // Writes as fast as the sim takes them, 64 in flight (queueing 10k requests at once
        // would only measure Qt's request queue against the REST transfer timeout).
        constexpr int count = 10000;
        constexpr int inFlight = 64;
        RestClient rest(&m_nam, sim.url(), nullptr);
        QSet<QString> created;
        QStringList failures;
        int sent = 0;
        QObject context;
        std::function<void()> sendOne = [&] {
            if (sent >= count)
                return;
            ++sent;
            RestCall *call = rest.createBreadcrumb(breadcrumbJson(QStringLiteral("burst")));
            connect(call, &RestCall::finished, &context, [&](const RestResult &result) {
                if (result.ok())
                    created.insert(result.createdId());
                else
                    failures.append(result.error);
                sendOne();
            });
        };
        for (int i = 0; i < inFlight; ++i)
            sendOne();
        QTRY_COMPARE_WITH_TIMEOUT(int(created.size() + failures.size()), count, 240000);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));

        QTRY_VERIFY_WITH_TIMEOUT(got.breadcrumbIds().contains(created), 60000);
        QCOMPARE(disconnected.size(), 0);
        QCOMPARE(sse.connectCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TstSseClient)
#include "tst_sseclient.moc"
