#include "app/consolelaunch.h"
#include "app/profiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

class TestConsoleLaunch : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;

    ConsoleLaunch plan(const QStringList &args) { return planConsoleLaunch(args, *m_profiles, *m_secrets); }

private slots:
    void init()
    {
        qputenv("RCRT_NO_KEYCHAIN", "1");
        qunsetenv("RCRT_URL");
        QFile::remove(m_dir.filePath(QStringLiteral("s.ini")));
        m_settings = std::make_unique<QSettings>(m_dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        m_profiles = std::make_unique<ProfileStore>(*m_settings);
        m_secrets = std::make_unique<SecretStore>(m_dir.filePath(QStringLiteral("tokens")));
    }

    void firstRunAsks()
    {
        const auto l = plan({});
        QVERIFY(l.askUser);
        QVERIFY(!l.settings);
        QVERIFY(l.error.isEmpty());
    }

    void urlMeansDevMode()
    {
        const auto l = plan({QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9000")});
        QVERIFY(l.settings);
        QVERIFY(!l.askUser);
        QCOMPARE(l.settings->url, QUrl(QStringLiteral("http://127.0.0.1:9000")));
        QCOMPARE(int(l.settings->auth), int(ConnectionSettings::Auth::DevMode));
    }

    void tapOptionsMeanTheSame()
    {
        auto l = plan({QStringLiteral("--url=http://h:1"), QStringLiteral("--owner-id"), QStringLiteral("o"),
                       QStringLiteral("--agent-id"), QStringLiteral("a"), QStringLiteral("--roles"),
                       QStringLiteral("subscriber,emitter")});
        QVERIFY(l.settings);
        QCOMPARE(int(l.settings->auth), int(ConnectionSettings::Auth::Mint));
        QCOMPARE(l.settings->roles, (QStringList{QStringLiteral("subscriber"), QStringLiteral("emitter")}));

        const QString tokenFile = m_dir.filePath(QStringLiteral("t.jwt"));
        QFile f(tokenFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc.def.ghi\n");
        f.close();
        l = plan({QStringLiteral("--token-file"), tokenFile});
        QVERIFY(l.settings);
        QCOMPARE(l.settings->token, QStringLiteral("abc.def.ghi"));
        QCOMPARE(l.settings->url, QUrl(QStringLiteral("http://127.0.0.1:8081")));

        l = plan({QStringLiteral("--token-file"), m_dir.filePath(QStringLiteral("missing"))});
        QVERIFY(!l.settings);
        QVERIFY(l.askUser);
        QVERIFY(l.error.contains(QStringLiteral("token file")));
    }

    void lastProfileOrNamedProfile()
    {
        ConnectionProfile p;
        p.name = QStringLiteral("staging");
        p.settings.url = QUrl(QStringLiteral("http://staging:8081"));
        p.settings.auth = ConnectionSettings::Auth::Token;
        m_profiles->save(p);
        QVERIFY(m_secrets->writeToken(p.name, QStringLiteral("tok")));
        m_profiles->setLastUsed(p.name);

        auto l = plan({});
        QVERIFY(l.settings);
        QCOMPARE(l.profileName, QStringLiteral("staging"));
        QCOMPARE(l.settings->token, QStringLiteral("tok"));

        l = plan({QStringLiteral("--profile"), QStringLiteral("nope")});
        QVERIFY(!l.settings);
        QVERIFY(l.error.contains(QStringLiteral("nope")));

        l = plan({QStringLiteral("--profile=staging")});
        QCOMPARE(l.settings->url, QUrl(QStringLiteral("http://staging:8081")));
    }

    void sessionFileMeansReplay()
    {
        ConnectionProfile p;
        p.name = QStringLiteral("prod");
        p.settings.url = QUrl(QStringLiteral("http://prod:8081"));
        m_profiles->save(p);
        m_profiles->setLastUsed(p.name);

        auto l = plan({QStringLiteral("/tmp/incident.rcrtsession")});
        QCOMPARE(l.files, QStringList{QStringLiteral("/tmp/incident.rcrtsession")});
        QVERIFY(!l.settings); // a replay does not connect to the last profile
        QVERIFY(!l.askUser);
        QVERIFY(!l.replayDemo);
        QVERIFY(l.error.isEmpty());

        l = plan({QStringLiteral("--replay-demo")});
        QVERIFY(l.replayDemo);
        QVERIFY(l.files.isEmpty());
        QVERIFY(!l.settings);
        QVERIFY(!l.askUser);
        QVERIFY(l.error.isEmpty());

        l = plan({});
        QVERIFY(!l.replayDemo);
        QCOMPARE(l.profileName, QStringLiteral("prod")); // without a file: the last profile, as before
    }

    void demoSessionIsFound()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("build/app")));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("resources")));
        qunsetenv("RCRT_DEMO_SESSION");
        const QString bin = dir.filePath(QStringLiteral("build/app"));
        QString error;
        // Nothing there (and nothing embedded in the test): a clear message naming the file.
        if (!QFile::exists(QStringLiteral(":/rcrt/demo.rcrtsession"))) {
            QVERIFY(findDemoSession(bin, &error).isEmpty());
            QVERIFY2(error.contains(QStringLiteral("demo.rcrtsession")), qPrintable(error));
        }
        // The source tree next to the build tree.
        QFile demo(dir.filePath(QStringLiteral("resources/demo.rcrtsession")));
        QVERIFY(demo.open(QIODevice::WriteOnly));
        demo.close();
        QCOMPARE(findDemoSession(bin, &error), QFileInfo(demo.fileName()).canonicalFilePath());
        // The environment wins.
        QFile other(dir.filePath(QStringLiteral("other.rcrtsession")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.close();
        qputenv("RCRT_DEMO_SESSION", other.fileName().toUtf8());
        QCOMPARE(findDemoSession(bin, &error), QFileInfo(other.fileName()).canonicalFilePath());
        qunsetenv("RCRT_DEMO_SESSION");
    }

    void unknownOptionIsReported()
    {
        const auto l = plan({QStringLiteral("--frobnicate")});
        QVERIFY(l.error.contains(QStringLiteral("--frobnicate")));
        QVERIFY(l.askUser);
    }
};

QTEST_GUILESS_MAIN(TestConsoleLaunch)
#include "tst_consolelaunch.moc"
