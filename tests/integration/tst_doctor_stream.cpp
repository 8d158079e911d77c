// The doctor's stream and delivery findings, each produced by an rcrt-sim fault flag, live.
#include "tests/integration/tst_doctor_rig.h"

#include <cmath>

using namespace rcrt::test;

class TestDoctorStream : public QObject
{
    Q_OBJECT
private slots:
    void deadStream()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--stream-status"), QStringLiteral("503")}), qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("3")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.problemIds().contains(QStringLiteral("dead-stream")), qPrintable(run.describe()));
        QCOMPARE(run.finding(QStringLiteral("dead-stream")).value(QStringLiteral("severity")).toString(),
                 QStringLiteral("error"));
        QVERIFY2(run.evidence(QStringLiteral("dead-stream")).value(QStringLiteral("last_error")).toString().contains(
                     QStringLiteral("503")),
                 qPrintable(run.describe()));
    }

    void stalledStreamFoundByProbes()
    {
        SimProcess sim;
        // Only pings from the start: the probes never arrive.
        QVERIFY2(startSim(sim, {QStringLiteral("--stall-after"), QStringLiteral("0")}), qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("5.5")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("stalled-stream")});
        QVERIFY2(run.evidence(QStringLiteral("stalled-stream")).value(QStringLiteral("lost_probes")).toInt() >= 1,
                 qPrintable(run.describe()));
    }

    void stalledStreamFoundByReconcileWithoutProbes()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--stall-after"),
                                QStringLiteral("2")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("7"),
                                                        QStringLiteral("--no-probe")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.problemIds().contains(QStringLiteral("stalled-stream")), qPrintable(run.describe()));
        const QJsonObject e = run.evidence(QStringLiteral("stalled-stream"));
        QCOMPARE(e.value(QStringLiteral("lost_probes")).toInt(), 0);
        QVERIFY2(e.value(QStringLiteral("missing_in_stream")).toInt() >= 1, qPrintable(run.describe()));
    }

    void uniformLag()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--delay-ms"),
                                QStringLiteral("2500")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("6")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("uniform-lag")});
        const double p50 = run.evidence(QStringLiteral("uniform-lag")).value(QStringLiteral("lag_p50_ms")).toDouble();
        // Corrected by the probes' clock offset: within a few ms of the injected delay.
        QVERIFY2(std::fabs(p50 - 2500) < 250, qPrintable(run.describe()));
    }

    void duplicates()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--dup-selectors"),
                                QStringLiteral("2")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("3")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("duplicates")});
        QCOMPARE(run.evidence(QStringLiteral("duplicates")).value(QStringLiteral("max_copies")).toInt(), 3);
    }

    void clockSkew()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--clock-skew-ms"),
                                QStringLiteral("3000")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("3")});
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("clock-skew")});
        const QJsonObject e = run.evidence(QStringLiteral("clock-skew"));
        QCOMPARE(e.value(QStringLiteral("offset_source")).toString(), QStringLiteral("probes"));
        QVERIFY2(std::fabs(e.value(QStringLiteral("offset_ms")).toDouble() - 3000) < 100, qPrintable(run.describe()));
    }

    void consoleBehind()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"),
                                QStringLiteral("200")}),
                 qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("4"),
                                                        QStringLiteral("--no-probe"), QStringLiteral("--consumer-delay-ms"),
                                                        QStringLiteral("300")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.problemIds().contains(QStringLiteral("console-behind")), qPrintable(run.describe()));
        QVERIFY(run.evidence(QStringLiteral("console-behind")).value(QStringLiteral("processing_p95_ms")).toDouble() >= 1000);
    }
};

QTEST_GUILESS_MAIN(TestDoctorStream)
#include "tst_doctor_stream.moc"
