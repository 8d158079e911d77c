// Connection dialog and status figures, offscreen.

#include "ui/connection/connectiondialog.h"
#include "ui/status/connectionstatus.h"

#include <QLineEdit>
#include <QRadioButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace rcrt;
using namespace rcrt::ui;

namespace {

EventRecord record(qint64 arrivalNs, qint64 updatedAtNs, EventSource source = EventSource::Sse)
{
    EventRecord r;
    r.seq = 1;
    r.first = {arrivalNs, source};
    r.envelope.kind = Envelope::Kind::Breadcrumb;
    r.envelope.updatedAtNs = updatedAtNs;
    return r;
}

constexpr qint64 kSec = 1'000'000'000;

} // namespace

class TestConnectionUi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qputenv("RCRT_NO_KEYCHAIN", "1"); }

    void figures()
    {
        StatusFigures f;
        QCOMPARE(f.lagP95Ms(), -1.0);
        QCOMPARE(f.pingAgeSeconds(10 * kSec), -1.0);
        EventBatch batch;
        // 100 stream events in the last second with lags 1..100 ms, and 50 backfilled ones.
        for (int i = 1; i <= 100; ++i)
            batch.records.append(record(100 * kSec + i * 1'000'000, 100 * kSec + i * 1'000'000 - i * 1'000'000));
        for (int i = 0; i < 50; ++i)
            batch.records.append(record(99 * kSec, 0, EventSource::Backfill));
        batch.pings.append(PingRecord{97 * kSec, 97 * kSec, EventSource::Sse});
        f.addBatch(batch);
        QCOMPARE(f.eventsPerSecond(100 * kSec + 500'000'000), 150.0);
        QCOMPARE(f.eventsPerSecond(101 * kSec + 200'000'000), 0.0 + 0); // all older than 1 s
        QCOMPARE(f.lagP95Ms(), 95.0); // backfilled arrivals are not delivery lag
        QCOMPARE(f.pingAgeSeconds(100 * kSec), 3.0);
    }

    void dialogValidatesAndSavesWithoutToken()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ProfileStore profiles(settings);
        SecretStore secrets(dir.filePath(QStringLiteral("tokens")));
        ConnectionDialog dialog(profiles, secrets);
        const auto edit = [&](const char *name) { return dialog.findChild<QLineEdit *>(QLatin1String(name)); };
        const auto radio = [&](const char *name) { return dialog.findChild<QRadioButton *>(QLatin1String(name)); };
        QLineEdit *url = edit("url");
        QVERIFY(dialog.validationError().isEmpty()); // the default: dev mode on localhost
        url->setText(QStringLiteral("ftp://nowhere"));
        QVERIFY(!dialog.validationError().isEmpty());
        url->setText(QStringLiteral("http://127.0.0.1:9"));
        radio("authToken")->setChecked(true);
        QVERIFY(dialog.validationError().contains(QStringLiteral("token")));
        edit("name")->setText(QStringLiteral("local"));
        edit("token")->setText(QStringLiteral("tok-abc"));
        QVERIFY(dialog.validationError().isEmpty());
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(profiles.names(), QStringList{QStringLiteral("local")});
        QCOMPARE(profiles.lastUsed(), QStringLiteral("local"));
        QCOMPARE(secrets.readToken(QStringLiteral("local")).value_or(QString()), QStringLiteral("tok-abc"));
        QVERIFY(profiles.load(QStringLiteral("local"))->settings.token.isEmpty());

        radio("authMint")->setChecked(true); // mint without an agent id
        QVERIFY(dialog.validationError().contains(QStringLiteral("UUID")));
    }
};

QTEST_MAIN(TestConnectionUi)
#include "tst_connectionui.moc"
