// TitleCache against rcrt-sim over real HTTP: titles of created breadcrumbs arrive, at most
// maxInFlight requests run at once, a 404 is cached as "(deleted)", the LRU is bounded, the
// visible set replaces the queue, failures are not retried at once.
#include "app/titlecache.h"
#include "net/restclient.h"
#include "support/simprocess.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>
#include <QUuid>

using rcrt::RestCall;
using rcrt::RestClient;
using rcrt::RestResult;
using rcrt::TitleCache;
using rcrt::test::SimProcess;

namespace {

RestResult await(RestCall *call)
{
    RestResult out;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        out = result;
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}

QByteArray randomId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
}

} // namespace

class TstTitleCache : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;
    SimProcess m_sim;
    std::unique_ptr<RestClient> m_client;
    QList<QByteArray> m_ids;      // created in initTestCase
    QHash<QByteArray, QString> m_titles;

    QByteArray create(const QString &title)
    {
        const QJsonObject body{{QStringLiteral("title"), title},
                               {QStringLiteral("context"), QJsonObject{{QStringLiteral("n"), 1}}},
                               {QStringLiteral("tags"), QJsonArray{QStringLiteral("test:titles")}},
                               {QStringLiteral("schema_name"), QStringLiteral("test.title.v1")}};
        const RestResult result = await(m_client->createBreadcrumb(QJsonDocument(body).toJson(QJsonDocument::Compact)));
        if (!result.ok())
            qWarning() << result.error;
        return result.createdId().toLatin1();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<rcrt::RestResult>();
        QVERIFY2(m_sim.start(), qPrintable(m_sim.error()));
        m_client = std::make_unique<RestClient>(&m_nam, m_sim.url(), nullptr);
        for (int i = 0; i < 12; ++i) {
            const QString title = QStringLiteral("Title %1 \u00e9").arg(i);
            const QByteArray id = create(title);
            QVERIFY(!id.isEmpty());
            m_ids.append(id);
            m_titles.insert(id, title);
        }
    }

    void fetchesTitlesWithinTheInFlightBound()
    {
        TitleCache::Options options;
        options.maxInFlight = 3;
        TitleCache cache(m_client.get(), options);
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        int maxInFlight = 0;
        connect(&cache, &TitleCache::titleReady, this, [&] { maxInFlight = std::max(maxInFlight, cache.inFlight()); });

        cache.requestVisible(m_ids);
        // Never blocks: nothing is known yet, three are on the wire, the rest wait.
        QCOMPARE(cache.inFlight(), 3);
        QCOMPARE(cache.queued(), m_ids.size() - 3);
        QVERIFY(!cache.title(m_ids.first()));

        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), m_ids.size(), 15000);
        QVERIFY(maxInFlight <= 3);
        QCOMPARE(cache.inFlight(), 0);
        for (const QList<QVariant> &args : std::as_const(ready)) {
            const QByteArray id = args.at(0).toByteArray();
            QCOMPARE(args.at(1).toString(), m_titles.value(id));
            QCOMPARE(cache.title(id), std::optional<QString>(m_titles.value(id)));
        }

        // Cached: asking again starts nothing.
        cache.requestVisible(m_ids);
        QCOMPARE(cache.inFlight(), 0);
        QCOMPARE(cache.queued(), 0);
    }

    void notFoundIsCachedAsDeleted()
    {
        const QByteArray doomed = create(QStringLiteral("to be deleted"));
        QVERIFY(await(m_client->deleteBreadcrumb(QString::fromLatin1(doomed))).ok());
        const QByteArray unknown = randomId();

        TitleCache cache(m_client.get());
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        cache.requestVisible({doomed, unknown});
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 15000);
        for (const QByteArray &id : {doomed, unknown}) {
            QVERIFY(cache.isDeleted(id));
            QCOMPARE(cache.title(id), std::optional<QString>(TitleCache::deletedMarker()));
        }
        QCOMPARE(TitleCache::deletedMarker(), QStringLiteral("(deleted)"));
        cache.requestVisible({doomed, unknown});
        QCOMPARE(cache.inFlight(), 0);
    }

    void lruIsBounded()
    {
        TitleCache::Options options;
        options.capacity = 4;
        TitleCache cache(m_client.get(), options);
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        for (const QByteArray &id : m_ids)
            cache.request(id); // in order, so the first ones are the least recently used
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), m_ids.size(), 15000);
        int cached = 0;
        for (const QByteArray &id : m_ids)
            cached += cache.title(id) ? 1 : 0;
        QCOMPARE(cached, 4);
        QVERIFY(cache.title(ready.last().at(0).toByteArray()));
    }

    void visibleSetReplacesTheQueue()
    {
        TitleCache::Options options;
        options.maxInFlight = 1;
        TitleCache cache(m_client.get(), options);
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        cache.requestVisible(m_ids.mid(0, 8)); // one goes out, seven wait
        QCOMPARE(cache.queued(), 7);
        cache.requestVisible({m_ids.last()}); // the user scrolled: the seven are no longer wanted
        QCOMPARE(cache.queued(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 2, 15000);
        QTest::qWait(200);
        QCOMPARE(ready.count(), 2);
        QCOMPARE(ready.at(0).at(0).toByteArray(), m_ids.first());
        QCOMPARE(ready.at(1).at(0).toByteArray(), m_ids.last());
    }

    void failureIsNotRetriedAtOnce()
    {
        // A port that accepted nothing: connection refused once the server is closed.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const quint16 port = server.serverPort();
        server.close();
        RestClient dead(&m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), nullptr);
        TitleCache cache(&dead);
        QSignalSpy failed(&cache, &TitleCache::fetchFailed);
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        const QByteArray id = m_ids.first();
        cache.requestVisible({id});
        QVERIFY(failed.wait(15000));
        QCOMPARE(failed.first().at(0).toByteArray(), id);
        QVERIFY(!cache.title(id));
        cache.requestVisible({id});
        QCOMPARE(cache.inFlight(), 0);
        QCOMPARE(ready.count(), 0);
    }

    void withoutClientOnlyInsertFills()
    {
        TitleCache cache(nullptr);
        QSignalSpy ready(&cache, &TitleCache::titleReady);
        cache.requestVisible(m_ids);
        QCOMPARE(cache.inFlight(), 0);
        cache.insert("abc", QStringLiteral("From a list item"));
        QCOMPARE(ready.count(), 1);
        cache.insert("abc", QStringLiteral("From a list item")); // unchanged: no signal
        QCOMPARE(ready.count(), 1);
        QCOMPARE(cache.title("abc"), std::optional<QString>(QStringLiteral("From a list item")));

        // A client set later picks up the queue.
        cache.setClient(m_client.get());
        QVERIFY(cache.inFlight() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1 + std::min<int>(m_ids.size(), cache.options().maxQueued), 15000);
    }
};

QTEST_GUILESS_MAIN(TstTitleCache)
#include "tst_titlecache.moc"
