// The connection dialog's TLS part (issue 8 item 4): verification on by default, a visible
// warning while it is off, a CA file that must hold a certificate, all kept in the profile.
#include "app/profiles.h"
#include "support/hostileserver.h"
#include "ui/connection/connectiondialog.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;

class TstTlsDialog : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void verifyOnByDefaultWarningWhenOff()
    {
        QSettings settings(m_dir.filePath(QStringLiteral("a.ini")), QSettings::IniFormat);
        ProfileStore profiles(settings);
        SecretStore secrets(m_dir.filePath(QStringLiteral("tokens")));
        ui::ConnectionDialog dialog(profiles, secrets);
        dialog.show();
        auto *verify = dialog.findChild<QCheckBox *>(QStringLiteral("verifyTls"));
        auto *warning = dialog.findChild<QLabel *>(QStringLiteral("tlsWarning"));
        QVERIFY(verify && warning);
        QVERIFY(verify->isChecked());
        QVERIFY(!warning->isVisible());
        QVERIFY(dialog.profile().settings.tls.verifyPeer);

        verify->setChecked(false);
        QVERIFY(warning->isVisible());
        QVERIFY(warning->text().contains(QStringLiteral("not checked")));
        QVERIFY(!dialog.profile().settings.tls.verifyPeer);
        verify->setChecked(true);
        QVERIFY(!warning->isVisible());
    }

    void caFileIsCheckedAndKept()
    {
        QVERIFY(m_dir.isValid());
        test::TestCertificates certs;
        QString error;
        QVERIFY2(certs.generate(m_dir.path(), &error), qPrintable(error));

        QSettings settings(m_dir.filePath(QStringLiteral("b.ini")), QSettings::IniFormat);
        ProfileStore profiles(settings);
        SecretStore secrets(m_dir.filePath(QStringLiteral("tokens")));
        {
            ui::ConnectionDialog dialog(profiles, secrets);
            dialog.findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("private"));
            dialog.findChild<QLineEdit *>(QStringLiteral("url"))->setText(QStringLiteral("https://127.0.0.1:9443"));
            auto *caFile = dialog.findChild<QLineEdit *>(QStringLiteral("caFile"));
            caFile->setText(m_dir.filePath(QStringLiteral("missing.pem")));
            QVERIFY(dialog.validationError().contains(QStringLiteral("cannot read CA file")));
            caFile->setText(certs.keyFile);
            QVERIFY(dialog.validationError().contains(QStringLiteral("no PEM or DER certificate")));
            caFile->setText(certs.caFile);
            QCOMPARE(dialog.validationError(), QString());
            dialog.findChild<QCheckBox *>(QStringLiteral("verifyTls"))->setChecked(false);
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        const auto saved = profiles.load(QStringLiteral("private"));
        QVERIFY(saved);
        QCOMPARE(saved->settings.tls.caFile, certs.caFile);
        QVERIFY(!saved->settings.tls.verifyPeer);

        ui::ConnectionDialog reopened(profiles, secrets);
        reopened.show();
        reopened.selectProfile(QStringLiteral("private"));
        QCOMPARE(reopened.findChild<QLineEdit *>(QStringLiteral("caFile"))->text(), certs.caFile);
        QVERIFY(!reopened.findChild<QCheckBox *>(QStringLiteral("verifyTls"))->isChecked());
        QVERIFY(reopened.findChild<QLabel *>(QStringLiteral("tlsWarning"))->isVisible());
    }
};

QTEST_MAIN(TstTlsDialog)
#include "tst_tls_dialog.moc"
