// RestClient against rcrt-sim over real HTTP on loopback: every verb in both auth modes, the
// plain-text errors verbatim, 409/412/404, both list shapes passed through raw, and the SDK rule
// "401 while we can mint → refresh once, retry once".
#include "net/restclient.h"
#include "net/tokenprovider.h"
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
using rcrt::TokenProvider;
using rcrt::test::SimProcess;

namespace {

const QString kOwner = QStringLiteral("00000000-0000-0000-0000-000000000001");

struct Outcome
{
    RestResult result;
    bool retried = false;
    bool timedOut = false;
};

// Waits for one call; RestCall always finishes asynchronously, so connecting here is in time.
Outcome await(RestCall *call, int timeoutMs = 15000)
{
    Outcome out;
    bool done = false;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        out.result = result;
        out.retried = call->wasRetried();
        done = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    out.timedOut = !done;
    return out;
}

QByteArray breadcrumbJson(const QString &title, const QStringList &tags,
                          const QString &schema = QStringLiteral("test.net.v1"))
{
    QJsonObject o{{QStringLiteral("title"), title},
                  {QStringLiteral("context"), QJsonObject{{QStringLiteral("n"), 1}}},
                  {QStringLiteral("tags"), QJsonArray::fromStringList(tags)},
                  {QStringLiteral("schema_name"), schema}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString uniqueTag()
{
    return QStringLiteral("test:") + QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
}

TokenProvider::MintRequest mintRequest(std::optional<int> ttlSec = {})
{
    TokenProvider::MintRequest request;
    request.ownerId = kOwner;
    request.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000c0");
    request.ttlSec = ttlSec;
    return request;
}

} // namespace

class TstRestClient : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    // Starts the sim; in jwt mode also mints a token through `tokens`.
    bool startSim(SimProcess &sim, bool jwt, TokenProvider &tokens, QStringList extra = {})
    {
        QStringList args{QStringLiteral("--auth"),
                         jwt ? QStringLiteral("jwt") : QStringLiteral("disabled")};
        args += extra;
        if (!sim.start(args)) {
            qWarning() << sim.error();
            return false;
        }
        if (jwt) {
            QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
            tokens.setMint(sim.url(), mintRequest());
            if (!changed.wait(10000))
                return false;
        }
        return true;
    }

    QString create(RestClient &client, const QByteArray &body)
    {
        const Outcome out = await(client.createBreadcrumb(body));
        if (!out.result.ok())
            qWarning() << out.result.error;
        return out.result.createdId();
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<rcrt::RestResult>();
    }

    void health()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const Outcome out = await(client.health());
        QVERIFY(!out.timedOut);
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QCOMPARE(out.result.status, 200);
        QCOMPARE(out.result.body.trimmed(), QByteArray("ok"));
    }

    void everyVerb_data()
    {
        QTest::addColumn<bool>("jwt");
        QTest::newRow("auth disabled") << false;
        QTest::newRow("auth jwt, minted token") << true;
    }
    void everyVerb()
    {
        QFETCH(bool, jwt);
        SimProcess sim;
        TokenProvider tokens(&m_nam);
        QVERIFY(startSim(sim, jwt, tokens));
        QCOMPARE(tokens.hasToken(), jwt);
        RestClient client(&m_nam, sim.url(), &tokens);
        const QString tag = uniqueTag();

        // POST
        const Outcome created = await(client.createBreadcrumb(
            breadcrumbJson(QStringLiteral("first"), {tag}), QStringLiteral("key-") + tag));
        QVERIFY2(created.result.ok(), qPrintable(created.result.error));
        QCOMPARE(created.result.status, 200);
        const QString id = created.result.createdId();
        QVERIFY(!QUuid::fromString(id).isNull());
        QVERIFY(!created.retried);

        // GET context view
        const Outcome got = await(client.getBreadcrumb(id));
        QVERIFY2(got.result.ok(), qPrintable(got.result.error));
        const QJsonObject view = QJsonDocument::fromJson(got.result.body).object();
        QCOMPARE(view.value(QLatin1String("id")).toString(), id);
        QCOMPARE(view.value(QLatin1String("version")).toInt(), 1);
        QCOMPARE(view.value(QLatin1String("title")).toString(), QStringLiteral("first"));

        // GET /full
        const Outcome full = await(client.getBreadcrumbFull(id));
        QVERIFY2(full.result.ok(), qPrintable(full.result.error));
        const QJsonObject fullObj = QJsonDocument::fromJson(full.result.body).object();
        QCOMPARE(fullObj.value(QLatin1String("id")).toString(), id);
        QCOMPARE(fullObj.value(QLatin1String("owner_id")).toString(), kOwner);

        // PATCH with the right If-Match
        const Outcome patched = await(client.updateBreadcrumb(
            id, R"({"context":{"n":2}})", 1));
        QVERIFY2(patched.result.ok(), qPrintable(patched.result.error));
        QCOMPARE(QJsonDocument::fromJson(patched.result.body).object().value(QLatin1String("ok")),
                 QJsonValue(true));

        // GET /history, version descending
        const Outcome history = await(client.getHistory(id));
        QVERIFY2(history.result.ok(), qPrintable(history.result.error));
        const QJsonArray versions = QJsonDocument::fromJson(history.result.body).array();
        QVERIFY(!versions.isEmpty());
        QCOMPARE(versions.first().toObject().value(QLatin1String("version")).toInt(), 2);
        QCOMPARE(versions.first().toObject().value(QLatin1String("context")).toObject(),
                 (QJsonObject{{QStringLiteral("n"), 2}}));

        // GET list by tag
        RestClient::ListQuery query;
        query.tag = tag;
        const Outcome listed = await(client.listBreadcrumbs(query));
        QVERIFY2(listed.result.ok(), qPrintable(listed.result.error));
        const QJsonArray items = QJsonDocument::fromJson(listed.result.body).array();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value(QLatin1String("id")).toString(), id);
        QCOMPARE(items.first().toObject().value(QLatin1String("version")).toInt(), 2);

        // DELETE, then it is gone
        const Outcome deleted = await(client.deleteBreadcrumb(id));
        QVERIFY2(deleted.result.ok(), qPrintable(deleted.result.error));
        const Outcome gone = await(client.getBreadcrumb(id));
        QCOMPARE(gone.result.status, 404);
        QVERIFY(gone.result.isNotFound());
        QCOMPARE(gone.result.error, QStringLiteral("HTTP 404: not found"));
    }

    void unauthorizedIsVerbatimWithoutToken()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}),
                 qPrintable(sim.error()));
        TokenProvider none(&m_nam);
        RestClient client(&m_nam, sim.url(), &none);
        const Outcome out = await(client.getBreadcrumb(QUuid::createUuid().toString(
            QUuid::WithoutBraces)));
        QVERIFY(!out.result.ok());
        QVERIFY(out.result.isUnauthorized());
        QCOMPARE(out.result.error, QStringLiteral("HTTP 401: missing Authorization"));
        QCOMPARE(out.result.body, QByteArray("missing Authorization"));
        QVERIFY(!out.retried);

        // The list has no auth on the server, so it works without a token.
        const Outcome listed = await(client.listBreadcrumbs());
        QVERIFY2(listed.result.ok(), qPrintable(listed.result.error));
    }

    void staticBadTokenIsNotRetried()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        tokens.setStaticToken(QStringLiteral("not.a.jwt"));
        RestClient client(&m_nam, sim.url(), &tokens);
        const Outcome out = await(client.createBreadcrumb(breadcrumbJson(QStringLiteral("x"), {})));
        QCOMPARE(out.result.status, 401);
        QVERIFY(out.result.error.startsWith(QStringLiteral("HTTP 401: invalid token")));
        QVERIFY(!out.retried); // a static token cannot be refreshed
    }

    void expiredMintedTokenIsRefreshedAndRetried()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt"),
                            QStringLiteral("--jwt-leeway-s"), QStringLiteral("0")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        // Hold the token past its exp, like the runners that never refreshed (§2.3).
        tokens.setAutoRefreshEnabled(false);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(sim.url(), mintRequest(2));
        QVERIFY(changed.wait(10000));
        const QString oldToken = tokens.token();
        QVERIFY(tokens.expiresAt());
        // Renewed tokens live a little longer, so a loaded machine still uses them in time.
        tokens.setMintRequest(mintRequest(4));
        // Wait until the server must reject it: exp has passed by a whole second.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch()
                                     > tokens.expiresAt()->toSecsSinceEpoch() + 1,
                                 10000);

        RestClient client(&m_nam, sim.url(), &tokens);
        const Outcome out = await(client.createBreadcrumb(breadcrumbJson(QStringLiteral("late"), {})));
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QVERIFY(!out.result.createdId().isEmpty());
        QVERIFY(out.retried);
        QCOMPARE(changed.size(), 2);
        QVERIFY(tokens.token() != oldToken);

        // Several calls racing into the same expiry share one refresh.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch()
                                     > tokens.expiresAt()->toSecsSinceEpoch() + 1,
                                 15000);
        int finishedCount = 0;
        int retriedOkCount = 0;
        for (int i = 0; i < 4; ++i) {
            RestCall *call =
                client.getHistory(QUuid::createUuid().toString(QUuid::WithoutBraces));
            connect(call, &RestCall::finished, this, [&, call](const RestResult &result) {
                ++finishedCount;
                if (result.ok() && call->wasRetried())
                    ++retriedOkCount;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finishedCount, 4, 15000);
        QCOMPARE(retriedOkCount, 4);
        QCOMPARE(changed.size(), 3);
    }

    void duplicateIdempotencyKeyIs409()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const Outcome first = await(client.createBreadcrumb(breadcrumbJson(QStringLiteral("a"), {}), key));
        QVERIFY2(first.result.ok(), qPrintable(first.result.error));
        const Outcome second = await(client.createBreadcrumb(breadcrumbJson(QStringLiteral("a"), {}), key));
        QCOMPARE(second.result.status, 409);
        QVERIFY(second.result.isDuplicateIdempotencyKey());
        QCOMPARE(second.result.error, QStringLiteral("HTTP 409: duplicate idempotency key"));
        QVERIFY(second.result.createdId().isEmpty());
        // Without a key the same body is a new breadcrumb.
        const Outcome third = await(client.createBreadcrumb(breadcrumbJson(QStringLiteral("a"), {})));
        QVERIFY2(third.result.ok(), qPrintable(third.result.error));
        QVERIFY(third.result.createdId() != first.result.createdId());
    }

    void staleIfMatchIs412()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const QString id = create(client, breadcrumbJson(QStringLiteral("v"), {}));
        QVERIFY(!id.isEmpty());
        const Outcome ok = await(client.updateBreadcrumb(id, R"({"title":"v2"})", 1));
        QVERIFY2(ok.result.ok(), qPrintable(ok.result.error));
        const Outcome stale = await(client.updateBreadcrumb(id, R"({"title":"v3"})", 1));
        QCOMPARE(stale.result.status, 412);
        QVERIFY(stale.result.isVersionMismatch());
        QCOMPARE(stale.result.error, QStringLiteral("HTTP 412: version_mismatch"));
        // Without If-Match the write goes through (last writer wins).
        const Outcome blind = await(client.updateBreadcrumb(id, R"({"title":"v3"})"));
        QVERIFY2(blind.result.ok(), qPrintable(blind.result.error));
        const Outcome fresh = await(client.updateBreadcrumb(id, R"({"title":"v4"})", 3));
        QVERIFY2(fresh.result.ok(), qPrintable(fresh.result.error));
    }

    void deleteUnknownIs404()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const Outcome out =
            await(client.deleteBreadcrumb(QUuid::createUuid().toString(QUuid::WithoutBraces)));
        QCOMPARE(out.result.status, 404);
        QCOMPARE(out.result.error, QStringLiteral("HTTP 404: not found"));
    }

    void badIdIs400Verbatim()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const Outcome out = await(client.getBreadcrumbFull(QStringLiteral("not-a-uuid")));
        QCOMPARE(out.result.status, 400);
        QVERIFY(out.result.error.startsWith(QStringLiteral("HTTP 400: ")));
        QVERIFY(out.result.error.endsWith(QString::fromUtf8(out.result.body.trimmed())));
    }

    void listPassesBothShapesThroughRaw()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const QString tag = uniqueTag();
        QStringList ids;
        for (int i = 0; i < 3; ++i)
            ids.append(create(client, breadcrumbJson(QStringLiteral("item %1").arg(i), {tag},
                                                     i == 2 ? QStringLiteral("other.v1")
                                                            : QStringLiteral("test.net.v1"))));
        QVERIFY(!ids.contains(QString()));

        RestClient::ListQuery query;
        query.tag = tag;
        Outcome out = await(client.listBreadcrumbs(query));
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        QJsonArray items = QJsonDocument::fromJson(out.result.body).array();
        QCOMPARE(items.size(), 3);
        for (const QJsonValue &item : std::as_const(items)) {
            const QJsonObject o = item.toObject();
            QVERIFY(ids.contains(o.value(QLatin1String("id")).toString()));
            QVERIFY(o.contains(QLatin1String("updated_at")));
            QVERIFY(!o.contains(QLatin1String("context"))); // the short shape
        }

        query.includeContext = true;
        out = await(client.listBreadcrumbs(query));
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        items = QJsonDocument::fromJson(out.result.body).array();
        QCOMPARE(items.size(), 3);
        for (const QJsonValue &item : std::as_const(items)) {
            const QJsonObject o = item.toObject();
            QCOMPARE(o.value(QLatin1String("context")).toObject(),
                     (QJsonObject{{QStringLiteral("n"), 1}}));
            QVERIFY(o.contains(QLatin1String("description"))); // null, but present
        }

        query.includeContext = false;
        query.limit = 2;
        out = await(client.listBreadcrumbs(query));
        QCOMPARE(QJsonDocument::fromJson(out.result.body).array().size(), 2);
        query.offset = 2;
        out = await(client.listBreadcrumbs(query));
        QCOMPARE(QJsonDocument::fromJson(out.result.body).array().size(), 1);

        RestClient::ListQuery bySchema;
        bySchema.tag = tag;
        bySchema.schemaName = QStringLiteral("other.v1");
        out = await(client.listBreadcrumbs(bySchema));
        items = QJsonDocument::fromJson(out.result.body).array();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value(QLatin1String("id")).toString(), ids.at(2));
    }

    void queryValuesAreEncoded()
    {
        // '+' must reach the server as '+', not as a space; '&' must not split the query.
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        RestClient client(&m_nam, sim.url(), nullptr);
        const QString tag = uniqueTag() + QStringLiteral("+a b&c=d");
        const QString id = create(client, breadcrumbJson(QStringLiteral("enc"), {tag}));
        QVERIFY(!id.isEmpty());
        RestClient::ListQuery query;
        query.tag = tag;
        const Outcome out = await(client.listBreadcrumbs(query));
        QVERIFY2(out.result.ok(), qPrintable(out.result.error));
        const QJsonArray items = QJsonDocument::fromJson(out.result.body).array();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().toObject().value(QLatin1String("id")).toString(), id);
    }

    void networkErrorIsClear()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        RestClient client(&m_nam, QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), nullptr);
        const Outcome out = await(client.health());
        QVERIFY(!out.timedOut);
        QVERIFY(!out.result.ok());
        QVERIFY(out.result.isNetworkError());
        QCOMPARE(out.result.status, 0);
        QVERIFY2(out.result.error.startsWith(QStringLiteral("network error: ")),
                 qPrintable(out.result.error));
    }

    void abortFinishesWithCancelled()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        RestClient client(&m_nam,
                          QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())),
                          nullptr);
        RestCall *call = client.health();
        QTimer::singleShot(100, call, &RestCall::abort);
        const Outcome out = await(call);
        QVERIFY(!out.timedOut);
        QCOMPARE(out.result.error, QStringLiteral("cancelled"));
    }

    void transferTimeoutIsReported()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        RestClient client(&m_nam,
                          QUrl(QStringLiteral("http://127.0.0.1:%1").arg(silent.serverPort())),
                          nullptr);
        client.setTransferTimeoutMs(300);
        const Outcome out = await(client.health());
        QVERIFY(!out.timedOut);
        QVERIFY2(out.result.error.startsWith(QStringLiteral("timed out after 300 ms")),
                 qPrintable(out.result.error));
    }

    void basePathPrefixIsKept()
    {
        const QUrl url = RestClient::endpointUrl(QUrl(QStringLiteral("http://h:1/api/")),
                                                 QStringLiteral("/breadcrumbs"));
        QCOMPARE(url.toString(), QStringLiteral("http://h:1/api/breadcrumbs"));
        const QUrl bare = RestClient::endpointUrl(QUrl(QStringLiteral("http://h:1")),
                                                  QStringLiteral("/health"));
        QCOMPARE(bare.toString(), QStringLiteral("http://h:1/health"));
    }
};

QTEST_GUILESS_MAIN(TstRestClient)
#include "tst_restclient.moc"
