// Tokens never leak (issue 8 item 3): a whole session with a known token — rcrt-tap tail,
// record, export, invoke with --token and with minting (short-lived tokens, refreshed during
// the run), a crashing tap, and the GUI (connection dialog, main window connect + record) —
// then every artifact is searched for the token, each of its JWT parts, and anything shaped
// like a JWT at all (which catches the minted tokens this test never sees). The token may be
// only in the profile's secret file, and that file must be 0600.
#include "app/profiles.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"
#include "ui/connection/connectiondialog.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/mainwindow.h"

#include <QAbstractButton>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

#include <csignal>

using namespace rcrt;
using rcrt::test::SimProcess;
using rcrt::test::runTap;

namespace {

const QString kOwner = QStringLiteral("00000000-0000-0000-0000-000000000001");
const QString kAgent = QStringLiteral("00000000-0000-0000-0000-0000000000a7");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every text a widget tree shows or keeps (what a screenshot or an accessibility tool sees),
// except password fields, whose echo mode is checked separately.
QString visibleTexts(const QWidget *root)
{
    QStringList texts{root->windowTitle(), root->toolTip()};
    const QList<QWidget *> widgets = root->findChildren<QWidget *>();
    for (const QWidget *w : widgets) {
        texts += w->toolTip();
        texts += w->windowTitle();
        texts += w->accessibleName();
        if (const auto *edit = qobject_cast<const QLineEdit *>(w)) {
            if (edit->echoMode() == QLineEdit::Normal)
                texts += edit->text();
        } else if (const auto *label = qobject_cast<const QLabel *>(w)) {
            texts += label->text();
        } else if (const auto *plain = qobject_cast<const QPlainTextEdit *>(w)) {
            texts += plain->toPlainText();
        } else if (const auto *rich = qobject_cast<const QTextEdit *>(w)) {
            texts += rich->toPlainText();
        } else if (const auto *button = qobject_cast<const QAbstractButton *>(w)) {
            texts += button->text();
        }
    }
    return texts.join(u'\n');
}

} // namespace

class TstTokenHygiene : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    SimProcess m_sim;
    QString m_token;
    QList<QPair<QString, QByteArray>> m_artifacts; // name, bytes

    void collect(const QString &name, const QByteArray &bytes) { m_artifacts.append({name, bytes}); }
    void collectTap(const QString &name, const rcrt::test::TapResult &r)
    {
        collect(name + QStringLiteral(" stdout"), r.out);
        collect(name + QStringLiteral(" stderr"), r.err);
    }
    QString url() const { return m_sim.url().toString(); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("RCRT_NO_KEYCHAIN", "1");
        QVERIFY(m_dir.isValid());
        // Minted tokens live 4 s (refreshed at ~3.2 s), the exp check has no leeway: a run of a
        // few seconds renews its token at least once, and a stale one would be refused.
        QVERIFY2(m_sim.start({QStringLiteral("--auth"), QStringLiteral("jwt"), QStringLiteral("--workload"),
                              QStringLiteral("demo"), QStringLiteral("--token-ttl-s"), QStringLiteral("4"),
                              QStringLiteral("--jwt-leeway-s"), QStringLiteral("0")}),
                 qPrintable(m_sim.error()));
        QNetworkAccessManager nam;
        TokenProvider tokens(&nam);
        QSignalSpy changed(&tokens, &TokenProvider::tokenChanged);
        TokenMintRequest request;
        request.ownerId = kOwner;
        request.agentId = kAgent;
        request.ttlSec = 300; // the known token outlives the test
        tokens.setMint(m_sim.url(), request);
        QVERIFY(changed.wait(10000));
        m_token = tokens.token();
        QCOMPARE(m_token.count(u'.'), 2);
    }

    void tapWithAKnownToken()
    {
        const QStringList global{QStringLiteral("--url"), url(), QStringLiteral("--token"), m_token};
        const auto tail = runTap(global + QStringList{QStringLiteral("--json"), QStringLiteral("tail"),
                                                      QStringLiteral("--duration"), QStringLiteral("2"),
                                                      QStringLiteral("--pings")});
        QVERIFY2(tail.exitCode == 0, tail.err.constData());
        QVERIFY(tail.out.contains("breadcrumb"));
        collectTap(QStringLiteral("tail --token"), tail);

        const QString session = m_dir.filePath(QStringLiteral("token.rcrtsession"));
        const auto record = runTap(global + QStringList{QStringLiteral("record"), QStringLiteral("-o"), session,
                                                        QStringLiteral("--duration"), QStringLiteral("2")});
        QVERIFY2(record.exitCode == 0, record.err.constData());
        collectTap(QStringLiteral("record --token"), record);

        const auto exported = runTap({QStringLiteral("export"), session, QStringLiteral("--jsonl")});
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY(exported.out.size() > 100);
        collectTap(QStringLiteral("export"), exported);

        const auto invoke = runTap(global + QStringList{QStringLiteral("invoke"), QStringLiteral("echo"),
                                                        QStringLiteral("{\"message\":\"hi\"}"),
                                                        QStringLiteral("--timeout"), QStringLiteral("20")});
        QVERIFY2(invoke.exitCode == 0, invoke.err.constData());
        collectTap(QStringLiteral("invoke --token"), invoke);

        // A wrong token's refusal is shown without echoing the token back.
        const auto refused = runTap({QStringLiteral("--url"), url(), QStringLiteral("--token"),
                                     m_token + QStringLiteral("x"), QStringLiteral("create"),
                                     QStringLiteral("--title"), QStringLiteral("refused")});
        QVERIFY(refused.exitCode != 0);
        QVERIFY2(refused.err.contains("401"), refused.err.constData());
        collectTap(QStringLiteral("list with a bad token"), refused);
    }

    // Minting: the tokens are never seen by this test, the JWT-shape search finds them if they
    // leak. With 4 s tokens the 6 s runs refresh mid-stream.
    void tapMinting()
    {
        const QStringList global{QStringLiteral("--url"), url(), QStringLiteral("--owner-id"), kOwner,
                                 QStringLiteral("--agent-id"), kAgent};
        const auto tail = runTap(global + QStringList{QStringLiteral("tail"), QStringLiteral("--duration"),
                                                      QStringLiteral("6")});
        QVERIFY2(tail.exitCode == 0, tail.err.constData());
        QVERIFY(!tail.err.contains("401"));
        collectTap(QStringLiteral("tail minting"), tail);

        const QString session = m_dir.filePath(QStringLiteral("mint.rcrtsession"));
        const auto record = runTap(global + QStringList{QStringLiteral("record"), QStringLiteral("-o"), session,
                                                        QStringLiteral("--duration"), QStringLiteral("2")});
        QVERIFY2(record.exitCode == 0, record.err.constData());
        collectTap(QStringLiteral("record minting"), record);

        const auto invoke = runTap(global + QStringList{QStringLiteral("invoke"), QStringLiteral("echo"),
                                                        QStringLiteral("{\"message\":\"local\"}"),
                                                        QStringLiteral("--local-runner"),
                                                        QStringLiteral("--timeout"), QStringLiteral("20")});
        QVERIFY2(invoke.exitCode == 0, invoke.err.constData());
        collectTap(QStringLiteral("invoke minting"), invoke);
    }

    // What a crash leaves on the terminal.
    void crashOutput()
    {
        QProcess tap;
        tap.start(rcrt::test::tapPath(), {QStringLiteral("--url"), url(), QStringLiteral("--token"), m_token,
                                          QStringLiteral("tail"), QStringLiteral("--duration"), QStringLiteral("20")});
        QVERIFY(tap.waitForStarted(10000));
        QTest::qWait(1500);
        ::kill(pid_t(tap.processId()), SIGSEGV);
        QVERIFY(tap.waitForFinished(10000));
        QCOMPARE(tap.exitStatus(), QProcess::CrashExit);
        collect(QStringLiteral("crashed tail stdout"), tap.readAllStandardOutput());
        collect(QStringLiteral("crashed tail stderr"), tap.readAllStandardError());
    }

    void gui()
    {
        QSettings settings;
        ProfileStore profiles(settings);
        SecretStore secrets(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)
                            + QStringLiteral("/tokens"));

        {
            ui::ConnectionDialog dialog(profiles, secrets);
            dialog.findChild<QLineEdit *>(QStringLiteral("name"))->setText(QStringLiteral("secret-profile"));
            dialog.findChild<QLineEdit *>(QStringLiteral("url"))->setText(url());
            dialog.findChild<QAbstractButton *>(QStringLiteral("authToken"))->setChecked(true);
            auto *tokenEdit = dialog.findChild<QLineEdit *>(QStringLiteral("token"));
            tokenEdit->setText(m_token);
            dialog.show();
            dialog.accept(); // saves the profile, the token to the secret store
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
            QCOMPARE(tokenEdit->echoMode(), QLineEdit::Password);
            QVERIFY(!dialog.grab().isNull());
            collect(QStringLiteral("connection dialog texts"), visibleTexts(&dialog).toUtf8());
        }
        {
            // Reopened, the stored token is loaded into the password field only.
            ui::ConnectionDialog dialog(profiles, secrets);
            dialog.selectProfile(QStringLiteral("secret-profile"));
            auto *tokenEdit = dialog.findChild<QLineEdit *>(QStringLiteral("token"));
            QCOMPARE(tokenEdit->text(), m_token);
            QCOMPARE(tokenEdit->echoMode(), QLineEdit::Password);
            dialog.show();
            QVERIFY(!dialog.grab().isNull());
            collect(QStringLiteral("reopened dialog texts"), visibleTexts(&dialog).toUtf8());
        }

        const QString recording = m_dir.filePath(QStringLiteral("gui.rcrtsession"));
        {
            ui::MainWindow window;
            window.show();
            ConnectionSettings connection = profiles.load(QStringLiteral("secret-profile"))->settings;
            connection.token = *secrets.readToken(QStringLiteral("secret-profile"));
            window.connectTo(connection, QStringLiteral("secret-profile"));
            QVERIFY(window.startRecording(recording));
            QTRY_VERIFY_WITH_TIMEOUT(window.eventsView()->model()->rowCount() > 5, 20000);
            QVERIFY(!window.grab().isNull());
            collect(QStringLiteral("main window texts"), visibleTexts(&window).toUtf8());
            window.stopRecording();

            // And minting from the GUI, across a refresh.
            ConnectionSettings minting;
            minting.url = m_sim.url();
            minting.auth = ConnectionSettings::Auth::Mint;
            minting.ownerId = kOwner;
            minting.agentId = kAgent;
            window.connectTo(minting, QStringLiteral("minting"));
            QTest::qWait(5000);
            collect(QStringLiteral("main window texts (minting)"), visibleTexts(&window).toUtf8());
            window.close();
        }
        settings.sync();
        collect(QStringLiteral("QSettings ") + settings.fileName(), readFile(settings.fileName()));

        // The profile's secret file may hold the token, readable by its owner only.
        const QString tokenFile = secrets.tokenFilePath(QStringLiteral("secret-profile"));
        QCOMPARE(readFile(tokenFile).trimmed(), m_token.toUtf8());
        QCOMPARE(QFile::permissions(tokenFile) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
                 QFileDevice::Permissions());
        secrets.removeToken(QStringLiteral("secret-profile"));
    }

    // Everything the runs left: outputs, session files (with any -wal/-shm), exports, settings.
    void nothingLeaks()
    {
        QDirIterator files(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            collect(path, readFile(path));
        }
        QVERIFY(m_artifacts.size() >= 20);

        const QStringList parts = m_token.split(u'.');
        // Any JWT: base64url of '{"' starts "eyJ" for header and payload.
        const QRegularExpression jwt(QStringLiteral("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"));
        for (const auto &[name, bytes] : std::as_const(m_artifacts)) {
            QVERIFY2(!bytes.contains(m_token.toUtf8()), qPrintable(name));
            // The header part is the same for every token of a server: a match there is a token.
            for (const QString &part : parts)
                QVERIFY2(!bytes.contains(part.toUtf8()), qPrintable(name + u": " + part.left(12)));
            const QRegularExpressionMatch m = jwt.match(QString::fromLatin1(bytes));
            QVERIFY2(!m.hasMatch(), qPrintable(name + u": " + m.captured().left(24)));
        }
        qInfo("searched %lld artifacts, %lld bytes", qint64(m_artifacts.size()),
              std::accumulate(m_artifacts.cbegin(), m_artifacts.cend(), qint64(0),
                              [](qint64 n, const auto &a) { return n + a.second.size(); }));
    }
};

QTEST_MAIN(TstTokenHygiene)
#include "tst_token_hygiene.moc"
