// SseClient against a hostile raw-socket server (tests/support/hostileserver.h): each case
// misbehaves on the first stream connection and behaves on the next, so every test checks the
// three promises of issue 8 item 2: no crash and bounded memory, the error shown, recovery.
#include "net/sseclient.h"
#include "support/hostileserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using rcrt::SseClient;
using rcrt::StreamEvent;
using rcrt::test::HostileConnection;
using rcrt::test::HostileServer;
using rcrt::test::breadcrumbEventJson;
using rcrt::test::sseFrame;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

// Everything a client told us, and the events that came back after the misbehaviour.
struct Watch
{
    explicit Watch(SseClient &client)
    {
        QObject::connect(&client, &SseClient::eventsReceived, &context,
                         [this](const QList<StreamEvent> &batch) {
                             for (const StreamEvent &e : batch) {
                                 events += e.raw;
                                 const QJsonObject o = QJsonDocument::fromJson(e.raw).object();
                                 const QJsonArray tags = o.value(QLatin1String("tags")).toArray();
                                 if (tags.contains(QStringLiteral("recovered")))
                                     ++recovered;
                             }
                         });
        QObject::connect(&client, &SseClient::errorOccurred, &context,
                         [this](const QString &m) { errors += m; });
        QObject::connect(&client, &SseClient::parseError, &context,
                         [this](const QString &m) { parseErrors += m; });
    }
    bool anyError(const QString &needle) const
    {
        for (const QString &e : errors + parseErrors) {
            if (e.contains(needle, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }
    QObject context;
    QList<QByteArray> events;
    QStringList errors;
    QStringList parseErrors;
    int recovered = 0;
};

// Samples this process's RSS while the event loop runs; the peak growth over the start.
struct RssWatch
{
    RssWatch()
        : base(rcrt::test::currentRssBytes())
    {
        QObject::connect(&timer, &QTimer::timeout, &timer, [this] {
            peak = std::max(peak, rcrt::test::currentRssBytes());
        });
        timer.start(20);
    }
    qint64 growthMiB() const { return (std::max(peak, base) - base) / kMiB; }
    QTimer timer;
    qint64 base = 0;
    qint64 peak = 0;
};

QByteArray gzip(const QByteArray &bytes)
{
    QProcess gz;
    gz.start(QStringLiteral("gzip"), {QStringLiteral("-c")});
    gz.write(bytes);
    gz.closeWriteChannel();
    gz.waitForFinished(10000);
    return gz.readAllStandardOutput();
}

} // namespace

class TstHostileStream : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

private slots:
    void initTestCase() { qRegisterMetaType<QList<rcrt::StreamEvent>>(); }

    // 100 MB in one line, then good events on the same stream: the line is skipped and
    // reported once, the events after it arrive, memory stays near the parser's limit.
    void hundredMegabyteLine()
    {
        constexpr qint64 total = 100 * kMiB;
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead();
            c.send("data: {\"type\":\"ping\",\"pad\":\"");
            auto sent = std::make_shared<qint64>(0);
            const QByteArray chunk(kMiB, 'x');
            c.pump([sent, chunk]() -> QByteArray {
                if (*sent < total) {
                    *sent += chunk.size();
                    return chunk;
                }
                if (*sent == total) {
                    ++*sent;
                    QByteArray tail = "\"}\n\n";
                    for (int i = 0; i < 3; ++i)
                        tail += sseFrame(breadcrumbEventJson(i, "recovered"));
                    return tail;
                }
                return {};
            });
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        RssWatch rss;
        qsizetype maxBuffered = 0;
        QObject::connect(&sse, &SseClient::eventsReceived, &sse,
                         [&] { maxBuffered = std::max(maxBuffered, sse.parserBufferedBytes()); });
        QTimer probe;
        QObject::connect(&probe, &QTimer::timeout, &sse,
                         [&] { maxBuffered = std::max(maxBuffered, sse.parserBufferedBytes()); });
        probe.start(10);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 60000);
        QCOMPARE(server.connectionCount(), 1); // recovered on the same stream
        QVERIFY(sse.bytesReceived() > total);
        QCOMPARE(watch.parseErrors.size(), 1);
        QVERIFY2(watch.parseErrors.first().contains(QStringLiteral("exceeds")),
                 qPrintable(watch.parseErrors.first()));
        QVERIFY(maxBuffered <= sse.options().maxLineBytes + 64 * 1024);
        qInfo("100 MB line: RSS growth %lld MiB, parser buffer peak %lld KiB",
              rss.growthMiB(), qint64(maxBuffered / 1024));
        // 16 MiB line limit + 8 MiB read buffer + socket and allocator slack; 100 MB kept
        // anywhere would break this.
        QVERIFY2(rss.growthMiB() < 64, qPrintable(QString::number(rss.growthMiB())));
    }

    // A line that never ends: bounded memory, one report, then the server resets and the
    // reconnect gets events.
    void lineThatNeverEnds()
    {
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead();
            c.send("data: ");
            const QByteArray chunk(256 * 1024, 'y');
            auto clock = std::make_shared<QElapsedTimer>();
            clock->start();
            QPointer<HostileConnection> self(&c);
            c.pump([chunk, clock, self]() -> QByteArray {
                if (clock->elapsed() < 1500)
                    return chunk;
                QTimer::singleShot(0, self, [self] { self->reset(); });
                return {};
            });
        });
        QVERIFY(server.listen());
        rcrt::SseClientOptions options = rcrt::test::fastReconnectOptions();
        options.maxLineBytes = 4 * kMiB;
        options.maxEventBytes = 4 * kMiB;
        SseClient sse(&m_nam, server.url(), nullptr, options);
        Watch watch(sse);
        RssWatch rss;
        qsizetype maxBuffered = 0;
        QTimer probe;
        QObject::connect(&probe, &QTimer::timeout, &sse,
                         [&] { maxBuffered = std::max(maxBuffered, sse.parserBufferedBytes()); });
        probe.start(10);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 20000);
        QVERIFY(server.connectionCount() >= 2);
        QVERIFY(sse.bytesReceived() > 8 * kMiB);
        QCOMPARE(watch.parseErrors.size(), 1); // reported once, not per chunk
        QVERIFY(watch.parseErrors.first().contains(QStringLiteral("exceeds")));
        QVERIFY(maxBuffered <= options.maxLineBytes + 64 * 1024);
        QVERIFY2(rss.growthMiB() < 48, qPrintable(QString::number(rss.growthMiB())));
        qInfo("endless line: %lld MiB received, RSS growth %lld MiB, parser buffer peak %lld KiB",
              sse.bytesReceived() / kMiB, rss.growthMiB(), qint64(maxBuffered / 1024));
    }

    // Ill-formed UTF-8 is replaced (WHATWG), the operator is told once, nothing is dropped.
    void invalidUtf8()
    {
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead();
            c.send(sseFrame("{\"type\":\"breadcrumb.updated\",\"note\":\"bad \xC0\x80 \xFF\xFE end\"}"));
            c.send(sseFrame("{\"type\":\"ping\",\"ts\":\"2025-01-01T00:00:00Z\",\"x\":\"\xE2\x82\"}"));
            c.send(sseFrame(breadcrumbEventJson(0, "recovered")));
            c.close();
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 4, 10000); // 1 + 3 after the reconnect
        QVERIFY(watch.events.size() >= 6);
        QVERIFY(watch.events.at(0).contains("bad \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD end"));
        QVERIFY(watch.events.at(1).contains("\"x\":\"\xEF\xBF\xBD\""));
        QCOMPARE(watch.parseErrors.size(), 1); // once per connection
        QVERIFY(watch.anyError(QStringLiteral("invalid UTF-8")));
    }

    // NUL bytes pass through the parser as data (they are valid UTF-8); the decoder's business.
    void nulBytes()
    {
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead();
            c.send(sseFrame(QByteArray("{\"type\":\"ping\"\0,\"ts\":1}", 23)));
            c.send(QByteArray("data: \0\0\0\n\n", 11));
            c.send(sseFrame(breadcrumbEventJson(0, "recovered")));
            c.close();
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 4, 10000);
        QCOMPARE(watch.events.at(0).size(), 23);
        QCOMPARE(watch.events.at(1), QByteArray("\0\0\0", 3));
    }

    // Refusals: the status and the server's text are shown, then the client backs off and
    // reconnects (all but 204, which means "stop" in SSE).
    void statuses_data()
    {
        QTest::addColumn<QByteArray>("statusLine");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("reconnects");
        QTest::newRow("204") << QByteArray("204 No Content") << QStringLiteral("204") << false;
        QTest::newRow("401") << QByteArray("401 Unauthorized") << QStringLiteral("HTTP 401: go away") << true;
        QTest::newRow("403") << QByteArray("403 Forbidden") << QStringLiteral("HTTP 403: go away") << true;
        QTest::newRow("500") << QByteArray("500 Internal Server Error") << QStringLiteral("HTTP 500: go away") << true;
        QTest::newRow("503") << QByteArray("503 Service Unavailable") << QStringLiteral("HTTP 503: go away") << true;
        QTest::newRow("301 no Location") << QByteArray("301 Moved Permanently") << QStringLiteral("HTTP 301") << true;
    }
    void statuses()
    {
        QFETCH(QByteArray, statusLine);
        QFETCH(QString, expected);
        QFETCH(bool, reconnects);
        HostileServer server([statusLine](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            if (statusLine.startsWith("204"))
                return c.sendAnswer(statusLine, {}, {});
            // Control characters in the body must not reach a log line.
            c.sendAnswer(statusLine, "text/plain", QByteArray("go\0\x1b[31m away\r\n", 15));
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        QSignalSpy disconnected(&sse, &SseClient::disconnected);
        sse.start();
        if (reconnects) {
            QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 10000);
            // Qt drops a 3xx body; the others are quoted, control characters blanked.
            QCOMPARE(watch.errors.first(), expected.replace(QStringLiteral("go away"),
                                                             QStringLiteral("go [31m away")));
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(sse.state(), SseClient::State::Stopped, 10000);
            QVERIFY(sse.stopReason().contains(expected));
            QTest::qWait(500);
            QCOMPARE(server.connectionCount(), 1);
        }
    }

    // 301 with a Location: followed (same scheme), and the stream works.
    void redirectIsFollowed()
    {
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendAnswer("301 Moved Permanently", "text/plain", "moved",
                         {"Location: /events/stream?moved=1"});
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 10000);
        QVERIFY(server.requestHeads().at(1).startsWith("GET /events/stream?moved=1 "));
        QVERIFY(watch.errors.isEmpty());
    }

    // One byte a second keeps a stream alive: the watchdog counts bytes, not whole events, so
    // a slow server is not cut off, and the progress is visible.
    void oneBytePerSecond()
    {
        HostileServer server([](HostileConnection &c) {
            c.sendStreamHead();
            c.drip(sseFrame(breadcrumbEventJson(0, "slow")), 1000);
        });
        QVERIFY(server.listen());
        rcrt::SseClientOptions options = rcrt::test::fastReconnectOptions();
        options.watchdogMs = 1800; // shorter than two bytes apart would be, longer than one
        SseClient sse(&m_nam, server.url(), nullptr, options);
        Watch watch(sse);
        sse.start();
        QTRY_COMPARE_WITH_TIMEOUT(sse.state(), SseClient::State::Open, 10000);
        QList<qint64> seen;
        for (int i = 0; i < 3; ++i) {
            QTest::qWait(1000);
            seen += sse.bytesReceived();
        }
        QCOMPARE(sse.state(), SseClient::State::Open);
        QVERIFY2(watch.errors.isEmpty(), qPrintable(watch.errors.join(u'|')));
        QCOMPARE(server.connectionCount(), 1);
        QVERIFY(seen.at(2) > seen.at(0)); // progress
        QVERIFY(sse.lastByteAtNs() > 0);
        sse.stop();
    }

    // A reset in the middle of a frame: the half frame is never dispatched (nor glued to the
    // next connection's bytes), the error is shown, the reconnect streams.
    void resetInTheMiddleOfAFrame()
    {
        HostileServer server([](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead();
            const QByteArray frame = sseFrame(breadcrumbEventJson(1, "before"));
            c.send(frame + frame.left(frame.size() / 2));
            QPointer<HostileConnection> self(&c);
            QTimer::singleShot(200, self, [self] { self->reset(); });
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 10000);
        QVERIFY2(watch.anyError(QStringLiteral("in the middle of an event")),
                 qPrintable(watch.errors.join(u'|')));
        int before = 0;
        for (const QByteArray &raw : watch.events) {
            QVERIFY2(!QJsonDocument::fromJson(raw).isNull(), raw.left(200).constData());
            before += raw.contains("\"before\"");
        }
        QCOMPARE(before, 1);
    }

    // gzip although we asked for identity: refused with a clear error (Qt would hand the
    // compressed bytes to the parser), no garbage events, and the next connection streams.
    void gzipDespiteIdentity()
    {
        const QByteArray compressed = gzip(sseFrame(breadcrumbEventJson(0, "zipped")).repeated(50));
        QVERIFY(compressed.startsWith("\x1f\x8b"));
        HostileServer server([compressed](HostileConnection &c) {
            if (c.index() > 0)
                return c.behave();
            c.sendStreamHead("text/event-stream", {"Content-Encoding: gzip"});
            c.send(compressed);
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(watch.recovered >= 3, 10000);
        QVERIFY(server.requestHeads().first().contains("Accept-Encoding: identity"));
        QVERIFY2(watch.anyError(QStringLiteral("Content-Encoding: gzip")), qPrintable(watch.errors.join(u'|')));
        QCOMPARE(watch.events.size(), 4); // the ping and 3 events of the good connection
        for (const QString &e : watch.errors)
            QVERIFY(!e.contains(QChar(0xFFFD))); // no binary body quoted
    }

    // 10,000 events in one write arrive complete and distinct.
    void tenThousandEventsInOneWrite()
    {
        constexpr int n = 10000;
        HostileServer server([](HostileConnection &c) {
            c.sendStreamHead();
            QByteArray all;
            for (int i = 0; i < n; ++i)
                all += sseFrame(breadcrumbEventJson(i, "burst"));
            c.send(all);
        });
        QVERIFY(server.listen());
        SseClient sse(&m_nam, server.url(), nullptr, rcrt::test::fastReconnectOptions());
        Watch watch(sse);
        sse.start();
        QTRY_COMPARE_WITH_TIMEOUT(watch.events.size(), n, 20000);
        QSet<QByteArray> ids;
        for (const QByteArray &raw : watch.events)
            ids.insert(QJsonDocument::fromJson(raw).object().value(QLatin1String("breadcrumb_id")).toString().toLatin1());
        QCOMPARE(ids.size(), n);
        QVERIFY(watch.errors.isEmpty());
        QVERIFY(sse.parserBufferedBytes() < 64 * 1024);
    }
};

QTEST_GUILESS_MAIN(TstHostileStream)
#include "tst_hostile_stream.moc"
