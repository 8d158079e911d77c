// The seed's incident: a buffering proxy between server and console. Live with a 2 s buffer
// (a few seconds of test), and the 60 s case from a session file whose arrival times are what
// a 60 s buffer produces (built with SessionWriter from synthetic demo traffic, so the suite
// does not wait minutes).
#include "app/session/sessionwriter.h"
#include "tests/integration/tst_doctor_rig.h"
#include "tests/unit/tst_diagnosis_rig.h"

#include <QTemporaryDir>

#include <cmath>

using namespace rcrt;
using namespace rcrt::test;

class TestDoctorBuffering : public QObject
{
    Q_OBJECT
private slots:
    void liveTwoSecondBuffer()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--buffer-ms"),
                                QStringLiteral("2000"), QStringLiteral("--ping-ms"), QStringLiteral("1000")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("9")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("buffering")});
        const double period = run.evidence(QStringLiteral("buffering")).value(QStringLiteral("period_ms")).toDouble();
        QVERIFY2(std::fabs(period - 2000) <= 200, qPrintable(run.describe()));
        QVERIFY(!run.evidence(QStringLiteral("buffering")).value(QStringLiteral("event_ids")).toArray().isEmpty());
    }

    void sessionWithSixtySecondBuffer()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("buffered60.rcrtsession"));
        {
            SessionHeader header;
            header.startNs = kDiagBaseNs;
            header.note = QStringLiteral("synthetic: demo traffic behind a 60 s buffering proxy");
            QString error;
            auto writer = SessionWriter::create(path, header, &error);
            QVERIFY2(writer, qPrintable(error));
            writer->appendEvents(deliver(demoTraffic(10 * 60 * kDiagS), bufferedDelivery(60 * kDiagS, 23 * kDiagS)));
            QVERIFY(writer->close(&error));
        }
        const TapResult r = runTap({QStringLiteral("--json"), QStringLiteral("diagnose"), path});
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(r.exitCode, 1);
        const QJsonArray findings = json.value(QStringLiteral("findings")).toArray();
        QCOMPARE(findings.size(), 1);
        const QJsonObject f = findings.first().toObject();
        QCOMPARE(f.value(QStringLiteral("id")).toString(), QStringLiteral("buffering"));
        const QJsonObject e = f.value(QStringLiteral("evidence")).toObject();
        const double period = e.value(QStringLiteral("period_ms")).toDouble();
        QVERIFY2(std::fabs(period - 60000) <= 6000, qPrintable(QString::fromUtf8(r.out)));
        // Answered within 2.5 s by the server, yet a 60 s requester behind this stream timed out.
        QVERIFY2(e.value(QStringLiteral("requests_delivered_late")).toInt() > 0, qPrintable(QString::fromUtf8(r.out)));

        // Text output: one block per finding.
        const TapResult text = runTap({QStringLiteral("diagnose"), path});
        QCOMPARE(text.exitCode, 1);
        QVERIFY(text.out.contains("[warning] buffering:"));
        QVERIFY(text.out.contains("fix: "));
    }
};

QTEST_GUILESS_MAIN(TestDoctorBuffering)
#include "tst_doctor_buffering.moc"
