// TokenProvider against rcrt-sim in jwt mode: minting, the proactive refresh before exp, refresh
// coalescing, failures with the server's text and background retry, token files, and that the
// token never reaches a log line.
#include "net/jwt.h"
#include "net/restclient.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

#include <mutex>

using rcrt::RestCall;
using rcrt::RestClient;
using rcrt::RestResult;
using rcrt::TokenProvider;
using rcrt::test::SimProcess;

namespace {

TokenProvider::MintRequest mintRequest(std::optional<int> ttlSec = {})
{
    TokenProvider::MintRequest request;
    request.ownerId = QStringLiteral("00000000-0000-0000-0000-000000000001");
    request.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000c1");
    request.roles = {QStringLiteral("curator"), QStringLiteral("subscriber")};
    request.ttlSec = ttlSec;
    return request;
}

RestResult await(RestCall *call, bool *retried = nullptr)
{
    RestResult out;
    QEventLoop loop;
    QObject::connect(call, &RestCall::finished, &loop, [&](const RestResult &result) {
        out = result;
        if (retried)
            *retried = call->wasRetried();
        loop.quit();
    });
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    return out;
}

// Every log line of the process, to prove the token is not among them.
std::mutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const std::lock_guard lock(g_logMutex);
        g_log.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TstTokenProvider : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    bool startJwtSim(SimProcess &sim, QStringList extra = {})
    {
        if (!sim.start(QStringList{QStringLiteral("--auth"), QStringLiteral("jwt")} + extra)) {
            qWarning() << sim.error();
            return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        qRegisterMetaType<rcrt::RestResult>();
    }

    void mintsAToken()
    {
        SimProcess sim;
        QVERIFY(startJwtSim(sim));
        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        QSignalSpy failed(&tokens, &TokenProvider::refreshFailed);
        tokens.setMint(sim.url(), mintRequest(600));
        QVERIFY(tokens.canMint());
        QVERIFY(tokens.isRefreshing());
        QVERIFY(changed.wait(10000));
        QCOMPARE(failed.size(), 0);
        QVERIFY(tokens.hasToken());
        QVERIFY(!tokens.isRefreshing());

        const auto claims = rcrt::decodeJwtClaims(tokens.token());
        QVERIFY(claims);
        QCOMPARE(claims->sub, mintRequest().agentId);
        QCOMPARE(claims->ownerId, mintRequest().ownerId);
        QCOMPARE(claims->roles, mintRequest().roles);
        QVERIFY(claims->exp && claims->iat);
        QCOMPARE(*claims->exp - *claims->iat, qint64(600));
        QCOMPARE(tokens.expiresAt()->toSecsSinceEpoch(), *claims->exp);
        // Proactive refresh planned at 80 % of 600 s, i.e. well before exp.
        QVERIFY(tokens.nextRefreshAt());
        const qint64 dueInS =
            QDateTime::currentDateTimeUtc().secsTo(*tokens.nextRefreshAt());
        QVERIFY2(dueInS > 400 && dueInS <= 480, qPrintable(QString::number(dueInS)));
        QVERIFY(tokens.fingerprint().startsWith(QStringLiteral("sha256:")));
    }

    void refreshesBeforeExpiry()
    {
        SimProcess sim;
        QVERIFY(startJwtSim(sim, {QStringLiteral("--jwt-leeway-s"), QStringLiteral("0")}));
        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(sim.url(), mintRequest(3));
        QVERIFY(changed.wait(10000));
        const qint64 firstExp = tokens.expiresAt()->toSecsSinceEpoch();
        const QString firstToken = tokens.token();
        // The proactive refresh asks for a longer life, so the check below cannot race it.
        tokens.setMintRequest(mintRequest(60));
        qint64 renewedAtSecs = 0;
        QObject context;
        connect(&tokens, &TokenProvider::tokenChanged, &context,
                [&] { renewedAtSecs = QDateTime::currentSecsSinceEpoch(); });

        // Without any 401, a new token arrives by itself while the first is still valid.
        QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 2, 10000);
        QVERIFY(tokens.token() != firstToken);
        QVERIFY(tokens.expiresAt()->toSecsSinceEpoch() > firstExp);
        QCOMPARE(changed.size(), 2); // exactly one refresh so far: no loop on short tokens
        // Renewed while the first token was still accepted (the server, leeway 0, rejects
        // from the second after exp).
        QVERIFY2(renewedAtSecs <= firstExp,
                 qPrintable(QStringLiteral("renewed at %1, exp %2").arg(renewedAtSecs).arg(firstExp)));

        // After the first token's expiry, calls go through with no 401 and no retry.
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() > firstExp + 1, 10000);
        RestClient client(&m_nam, sim.url(), &tokens);
        bool retried = true;
        const RestResult result =
            await(client.getHistory(QUuid::createUuid().toString(QUuid::WithoutBraces)), &retried);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(!retried);
    }

    void concurrentRefreshesCoalesce()
    {
        SimProcess sim;
        QVERIFY(startJwtSim(sim));
        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(sim.url(), mintRequest());
        QVERIFY(changed.wait(10000));

        changed.clear();
        tokens.refreshNow();
        tokens.refreshNow();
        tokens.refreshNow();
        QVERIFY(tokens.isRefreshing());
        QVERIFY(changed.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!tokens.isRefreshing(), 5000);
        QTest::qWait(300); // a second mint would have answered by now on loopback
        QCOMPARE(changed.size(), 1);
    }

    void failureCarriesServerTextAndRetries()
    {
        SimProcess sim;
        QVERIFY(startJwtSim(sim));
        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        QSignalSpy failed(&tokens, &TokenProvider::refreshFailed);
        TokenProvider::MintRequest bad = mintRequest();
        bad.ownerId = QStringLiteral("not-a-uuid");
        tokens.setMint(sim.url(), bad);
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().toString(),
                 QStringLiteral("token mint failed: HTTP 400: invalid owner_id format"));
        QVERIFY(!tokens.hasToken());
        // It keeps trying in the background (backoff from 1 s), without anyone asking.
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 2, 10000);
        QCOMPARE(changed.size(), 0);

        // Mode switches stop the retries.
        tokens.setNone();
        const qsizetype failures = failed.size();
        QTest::qWait(2500);
        QCOMPARE(failed.size(), failures);
    }

    void unreachableServerIsANetworkError()
    {
        TokenProvider tokens(&m_nam);
        tokens.setAutoRefreshEnabled(false);
        QSignalSpy failed(&tokens, &TokenProvider::refreshFailed);
        tokens.setMint(QUrl(QStringLiteral("http://127.0.0.1:1")), mintRequest());
        QVERIFY(failed.wait(10000));
        QVERIFY2(failed.first().first().toString().startsWith(
                     QStringLiteral("token mint failed: network error: ")),
                 qPrintable(failed.first().first().toString()));
    }

    void tokenFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("token"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("  header.payload.signature\n\n");
        file.close();

        TokenProvider tokens(nullptr);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        QString error;
        QVERIFY(tokens.setStaticTokenFromFile(path, &error));
        QCOMPARE(tokens.token(), QStringLiteral("header.payload.signature"));
        QCOMPARE(tokens.mode(), TokenProvider::Mode::Static);
        QCOMPARE(changed.size(), 1);
        tokens.refreshNow(); // a static token cannot be refreshed: no-op
        QVERIFY(!tokens.isRefreshing());

        QVERIFY(!tokens.setStaticTokenFromFile(dir.filePath(QStringLiteral("missing")), &error));
        QVERIFY(error.contains(QStringLiteral("missing")));
        QCOMPARE(tokens.token(), QStringLiteral("header.payload.signature"));
    }

    void tokenNeverLogged()
    {
        SimProcess sim;
        QVERIFY(startJwtSim(sim));
        {
            const std::lock_guard lock(g_logMutex);
            g_log.clear();
        }
        // Info level on for our categories, whatever QT_LOGGING_RULES says.
        QLoggingCategory::setFilterRules(QStringLiteral("rcrt.net.*=true"));
        g_previousHandler = qInstallMessageHandler(captureLog);

        TokenProvider tokens(&m_nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        tokens.setMint(sim.url(), mintRequest());
        QVERIFY(changed.wait(10000));
        RestClient client(&m_nam, sim.url(), &tokens);
        const RestResult result = await(
            client.createBreadcrumb(R"({"title":"t","context":{},"tags":[]})"));
        QVERIFY2(result.ok(), qPrintable(result.error));

        qInstallMessageHandler(g_previousHandler);
        QLoggingCategory::setFilterRules(QString());
        const std::lock_guard lock(g_logMutex);
        const QString all = g_log.join(u'\n');
        QVERIFY(!all.isEmpty()); // something was logged...
        QVERIFY(all.contains(tokens.fingerprint())); // ...the fingerprint...
        QVERIFY(!all.contains(tokens.token())); // ...never the token
        // Not even its signature part alone.
        QVERIFY(!all.contains(tokens.token().section(u'.', 2)));
    }
};

QTEST_GUILESS_MAIN(TstTokenProvider)
#include "tst_tokenprovider.moc"
