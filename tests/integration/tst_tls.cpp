// https: verified by default, a CA file trusts a private CA, the per-connection opt-out works
// and is warned about on every connect (issue 8 item 4). The server is a TLS HostileServer on
// 127.0.0.1 with a certificate from a CA made by openssl for this test.
#include "app/ingestengine.h"
#include "app/livesource.h"
#include "app/localwiring.h"
#include "app/profiles.h"
#include "model/eventstore.h"
#include "net/sseclient.h"
#include "net/tlsaccessmanager.h"
#include "support/hostileserver.h"

#include <QSettings>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

using rcrt::SseClient;
using rcrt::TlsAccessManager;
using rcrt::TlsOptions;
using rcrt::test::HostileConnection;
using rcrt::test::HostileServer;
using rcrt::test::TestCertificates;
using rcrt::test::runTapAlongside;

namespace {

struct Outcome
{
    QStringList errors;
    int events = 0;
    int connects = 0;
};

// Streams from `url` through a manager with `tls` for up to waitMs; stops at the first events.
Outcome streamOnce(const QUrl &url, const TlsOptions &tls, int waitMs = 10000)
{
    TlsAccessManager nam;
    Outcome out;
    if (!nam.setTlsOptions(tls)) {
        out.errors += QStringLiteral("bad options");
        return out;
    }
    SseClient sse(&nam, url, nullptr, rcrt::test::fastReconnectOptions(3));
    QObject::connect(&sse, &SseClient::errorOccurred, &sse, [&](const QString &m) { out.errors += m; });
    QObject::connect(&sse, &SseClient::eventsReceived, &sse,
                     [&](const QList<rcrt::StreamEvent> &batch) { out.events += int(batch.size()); });
    sse.start();
    if (!QTest::qWaitFor([&] { return out.events >= 4 || out.errors.size() >= 2; }, waitMs))
        out.errors += QStringLiteral("nothing happened within %1 ms").arg(waitMs);
    out.connects = sse.connectCount();
    sse.stop();
    return out;
}

} // namespace

class TstTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCertificates m_certs;
    std::unique_ptr<HostileServer> m_server;

private slots:
    void initTestCase()
    {
        qRegisterMetaType<QList<rcrt::StreamEvent>>();
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend in this Qt");
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(m_certs.generate(m_dir.path(), &error), qPrintable(error));
        m_server = std::make_unique<HostileServer>([](HostileConnection &c) { c.behave(); });
        QVERIFY(m_server->listenTls(m_certs.serverConfiguration()));
        QCOMPARE(m_server->url().scheme(), QStringLiteral("https"));
    }

    // Default: the private CA is unknown, so the handshake fails and the error says why.
    void verifiedByDefault()
    {
        const Outcome out = streamOnce(m_server->url(), TlsOptions{});
        QCOMPARE(out.events, 0);
        QCOMPARE(out.connects, 0);
        QVERIFY(!out.errors.isEmpty());
        const QString first = out.errors.first();
        QVERIFY2(first.contains(QStringLiteral("certificate")), qPrintable(first));
        QVERIFY2(first.contains(QStringLiteral("issuer")) || first.contains(QStringLiteral("self")),
                 qPrintable(first));
    }

    void caFileTrustsThePrivateCa()
    {
        TlsOptions tls;
        tls.caFile = m_certs.caFile;
        const Outcome out = streamOnce(m_server->url(), tls);
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(u'|')));
        QVERIFY(out.events >= 4);
    }

    void optOutConnectsAndWarns()
    {
        TlsOptions tls;
        tls.verifyPeer = false;
        const Outcome out = streamOnce(m_server->url(), tls);
        QVERIFY2(out.errors.isEmpty(), qPrintable(out.errors.join(u'|')));
        QVERIFY(out.events >= 4);
        TlsAccessManager nam;
        QVERIFY(nam.setTlsOptions(tls));
        QVERIFY(rcrt::insecureTlsWarning(&nam, m_server->url()).contains(QStringLiteral("OFF")));
        QVERIFY(rcrt::insecureTlsWarning(&nam, QUrl(QStringLiteral("http://127.0.0.1:1"))).isEmpty());
        TlsAccessManager verified;
        QVERIFY(rcrt::insecureTlsWarning(&verified, m_server->url()).isEmpty());
    }

    // The connection log carries the warning on every connect, reconnects included.
    void warningOnEveryConnect()
    {
        int connection = 0;
        HostileServer flaky([&connection](HostileConnection &c) {
            c.behave(1);
            if (connection++ == 0)
                c.close(); // a reconnect follows
        });
        QVERIFY(flaky.listenTls(m_certs.serverConfiguration()));
        TlsAccessManager nam;
        QVERIFY(nam.setTlsOptions(TlsOptions{false, {}}));
        rcrt::EventStore store;
        rcrt::LiveSourceOptions options;
        options.sse = rcrt::test::fastReconnectOptions(3);
        rcrt::LiveSource live(&nam, flaky.url(), nullptr, rcrt::heldStateOf(store), options);
        QStringList log;
        QObject::connect(&live, &rcrt::LiveSource::logMessage, &live,
                         [&](const QString &m) { log += m; });
        live.start();
        QTRY_VERIFY_WITH_TIMEOUT(log.count(QStringLiteral("connected")) >= 2, 10000);
        int warnings = 0;
        for (const QString &line : log)
            warnings += line.contains(QStringLiteral("verification is OFF"));
        QCOMPARE(warnings, 3); // at start and at each of the two connects
        live.stop();
    }

    void badCaFileIsRefused()
    {
        TlsAccessManager nam;
        QString error;
        QVERIFY(!nam.setTlsOptions(TlsOptions{true, m_dir.filePath(QStringLiteral("missing.pem"))}, &error));
        QVERIFY2(error.contains(QStringLiteral("cannot read CA file")), qPrintable(error));
        QVERIFY(!nam.setTlsOptions(TlsOptions{true, m_certs.keyFile}, &error)); // a key, not a cert
        QVERIFY2(error.contains(QStringLiteral("no PEM or DER certificate")), qPrintable(error));
        QCOMPARE(nam.tlsOptions(), TlsOptions{}); // the previous (verified) policy stays

        // The engine refuses to connect rather than connect with less trust.
        rcrt::IngestEngine engine;
        QSignalSpy failed(&engine, &rcrt::IngestEngine::connectFailed);
        rcrt::ConnectionSettings settings;
        settings.url = m_server->url();
        settings.tls.caFile = m_certs.keyFile;
        engine.connectTo(settings);
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("no PEM or DER")));
    }

    void profileKeepsTlsOptions()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        rcrt::ProfileStore store(settings);
        rcrt::ConnectionProfile p;
        p.name = QStringLiteral("private");
        p.settings.url = m_server->url();
        p.settings.tls = TlsOptions{false, m_certs.caFile};
        store.save(p);
        const auto loaded = store.load(QStringLiteral("private"));
        QVERIFY(loaded);
        QCOMPARE(loaded->settings.tls, p.settings.tls);
        // A profile saved before TLS options existed stays verified.
        settings.remove(QStringLiteral("profiles/private/tlsVerify"));
        QVERIFY(store.load(QStringLiteral("private"))->settings.tls.verifyPeer);
    }

    void tapDefaultCaFileAndInsecure()
    {
        const QString url = m_server->url().toString();
        const QStringList tail{QStringLiteral("tail"), QStringLiteral("--duration"), QStringLiteral("1.5")};

        const auto refused = runTapAlongside(QStringList{QStringLiteral("--url"), url} + tail);
        QVERIFY2(refused.err.contains("certificate"), refused.err.constData());
        QVERIFY(!refused.out.contains("recovered"));

        const auto trusted = runTapAlongside(
            QStringList{QStringLiteral("--url"), url, QStringLiteral("--ca-file"), m_certs.caFile} + tail);
        QCOMPARE(trusted.exitCode, 0);
        QVERIFY2(trusted.out.contains("recovered"), trusted.err.constData());
        QVERIFY(!trusted.err.contains("OFF"));

        const auto insecure = runTapAlongside(QStringList{QStringLiteral("--url"), url,
                                                          QStringLiteral("--insecure")} + tail);
        QCOMPARE(insecure.exitCode, 0);
        QVERIFY2(insecure.out.contains("recovered"), insecure.err.constData());
        QVERIFY2(insecure.err.contains("verification is OFF"), insecure.err.constData());

        const auto badCa = runTapAlongside(QStringList{QStringLiteral("--url"), url,
                                                       QStringLiteral("--ca-file"), m_certs.keyFile} + tail);
        QCOMPARE(badCa.exitCode, 1);
        QVERIFY2(badCa.err.contains("no PEM or DER certificate"), badCa.err.constData());
    }
};

QTEST_GUILESS_MAIN(TstTls)
#include "tst_tls.moc"
