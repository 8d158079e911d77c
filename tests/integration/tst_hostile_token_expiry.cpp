// A token that expires while its stream is open (issue 8 item 3). The server checks a token
// only when a request starts (rcrt-protocol.md §2.1), so an open stream outlives its token; the
// danger is the next reconnect. rcrt-sim with --jwt-leeway-s 0 refuses an expired token, and
// --drop-after 1 ends each stream after one event, so every created breadcrumb forces a
// reconnect: the provider must have renewed the token before each one.
#include "net/restclient.h"
#include "net/sseclient.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using rcrt::RestClient;
using rcrt::SseClient;
using rcrt::TokenProvider;
using rcrt::test::SimProcess;

class TstHostileTokenExpiry : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

private slots:
    void initTestCase() { qRegisterMetaType<QList<rcrt::StreamEvent>>(); }

    void reconnectsAfterExpiryUseARenewedToken()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt"), QStringLiteral("--jwt-leeway-s"),
                            QStringLiteral("0"), QStringLiteral("--drop-after"), QStringLiteral("1"),
                            QStringLiteral("--token-ttl-s"), QStringLiteral("3")}),
                 qPrintable(sim.error()));
        TokenProvider tokens(&m_nam);
        QSignalSpy renewed(&tokens, &TokenProvider::tokenChanged);
        TokenProvider::MintRequest request; // no ttl_sec: the sim's --token-ttl-s applies
        request.ownerId = QStringLiteral("00000000-0000-0000-0000-000000000001");
        request.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000e1");
        tokens.setMint(sim.url(), request);
        QVERIFY(renewed.wait(10000));
        const QString first = tokens.token();
        const qint64 firstExp = tokens.expiresAt()->toSecsSinceEpoch();
        QVERIFY(firstExp - QDateTime::currentSecsSinceEpoch() <= 3);

        rcrt::SseClientOptions options;
        options.backoff.initialMs = 50;
        options.backoff.capMs = 200;
        SseClient sse(&m_nam, sim.url(), &tokens, options);
        QStringList errors;
        connect(&sse, &SseClient::errorOccurred, &sse, [&](const QString &m) { errors += m; });
        QList<qint64> connectedAt;
        connect(&sse, &SseClient::connected, &sse,
                [&] { connectedAt += QDateTime::currentSecsSinceEpoch(); });
        int events = 0;
        connect(&sse, &SseClient::eventsReceived, &sse, [&](const QList<rcrt::StreamEvent> &batch) {
            for (const auto &e : batch)
                events += e.raw.contains("breadcrumb.updated");
        });
        sse.start();
        QTRY_VERIFY_WITH_TIMEOUT(!connectedAt.isEmpty(), 10000);

        // One write every 700 ms for ~7 s: two token lifetimes, each write ends the stream.
        RestClient rest(&m_nam, sim.url(), &tokens);
        int written = 0;
        QTimer writer;
        connect(&writer, &QTimer::timeout, &writer, [&] {
            rest.createBreadcrumb(R"({"title":"t","context":{},"tags":["expiry"],"schema_name":"t.v1"})");
            ++written;
        });
        writer.start(700);
        QTRY_VERIFY_WITH_TIMEOUT(written >= 10, 20000);
        writer.stop();
        QTRY_VERIFY_WITH_TIMEOUT(events >= 8, 10000);

        QVERIFY(tokens.token() != first);
        QVERIFY(renewed.size() >= 3); // the first mint and at least two renewals
        int afterExpiry = 0;
        for (qint64 at : connectedAt)
            afterExpiry += at > firstExp;
        QVERIFY2(afterExpiry >= 3, qPrintable(QString::number(afterExpiry)));
        // Renewed before expiry: not one reconnect was refused.
        for (const QString &e : errors)
            QVERIFY2(!e.contains(QStringLiteral("401")), qPrintable(e));
        sse.stop();
    }
};

QTEST_GUILESS_MAIN(TstHostileTokenExpiry)
#include "tst_hostile_token_expiry.moc"
