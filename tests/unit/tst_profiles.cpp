#include "app/profiles.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

class TestProfiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qputenv("RCRT_NO_KEYCHAIN", "1"); }

    void roundTripWithoutToken()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("settings.ini"));
        ConnectionProfile p;
        p.name = QStringLiteral("prod / eu-1 ✅");
        p.settings.url = QUrl(QStringLiteral("https://rcrt.example:8081"));
        p.settings.auth = ConnectionSettings::Auth::Mint;
        p.settings.ownerId = QStringLiteral("00000000-0000-0000-0000-000000000001");
        p.settings.agentId = QStringLiteral("00000000-0000-0000-0000-0000000000cc");
        p.settings.roles = {QStringLiteral("subscriber"), QStringLiteral("emitter")};
        p.settings.initialHistory = 250;
        p.settings.token = QStringLiteral("secret-token-value");
        {
            QSettings settings(ini, QSettings::IniFormat);
            ProfileStore store(settings);
            store.save(p);
            store.setLastUsed(p.name);
        }
        QSettings settings(ini, QSettings::IniFormat);
        ProfileStore store(settings);
        QCOMPARE(store.names(), QStringList{p.name});
        QCOMPARE(store.lastUsed(), p.name);
        const auto loaded = store.load(p.name);
        QVERIFY(loaded);
        ConnectionProfile expected = p;
        expected.settings.token.clear(); // never persisted in settings
        QCOMPARE(loaded->name, expected.name);
        QCOMPARE(loaded->settings.url, expected.settings.url);
        QCOMPARE(int(loaded->settings.auth), int(expected.settings.auth));
        QCOMPARE(loaded->settings.roles, expected.settings.roles);
        QCOMPARE(loaded->settings.initialHistory, 250);
        QVERIFY(loaded->settings.token.isEmpty());

        QFile file(ini);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("secret-token-value"));

        QVERIFY(!store.load(QStringLiteral("missing")));
        store.remove(p.name);
        QVERIFY(store.names().isEmpty());
        QVERIFY(store.lastUsed().isEmpty());
    }

    void tokenFileIsPrivate()
    {
        QTemporaryDir dir;
        SecretStore secrets(dir.filePath(QStringLiteral("tokens")));
        QVERIFY(!secrets.usesKeychain());
        QVERIFY(!secrets.readToken(QStringLiteral("p")));
        QString error;
        QVERIFY2(secrets.writeToken(QStringLiteral("p"), QStringLiteral("tok-123"), &error), qPrintable(error));
        QCOMPARE(secrets.readToken(QStringLiteral("p")).value_or(QString()), QStringLiteral("tok-123"));
        const auto permissions = QFile::permissions(secrets.tokenFilePath(QStringLiteral("p")));
        QCOMPARE(permissions & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QVERIFY(!(permissions & (QFileDevice::ReadGroup | QFileDevice::ReadOther)));
        secrets.removeToken(QStringLiteral("p"));
        QVERIFY(!secrets.readToken(QStringLiteral("p")));
    }
};

QTEST_GUILESS_MAIN(TestProfiles)
#include "tst_profiles.moc"
