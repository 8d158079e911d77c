// rcrt-tap diagnose: healthy demo (no warning at all), session files, output shapes, bad input.
#include "app/session/sessionwriter.h"
#include "tests/integration/tst_doctor_rig.h"
#include "tests/unit/tst_diagnosis_rig.h"

#include <QFile>
#include <QTemporaryDir>

using namespace rcrt;
using namespace rcrt::test;

class TestTapDiagnose : public QObject
{
    Q_OBJECT
private slots:
    void healthyDemoHasNoWarning()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--workload"), QStringLiteral("demo")}), qPrintable(sim.error()));
        const DiagnoseRun run = runDiagnose(sim.url(), {QStringLiteral("--duration"), QStringLiteral("7")});
        QVERIFY2(run.problemIds().isEmpty(), qPrintable(run.describe()));
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.json.value(QStringLiteral("findings")).isArray());
        const QJsonObject m = run.json.value(QStringLiteral("measures")).toObject();
        QVERIFY2(m.value(QStringLiteral("events")).toInt() > 5, qPrintable(run.describe()));
        QCOMPARE(m.value(QStringLiteral("clock_offset_source")).toString(), QStringLiteral("probes"));
        QCOMPARE(m.value(QStringLiteral("probes")).toInt(), 3);
    }

    void textOutputWhenHealthy()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {}), qPrintable(sim.error()));
        const TapResult r = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("diagnose"),
                                    QStringLiteral("--duration"), QStringLiteral("1.5")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("healthy: no finding"), r.out.constData());
    }

    void healthySessionFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("healthy.rcrtsession"));
        QString error;
        auto writer = SessionWriter::create(path, SessionHeader{}, &error);
        QVERIFY2(writer, qPrintable(error));
        writer->appendEvents(deliver(demoTraffic(90 * kDiagS), healthyDelivery()));
        QVERIFY(writer->close(&error));
        writer.reset();
        const TapResult r = runTap({QStringLiteral("--json"), QStringLiteral("diagnose"), path});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("findings")).toArray().size(), 0);
    }

    void sessionProbesAreUsed()
    {
        // Events stop after 20 s while pings go on; a recorded probe never arrived.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("stalled.rcrtsession"));
        QString error;
        auto writer = SessionWriter::create(path, SessionHeader{}, &error);
        QVERIFY2(writer, qPrintable(error));
        QList<ServerWrite> writes = demoTraffic(60 * kDiagS);
        writes.erase(std::remove_if(writes.begin(), writes.end(),
                                    [](const ServerWrite &w) { return !w.isPing() && w.serverNs > kDiagBaseNs + 20 * kDiagS; }),
                     writes.end());
        writer->appendEvents(deliver(writes, healthyDelivery()));
        ProbeOutcome lost;
        lost.probeId = "p1";
        lost.breadcrumbId = "11111111-0000-4000-8000-000000000001";
        lost.sentNs = kDiagBaseNs + 25 * kDiagS;
        lost.ackNs = lost.sentNs + 2 * kDiagMs;
        writer->appendProbe(lost.ackNs, lost.toJson());
        writer->appendProbe(lost.ackNs, "{not json"); // skipped with a message, not fatal
        QVERIFY(writer->close(&error));
        writer.reset();
        const TapResult r = runTap({QStringLiteral("--json"), QStringLiteral("diagnose"), path});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray findings = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("findings")).toArray();
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("stalled-stream"));
        QVERIFY2(r.err.contains("skipped a probe record"), r.err.constData());
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("zero duration") << QStringList{QStringLiteral("--duration"), QStringLiteral("0")} << QByteArray("--duration");
        QTest::newRow("duration text") << QStringList{QStringLiteral("--duration"), QStringLiteral("long")} << QByteArray("--duration");
        QTest::newRow("two files") << QStringList{QStringLiteral("a"), QStringLiteral("b")} << QByteArray("one FILE");
        QTest::newRow("file and duration") << QStringList{QStringLiteral("a"), QStringLiteral("--duration"), QStringLiteral("3")}
                                           << QByteArray("not with a FILE");
        QTest::newRow("missing file") << QStringList{QStringLiteral("/nonexistent/x.rcrtsession")} << QByteArray("rcrt-tap diagnose:");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frob")} << QByteArray("rcrt-tap diagnose:");
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const TapResult r = runTap(QStringList{QStringLiteral("diagnose")} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
    }

    void notASessionFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("garbage.rcrtsession"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a session file at all\n");
        f.close();
        const TapResult r = runTap({QStringLiteral("diagnose"), path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.startsWith("rcrt-tap diagnose: "));
    }
};

QTEST_GUILESS_MAIN(TestTapDiagnose)
#include "tst_tap_diagnose.moc"
