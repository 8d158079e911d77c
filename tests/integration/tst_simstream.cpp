// rcrt-sim's /events/stream (rcrt-protocol.md §3), its fault flags, the simulated tools-runner
// (§5) and the workloads (§6), read byte for byte from a raw socket: nothing here trusts our own
// SSE client, because the sim is the peer the clients are tested against.
#include "support/simprocess.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <functional>

using rcrt::test::SimProcess;

namespace {

const QByteArray kOwner = "00000000-0000-0000-0000-000000000001";

struct HttpResult
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QJsonValue json() const { return QJsonDocument::fromJson("[" + body + "]").array().at(0); }
};

// One blocking request on its own connection: no event loop, so stream timings stay honest.
HttpResult request(const QUrl &base, const QByteArray &method, const QByteArray &target,
                   const QByteArray &body = {}, const QByteArray &extraHeaders = {})
{
    QTcpSocket socket;
    socket.connectToHost(base.host(), quint16(base.port()));
    HttpResult result;
    if (!socket.waitForConnected(5000))
        return result;
    QByteArray req = method + ' ' + target + " HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n" + extraHeaders;
    if (!body.isNull())
        req += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    socket.write(req + "\r\n" + body);
    QByteArray raw;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(10000))
        raw += socket.readAll();
    raw += socket.readAll();
    const qsizetype split = raw.indexOf("\r\n\r\n");
    result.head = raw.left(split);
    result.body = raw.mid(split + 4);
    result.status = raw.mid(9, 3).toInt();
    return result;
}

QByteArray createBreadcrumb(const QUrl &base, const QByteArray &body, const QByteArray &headers = {})
{
    const HttpResult r = request(base, "POST", "/breadcrumbs", body, headers);
    return r.json().toObject().value(QStringLiteral("id")).toString().toLatin1();
}

QByteArray token(const QUrl &base, const QByteArray &owner, const QByteArray &agent)
{
    const HttpResult r = request(base, "POST", "/auth/token",
                                 "{\"owner_id\":\"" + owner + "\",\"agent_id\":\"" + agent + "\"}");
    return "Authorization: Bearer " + r.json().toObject().value(QStringLiteral("token")).toString().toLatin1() + "\r\n";
}

struct Frame
{
    QByteArray text; // one `data: ...` line, without the blank-line terminator
    qint64 atMs = 0;
    bool isPing() const { return text.startsWith("data: {\"type\":\"ping\""); }
    QJsonObject json() const { return QJsonDocument::fromJson(text.mid(6)).object(); }
};

// A raw /events/stream reader: decodes chunked encoding by hand and keeps every chunk with its
// arrival time, so faults that live in the byte stream (buffering, splits, clean ends) show.
class RawStream
{
public:
    bool open(const QUrl &base, const QByteArray &extraHeaders = {},
              const QByteArray &target = "/events/stream")
    {
        m_clock.start();
        m_socket.connectToHost(base.host(), quint16(base.port()));
        if (!m_socket.waitForConnected(5000))
            return false;
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: sim\r\nAccept: text/event-stream\r\n" + extraHeaders + "\r\n");
        return waitFor([this] { return !head.isEmpty(); }, 5000);
    }

    // Reads for up to ms, or until pred() holds.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (!pred()) {
            const qint64 left = timeoutMs - t.elapsed();
            if (left <= 0)
                return false;
            if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0) {
                closed = true;
                return pred();
            }
            if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(int(qMin<qint64>(left, 50))))
                continue;
            consume(m_socket.readAll());
        }
        return true;
    }
    void pump(int ms) { waitFor([] { return false; }, ms); }
    qint64 nowMs() const { return m_clock.elapsed(); }

    QList<Frame> events() const
    {
        QList<Frame> out;
        for (const Frame &f : frames)
            if (!f.isPing())
                out.append(f);
        return out;
    }
    int pingCount() const { return int(frames.size() - events().size()); }
    QByteArray header(const QByteArray &name) const
    {
        for (const QByteArray &line : head.split('\n'))
            if (line.toLower().startsWith(QByteArray(name + ':')))
                return line.mid(name.size() + 1).trimmed();
        return {};
    }

    QByteArray head;
    int status = 0;
    QList<QByteArray> chunks;
    QList<qint64> chunkTimes;
    QList<Frame> frames;
    bool ended = false; // the terminating zero-size chunk arrived
    bool closed = false;

private:
    void consume(const QByteArray &bytes)
    {
        m_raw += bytes;
        if (head.isEmpty()) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            head = m_raw.left(end);
            status = head.mid(9, 3).toInt();
            m_chunked = header("transfer-encoding") == "chunked";
            m_raw.remove(0, end + 4);
        }
        if (!m_chunked) {
            addBody(m_raw);
            m_raw.clear();
            return;
        }
        for (;;) {
            const qsizetype lineEnd = m_raw.indexOf("\r\n");
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qsizetype size = m_raw.left(lineEnd).toLongLong(&ok, 16);
            if (!ok || m_raw.size() < lineEnd + 2 + size + 2)
                return;
            if (size == 0) {
                ended = true;
                m_raw.remove(0, lineEnd + 4);
                return;
            }
            const QByteArray chunk = m_raw.mid(lineEnd + 2, size);
            chunks.append(chunk);
            chunkTimes.append(nowMs());
            m_raw.remove(0, lineEnd + 2 + size + 2);
            addBody(chunk);
        }
    }
    void addBody(const QByteArray &bytes)
    {
        m_body += bytes;
        qsizetype end;
        while ((end = m_body.indexOf("\n\n")) >= 0) {
            frames.append(Frame{m_body.left(end), nowMs()});
            m_body.remove(0, end + 2);
        }
    }

    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    QByteArray m_raw;
    QByteArray m_body;
    bool m_chunked = false;
};

QJsonObject fullOf(const QUrl &base, const QByteArray &id)
{
    return request(base, "GET", "/breadcrumbs/" + id + "/full").json().toObject();
}

QList<QJsonObject> responsesFor(const RawStream &stream)
{
    QList<QJsonObject> out;
    for (const Frame &f : stream.events())
        if (f.json().value(QStringLiteral("schema_name")).toString() == QStringLiteral("tool.response.v1"))
            out.append(f.json());
    return out;
}

const QByteArray kSimple = R"({"title":"t","context":{"m":"✅ x"},"tags":["a"],"schema_name":"s.v1"})";

} // namespace

class TestSimStream : public QObject
{
    Q_OBJECT

private slots:
    void headersAndImmediatePing()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        QCOMPARE(stream.status, 200);
        QCOMPARE(stream.header("content-type"), QByteArray("text/event-stream"));
        QCOMPARE(stream.header("cache-control"), QByteArray("no-cache"));
        QCOMPARE(stream.header("transfer-encoding"), QByteArray("chunked"));
        QVERIFY(stream.header("content-length").isEmpty());
        // The first ping comes at connect, not after the 5 s interval.
        QVERIFY(stream.waitFor([&] { return !stream.frames.isEmpty(); }, 1500));
        static const QRegularExpression ping(
            QStringLiteral("^data: \\{\"type\":\"ping\",\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"\\}$"));
        QVERIFY2(ping.match(QString::fromUtf8(stream.frames.first().text)).hasMatch(), stream.frames.first().text.constData());
    }

    void pingCadence()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--ping-ms"), QStringLiteral("200")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        stream.pump(1500);
        qInfo() << "pings in 1.5 s at --ping-ms 200:" << stream.pingCount();
        QVERIFY(stream.pingCount() >= 5);
        QVERIFY(stream.pingCount() <= 12);
    }

    void createAndUpdateFramesAreByteExact()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        const QByteArray id = createBreadcrumb(sim.url(), R"({"title":"t","context":{"zeta":1,"a":"✅"},"tags":["t1","t2"],"schema_name":"demo.v1"})");
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 1; }, 5000));
        QJsonObject full = fullOf(sim.url(), id);
        QByteArray expected = "data: {\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\"" + kOwner
            + "\",\"version\":1,\"tags\":[\"t1\",\"t2\"],\"schema_name\":\"demo.v1\",\"updated_at\":\""
            + full.value(QStringLiteral("updated_at")).toString().toLatin1()
            + "\",\"context\":{\"a\":\"✅\",\"zeta\":1},\"type\":\"breadcrumb.updated\"}";
        QCOMPARE(stream.events().at(0).text, expected);

        QCOMPARE(request(sim.url(), "PATCH", "/breadcrumbs/" + id, R"({"context":{"b":[1,2]},"schema_name":"demo.v2"})").status, 200);
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 2; }, 5000));
        full = fullOf(sim.url(), id);
        expected = "data: {\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\"" + kOwner
            + "\",\"version\":2,\"tags\":[\"t1\",\"t2\"],\"schema_name\":\"demo.v2\",\"updated_at\":\""
            + full.value(QStringLiteral("updated_at")).toString().toLatin1() + "\",\"context\":{\"b\":[1,2]}}";
        QCOMPARE(stream.events().at(1).text, expected);

        // A schema-less create prints null; a DELETE publishes nothing.
        createBreadcrumb(sim.url(), R"({"title":"t","context":null,"tags":[]})");
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 3; }, 5000));
        QVERIFY(stream.events().at(2).text.contains("\"schema_name\":null,"));
        QVERIFY(stream.events().at(2).text.contains("\"context\":null,"));
        QCOMPARE(request(sim.url(), "DELETE", "/breadcrumbs/" + id).status, 200);
        stream.pump(500);
        QCOMPARE(stream.events().size(), 3);
    }

    void ownerFilterAndSelectorCopies()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}), qPrintable(sim.error()));
        const QByteArray agentX = "00000000-0000-0000-0000-0000000000c1";
        const QByteArray authX = token(sim.url(), kOwner, agentX);
        const QByteArray authY = token(sim.url(), kOwner, "00000000-0000-0000-0000-0000000000c2");
        const QByteArray authOther = token(sim.url(), "00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-0000000000c3");
        QCOMPARE(request(sim.url(), "POST", "/subscriptions/selectors", R"({"any_tags":["hot"]})", authX).status, 200);
        QCOMPARE(request(sim.url(), "POST", "/subscriptions/selectors", R"({"schema_name":"s.v1","context_match":[{"path":"$.k","op":"eq","value":1}]})", authX).status, 200);
        QCOMPARE(request(sim.url(), "POST", "/subscriptions/selectors", R"({"all_tags":["hot","cold"]})", authX).status, 200);

        RawStream x, y, anonymous;
        QVERIFY(x.open(sim.url(), authX));
        // The query token works for streams too (EventSource cannot set headers).
        QVERIFY(y.open(sim.url(), {}, "/events/stream?agent_id=ignored&access_token=" + authY.mid(22).trimmed()));
        QCOMPARE(y.status, 200);
        QVERIFY(anonymous.open(sim.url()));
        QCOMPARE(anonymous.status, 401);

        QCOMPARE(createBreadcrumb(sim.url(), R"({"title":"t","context":{"k":1},"tags":["hot"],"schema_name":"s.v1"})", authY).size(), 36);
        QVERIFY(x.waitFor([&] { return x.events().size() == 3; }, 5000)); // own copy + 2 matching selectors
        QVERIFY(y.waitFor([&] { return y.events().size() == 1; }, 5000));
        x.pump(300);
        QCOMPARE(x.events().size(), 3);
        QCOMPARE(x.events().at(0).text, x.events().at(2).text);
        QCOMPARE(x.events().at(0).json().value(QStringLiteral("owner_id")).toString().toLatin1(), kOwner);

        RawStream otherOwner;
        QVERIFY(otherOwner.open(sim.url(), authOther));
        QCOMPARE(otherOwner.status, 200);
        createBreadcrumb(sim.url(), R"({"title":"t","context":1,"tags":[]})", authY);
        QVERIFY(y.waitFor([&] { return y.events().size() == 2; }, 5000));
        otherOwner.pump(400);
        QCOMPARE(otherOwner.events().size(), 0); // other owner's writes are dropped
        QVERIFY(otherOwner.pingCount() >= 1);
    }

    void streamStatusAndContentType_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("503") << QStringList{QStringLiteral("--stream-status"), QStringLiteral("503")} << 503 << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("500") << QStringList{QStringLiteral("--stream-status"), QStringLiteral("500")} << 500 << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("401") << QStringList{QStringLiteral("--stream-status"), QStringLiteral("401")} << 401 << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("204") << QStringList{QStringLiteral("--stream-status"), QStringLiteral("204")} << 204 << QByteArray();
        QTest::newRow("wrong type") << QStringList{QStringLiteral("--stream-content-type"), QStringLiteral("text/html")} << 200 << QByteArray("text/html");
    }
    void streamStatusAndContentType()
    {
        QFETCH(QStringList, args);
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        SimProcess sim;
        QVERIFY2(sim.start(args), qPrintable(sim.error()));
        if (status == 200) {
            RawStream stream;
            QVERIFY(stream.open(sim.url()));
            QCOMPARE(stream.header("content-type"), contentType);
            QVERIFY(stream.waitFor([&] { return stream.pingCount() == 1; }, 3000));
            return;
        }
        const HttpResult r = request(sim.url(), "GET", "/events/stream");
        QCOMPARE(r.status, status);
        QCOMPARE(r.head.contains(QByteArray("content-type: " + contentType)), !contentType.isEmpty());
        QCOMPARE(r.body.isEmpty(), status == 204);
    }

    void faultBufferHoldsEverything()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--buffer-ms"), QStringLiteral("800"), QStringLiteral("--ping-ms"),
                            QStringLiteral("100")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        stream.pump(450);
        QCOMPARE(stream.frames.size(), 0); // even the connect ping is held by the "proxy"
        QVERIFY(stream.waitFor([&] { return stream.chunks.size() >= 2; }, 4000));
        // Each flush is one burst carrying several pings at once.
        QVERIFY2(stream.chunks.at(1).count("\"type\":\"ping\"") >= 4, stream.chunks.at(1).constData());
        QVERIFY(stream.chunkTimes.at(1) - stream.chunkTimes.at(0) >= 500);
    }

    void faultDelayKeepsPingsOnTime()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--delay-ms"), QStringLiteral("1200"), QStringLiteral("--ping-ms"),
                            QStringLiteral("150")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        createBreadcrumb(sim.url(), kSimple);
        const qint64 postedAt = stream.nowMs();
        stream.pump(700);
        QCOMPARE(stream.events().size(), 0);
        QVERIFY(stream.pingCount() >= 3); // pings are not delayed
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 1; }, 5000));
        qInfo() << "event lag with --delay-ms 1200:" << stream.events().at(0).atMs - postedAt << "ms";
        QVERIFY(stream.events().at(0).atMs - postedAt >= 700);
    }

    void faultStallAfter()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stall-after"), QStringLiteral("2"), QStringLiteral("--ping-ms"),
                            QStringLiteral("150")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        for (int i = 0; i < 5; ++i)
            createBreadcrumb(sim.url(), kSimple);
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 2; }, 5000));
        const int pingsBefore = stream.pingCount();
        stream.pump(800);
        QCOMPARE(stream.events().size(), 2);
        QVERIFY(stream.pingCount() >= pingsBefore + 3);
        QVERIFY(!stream.ended && !stream.closed);
    }

    void faultDropAfterEndsCleanly()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--drop-after"), QStringLiteral("3")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        for (int i = 0; i < 5; ++i)
            createBreadcrumb(sim.url(), kSimple);
        QVERIFY(stream.waitFor([&] { return stream.closed; }, 5000));
        QCOMPARE(stream.events().size(), 3);
        QVERIFY(stream.ended); // zero-size chunk: a clean end of the body, not a reset
    }

    void faultDuplicatesAndGarbage()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--dup-selectors"), QStringLiteral("2"), QStringLiteral("--garbage-every"),
                            QStringLiteral("2")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        const QByteArray first = createBreadcrumb(sim.url(), kSimple);
        const QByteArray second = createBreadcrumb(sim.url(), kSimple);
        // 2 writes x 3 copies = 6 events, with a garbage frame after every 2nd event.
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 9; }, 5000));
        QList<QByteArray> kinds;
        for (const Frame &f : stream.events()) {
            QJsonParseError error;
            QJsonDocument::fromJson(f.text.mid(6), &error);
            QVERIFY(f.text.startsWith("data: "));
            kinds.append(error.error == QJsonParseError::NoError ? f.json().value(QStringLiteral("breadcrumb_id")).toString().toLatin1()
                                                                 : QByteArray("garbage"));
        }
        QCOMPARE(kinds, QList<QByteArray>({first, first, "garbage", first, second, "garbage", second, second, "garbage"}));
    }

    void faultSplitFrames()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--split-frames"), QStringLiteral("--seed"), QStringLiteral("7")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        const QByteArray id = createBreadcrumb(sim.url(), R"({"title":"t","context":{"m":"✅ done ✅ → ok"},"tags":[]})");
        QVERIFY(stream.waitFor([&] { return stream.events().size() == 1; }, 5000));
        const QJsonObject event = stream.events().at(0).json();
        QCOMPARE(event.value(QStringLiteral("breadcrumb_id")).toString().toLatin1(), id);
        QCOMPARE(event.value(QStringLiteral("context")).toObject().value(QStringLiteral("m")).toString(),
                 QStringLiteral("✅ done ✅ → ok"));
        bool splitInsideCharacter = false;
        for (qsizetype i = 0; i < stream.chunks.size(); ++i) {
            QVERIFY(stream.chunks.at(i).size() <= 24);
            const auto first = static_cast<unsigned char>(stream.chunks.at(i).at(0));
            splitInsideCharacter = splitInsideCharacter || (first & 0xC0) == 0x80;
        }
        QVERIFY(stream.chunks.size() > 20);
        QVERIFY(splitInsideCharacter);
    }

    void runnerAnswersLikeTheRealOne()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        const auto requestBody = [](const QByteArray &context, const QByteArray &tags = R"(["tool:request","workspace:tools"])") -> QByteArray {
            return R"({"title":"req","schema_name":"tool.request.v1","tags":)" + tags + R"(,"context":)" + context + '}';
        };
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"echo","input":{"message":"hé ✅"},"requestId":"t-1"})"));
        const QByteArray anonymousId = createBreadcrumb(sim.url(), requestBody(R"({"tool":"calculator","input":{"expression":"(2+3)*4"}})"));
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"nosuch","input":{"a":1},"requestId":"t-3"})"));
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"calculator","input":{"expression":"2 +"},"requestId":"t-4"})"));
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"echo","requestId":"t-5"})"));                                    // no input
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"echo","input":{"message":"x"},"requestId":"t-6"})", R"(["tool:request"])")); // no workspace
        createBreadcrumb(sim.url(), requestBody(R"({"tool":"echo","input":{"message":"x"},"requestId":"t-7"})",
                                                R"(["tool:request","workspace:tools","health:check"])"));
        QVERIFY(stream.waitFor([&] { return responsesFor(stream).size() >= 4; }, 10000));
        stream.pump(1200);
        const QList<QJsonObject> responses = responsesFor(stream);
        QCOMPARE(responses.size(), 4);
        QHash<QString, QJsonObject> byRequest;
        for (const QJsonObject &r : responses)
            byRequest.insert(r.value(QStringLiteral("context")).toObject().value(QStringLiteral("request_id")).toString(), r);

        const QJsonObject echo = byRequest.value(QStringLiteral("t-1"));
        QCOMPARE(echo.value(QStringLiteral("tags")).toArray(),
                 QJsonArray({QStringLiteral("workspace:tools"), QStringLiteral("tool:response"), QStringLiteral("request:t-1"),
                             QStringLiteral("request:t-1")}));
        const QJsonObject echoContext = echo.value(QStringLiteral("context")).toObject();
        QCOMPARE(echoContext.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        QCOMPARE(echoContext.value(QStringLiteral("output")).toObject().value(QStringLiteral("echo")).toString(), QStringLiteral("hé ✅"));
        QVERIFY(echoContext.value(QStringLiteral("execution_time_ms")).toInt() >= 50);
        QCOMPARE(fullOf(sim.url(), echo.value(QStringLiteral("breadcrumb_id")).toString().toLatin1())
                     .value(QStringLiteral("title")).toString(), QStringLiteral("Response: echo"));
        QCOMPARE(fullOf(sim.url(), echo.value(QStringLiteral("breadcrumb_id")).toString().toLatin1())
                     .value(QStringLiteral("created_by")).toString(), QStringLiteral("00000000-0000-0000-0000-0000000000bb"));

        // Without requestId the request's breadcrumb id correlates.
        const QJsonObject calc = byRequest.value(QString::fromLatin1(anonymousId));
        QCOMPARE(calc.value(QStringLiteral("context")).toObject().value(QStringLiteral("output")).toObject().value(QStringLiteral("result")).toInt(), 20);
        QVERIFY(calc.value(QStringLiteral("tags")).toArray().contains(QJsonValue(QString::fromLatin1("request:" + anonymousId))));

        // Unknown tool: error WITHOUT the request tag (pollers wait 60 s for nothing).
        const QJsonObject missing = byRequest.value(QStringLiteral("t-3"));
        QCOMPARE(missing.value(QStringLiteral("tags")).toArray(),
                 QJsonArray({QStringLiteral("workspace:tools"), QStringLiteral("tool:response"), QStringLiteral("error")}));
        QCOMPARE(missing.value(QStringLiteral("context")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        // A failing execution: error WITH the request tag.
        const QJsonObject failed = byRequest.value(QStringLiteral("t-4"));
        QVERIFY(failed.value(QStringLiteral("tags")).toArray().contains(QJsonValue(QStringLiteral("request:t-4"))));
        QCOMPARE(failed.value(QStringLiteral("context")).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    }

    void runnerLlmAndWorkflow()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        createBreadcrumb(sim.url(), R"({"title":"llm","schema_name":"tool.request.v1","tags":["tool:request","workspace:tools"],)"
                                    R"("context":{"tool":"openrouter","input":{"messages":[]},"requestId":"llm-1-abc"}})");
        createBreadcrumb(sim.url(), R"({"title":"wf","schema_name":"tool.request.v1","tags":["tool:request","workspace:tools"],)"
                                    R"("context":{"tool":"workflow","requestId":"wf-1","input":{"steps":[)"
                                    R"({"id":"num1","tool":"random","input":{"min":1,"max":10}},)"
                                    R"({"id":"num2","tool":"random","input":{"min":1,"max":10}},)"
                                    R"({"id":"sum","tool":"calculator","input":{"expression":"${num1.numbers[0]} + ${num2.numbers[0]}"},"dependencies":["num1","num2"]}]}}})");
        QVERIFY(stream.waitFor([&] { return responsesFor(stream).size() == 5; }, 15000));
        QJsonObject llm, workflow;
        int steps = 0;
        for (const Frame &f : stream.events()) {
            const QJsonObject e = f.json();
            const QJsonObject c = e.value(QStringLiteral("context")).toObject();
            if (e.value(QStringLiteral("tags")).toArray().contains(QJsonValue(QStringLiteral("workflow:step")))) {
                ++steps;
                QVERIFY(c.value(QStringLiteral("requestId")).toString().startsWith(QStringLiteral("workflow-") + c.value(QStringLiteral("stepId")).toString() + QLatin1Char('-')));
            }
            if (c.value(QStringLiteral("request_id")) == QJsonValue(QStringLiteral("llm-1-abc")))
                llm = e;
            if (c.value(QStringLiteral("request_id")) == QJsonValue(QStringLiteral("wf-1")))
                workflow = e;
        }
        QCOMPARE(steps, 3);
        QCOMPARE(llm.value(QStringLiteral("tags")).toArray(),
                 QJsonArray({QStringLiteral("workspace:tools"), QStringLiteral("tool:response"), QStringLiteral("request:llm"),
                             QStringLiteral("request:llm-1-abc")}));
        const QJsonObject output = workflow.value(QStringLiteral("context")).toObject().value(QStringLiteral("output")).toObject();
        const QJsonObject results = output.value(QStringLiteral("results")).toObject();
        const int a = results.value(QStringLiteral("num1")).toObject().value(QStringLiteral("numbers")).toArray().at(0).toInt();
        const int b = results.value(QStringLiteral("num2")).toObject().value(QStringLiteral("numbers")).toArray().at(0).toInt();
        QCOMPARE(results.value(QStringLiteral("sum")).toObject().value(QStringLiteral("result")).toInt(), a + b);
        QCOMPARE(output.value(QStringLiteral("executionOrder")).toArray().last().toString(), QStringLiteral("sum"));
    }

    void runnerSlotsQueueAndNoRunner()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--runner-slots"), QStringLiteral("1")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        const QByteArray timer = R"({"title":"t","schema_name":"tool.request.v1","tags":["tool:request","workspace:tools"],"context":{"tool":"timer","input":{"seconds":1}}})";
        createBreadcrumb(sim.url(), timer);
        createBreadcrumb(sim.url(), timer);
        QVERIFY(stream.waitFor([&] { return responsesFor(stream).size() == 2; }, 10000));
        QList<qint64> at;
        for (const Frame &f : stream.events())
            if (f.text.contains("\"tool.response.v1\""))
                at.append(f.atMs);
        // One slot: the second one-second timer starts only after the first finished.
        qInfo() << "responses of two 1 s timers with one slot, apart by" << at.at(1) - at.at(0) << "ms";
        QVERIFY(at.at(1) - at.at(0) >= 900);

        SimProcess quiet;
        QVERIFY2(quiet.start({QStringLiteral("--no-runner")}), qPrintable(quiet.error()));
        RawStream quietStream;
        QVERIFY(quietStream.open(quiet.url()));
        createBreadcrumb(quiet.url(), R"({"title":"t","schema_name":"tool.request.v1","tags":["tool:request","workspace:tools"],"context":{"tool":"echo","input":{"message":"x"}}})");
        quietStream.pump(1000);
        QCOMPARE(quietStream.events().size(), 1); // the request only
    }

    void demoWorkloadProducesTheEcosystem()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo")}), qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        QSet<QString> seen;
        const auto scan = [&] {
            for (const Frame &f : stream.events()) {
                const QJsonObject e = f.json();
                const QString schema = e.value(QStringLiteral("schema_name")).toString();
                const QJsonObject c = e.value(QStringLiteral("context")).toObject();
                const QJsonArray tags = e.value(QStringLiteral("tags")).toArray();
                if (schema == QStringLiteral("user.message.v1") && c.value(QStringLiteral("content")).toString().toUtf8().size()
                                                                       > c.value(QStringLiteral("content")).toString().size())
                    seen.insert(QStringLiteral("user message (non-ASCII)"));
                if (schema == QStringLiteral("agent.context.v1") && f.text.startsWith("data: {\"type\"") && e.value(QStringLiteral("version")).toInt() >= 2)
                    seen.insert(QStringLiteral("context patch"));
                if (schema == QStringLiteral("tool.request.v1") && c.value(QStringLiteral("requestId")).toString().startsWith(QStringLiteral("llm-")))
                    seen.insert(QStringLiteral("llm request"));
                if (schema == QStringLiteral("tool.response.v1") && tags.contains(QJsonValue(QStringLiteral("request:llm"))))
                    seen.insert(QStringLiteral("llm response"));
                if (schema == QStringLiteral("tool.request.v1") && tags.contains(QJsonValue(QStringLiteral("workflow:step"))))
                    seen.insert(QStringLiteral("workflow step"));
                if (schema == QStringLiteral("tool.response.v1") && c.value(QStringLiteral("tool")) == QJsonValue(QStringLiteral("workflow")))
                    seen.insert(QStringLiteral("workflow response"));
                if (schema == QStringLiteral("agent.response.v1") && c.contains(QStringLiteral("trigger_event_id")))
                    seen.insert(QStringLiteral("agent response"));
            }
            return seen.size() == 7;
        };
        const bool complete = stream.waitFor(scan, 25000);
        QVERIFY2(complete, qPrintable(QStringList(seen.values()).join(QStringLiteral(", "))));

        const QJsonArray tools = request(sim.url(), "GET", "/breadcrumbs?schema_name=tool.code.v1").json().toArray();
        QStringList names;
        for (const QJsonValue &t : tools)
            for (const QJsonValue &tag : t.toObject().value(QStringLiteral("tags")).toArray())
                if (tag.toString().startsWith(QStringLiteral("tool:")))
                    names.append(tag.toString().mid(5));
        for (const char *name : {"echo", "random", "calculator", "timer", "workflow"})
            QVERIFY2(names.contains(QLatin1String(name)), name);
        QCOMPARE(request(sim.url(), "GET", "/breadcrumbs?schema_name=tool.catalog.v1").json().toArray().size(), 1);
        QCOMPARE(request(sim.url(), "GET", "/breadcrumbs?schema_name=agent.catalog.v1").json().toArray().size(), 1);
    }

    void loadWorkloadRateAndBound()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"), QStringLiteral("5000")}),
                 qPrintable(sim.error()));
        RawStream stream;
        QVERIFY(stream.open(sim.url()));
        stream.pump(300);
        const qsizetype before = stream.events().size();
        const qint64 start = stream.nowMs();
        stream.pump(3000);
        const qsizetype count = stream.events().size() - before;
        const double rate = double(count) * 1000.0 / double(stream.nowMs() - start);
        qInfo() << "load workload at --rate 5000 delivered" << qint64(rate) << "events/s";
        QVERIFY(rate > 1000);
        qint64 bytes = 0;
        const QList<Frame> events = stream.events();
        for (qsizetype i = before; i < events.size(); ++i) {
            QVERIFY(!events.at(i).json().value(QStringLiteral("breadcrumb_id")).toString().isEmpty());
            bytes += events.at(i).text.size();
        }
        qInfo() << "average frame size" << bytes / qMax<qsizetype>(1, count) << "bytes";

        // --events stops after exactly N writes: the versions in the store add up to N.
        SimProcess bounded;
        QVERIFY2(bounded.start({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"), QStringLiteral("4000"),
                                QStringLiteral("--events"), QStringLiteral("2000")}), qPrintable(bounded.error()));
        QTest::qWait(1500);
        const QJsonArray items = request(bounded.url(), "GET", "/breadcrumbs").json().toArray();
        qint64 versions = 0;
        for (const QJsonValue &item : items)
            versions += item.toObject().value(QStringLiteral("version")).toInt();
        QCOMPARE(versions, 2000);
        RawStream after;
        QVERIFY(after.open(bounded.url()));
        after.pump(500);
        QCOMPARE(after.events().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSimStream)
#include "tst_simstream.moc"
