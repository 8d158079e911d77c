// rcrt-tap probe against rcrt-sim: figures, exit codes, bad input.
#include "tests/support/simprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rcrt::test;

class TestTapProbe : public QObject
{
    Q_OBJECT
private slots:
    void healthyProbesAreSeen()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.error()));
        const TapResult r = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("--json"),
                                    QStringLiteral("probe"), QStringLiteral("--count"), QStringLiteral("4"),
                                    QStringLiteral("--interval"), QStringLiteral("100")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("sent")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("seen")).toInt(), 4);
        QCOMPARE(o.value(QStringLiteral("lost")).toInt(), 0);
        // Written through the tap's own node: every probe has its local-bus arrival too, also
        // when the stream's copy beat the acknowledgement (on loopback it usually does, and the
        // local copy is then a repeat arrival).
        QCOMPARE(o.value(QStringLiteral("local")).toInt(), 4);
        const QJsonObject stream = o.value(QStringLiteral("stream_ms")).toObject();
        QCOMPARE(stream.value(QStringLiteral("count")).toInt(), 4);
        QVERIFY(stream.value(QStringLiteral("p99")).toDouble() >= stream.value(QStringLiteral("p50")).toDouble());
        // The probes are real breadcrumbs with the schema, tag and a ttl.
        const TapResult list = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("list"),
                                       QStringLiteral("--tag"), QStringLiteral("console:probe")});
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out.count("console.probe.v1"), 4);
    }

    void localBusFigures()
    {
        // Probes go through the tap's own node: the local copy comes at the acknowledgement,
        // the stream's 1.5 s later.
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet"), QStringLiteral("--delay-ms"), QStringLiteral("1500")}),
                 qPrintable(sim.error()));
        const TapResult r = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("--json"),
                                    QStringLiteral("probe"), QStringLiteral("--count"), QStringLiteral("3"),
                                    QStringLiteral("--interval"), QStringLiteral("100")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("local")).toInt(), 3);
        const QJsonObject local = o.value(QStringLiteral("local_ms")).toObject();
        const QJsonObject stream = o.value(QStringLiteral("stream_ms")).toObject();
        QCOMPARE(local.value(QStringLiteral("count")).toInt(), 3);
        QVERIFY2(stream.value(QStringLiteral("p50")).toDouble() - local.value(QStringLiteral("max")).toDouble() > 1000,
                 r.out.constData());
        for (const QJsonValue &v : o.value(QStringLiteral("probes")).toArray()) {
            const QJsonObject p = v.toObject();
            QVERIFY2(p.value(QStringLiteral("local_ms")).toDouble() >= p.value(QStringLiteral("write_ms")).toDouble(), r.out.constData());
            QVERIFY2(p.value(QStringLiteral("stream_ms")).toDouble() > p.value(QStringLiteral("local_ms")).toDouble(), r.out.constData());
        }
    }

    void maxP99Exceeded()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet"), QStringLiteral("--delay-ms"), QStringLiteral("300")}),
                 qPrintable(sim.error()));
        const TapResult r = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("probe"),
                                    QStringLiteral("--count"), QStringLiteral("2"), QStringLiteral("--interval"),
                                    QStringLiteral("50"), QStringLiteral("--max-p99"), QStringLiteral("200")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("exceeds --max-p99"), r.out.constData());
        QVERIFY(r.out.contains("2 seen on the stream"));
        QVERIFY2(r.out.contains("sent -> local bus:"), r.out.constData());
    }

    void lostProbes()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet"), QStringLiteral("--stall-after"), QStringLiteral("0")}),
                 qPrintable(sim.error()));
        const TapResult r = runTap({QStringLiteral("--url"), sim.url().toString(), QStringLiteral("--json"),
                                    QStringLiteral("probe"), QStringLiteral("--count"), QStringLiteral("2"),
                                    QStringLiteral("--interval"), QStringLiteral("50"), QStringLiteral("--timeout"),
                                    QStringLiteral("800")});
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("acknowledged")).toInt(), 2);
        QCOMPARE(o.value(QStringLiteral("lost")).toInt(), 2);
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("count 0") << QStringList{QStringLiteral("--count"), QStringLiteral("0")};
        QTest::newRow("count text") << QStringList{QStringLiteral("--count"), QStringLiteral("many")};
        QTest::newRow("negative p99") << QStringList{QStringLiteral("--max-p99"), QStringLiteral("-1")};
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")};
        QTest::newRow("unknown") << QStringList{QStringLiteral("--frobnicate")};
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        const TapResult r = runTap(QStringList{QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9"),
                                               QStringLiteral("probe")} + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("rcrt-tap probe:"));
    }

    void noServer()
    {
        // Nothing listens on port 9: the stream never opens, nothing is sent.
        const TapResult r = runTap({QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:9"), QStringLiteral("probe"),
                                    QStringLiteral("--timeout"), QStringLiteral("1500")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("did not open"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTapProbe)
#include "tst_tap_probe.moc"
