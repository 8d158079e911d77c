// Probes written through the console's own node (IngestEngine) against rcrt-sim, real HTTP and
// SSE: the local-bus hop is timed apart from the stream's, the stream copy's server time still
// gives the clock offset, and the doctor hands that offset to the flow tracker.
#include "app/doctorlive.h"
#include "app/ingestengine.h"
#include "app/probe.h"
#include "net/restclient.h"
#include "tests/support/simprocess.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace rcrt;
using namespace rcrt::test;

namespace {

constexpr double kNsPerMs = 1e6;

bool waitOpen(DoctorLive &live)
{
    QSignalSpy opened(&live, &DoctorLive::streamOpened);
    return live.everOpened() || opened.wait(10000);
}

} // namespace

class TestProbeLocalBus : public QObject
{
    Q_OBJECT
private slots:
    void localHopApartFromTheDelayedStream()
    {
        // The stream delivers every breadcrumb 1.5 s late and the server clock runs 3 s ahead.
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet"), QStringLiteral("--delay-ms"), QStringLiteral("1500"),
                            QStringLiteral("--clock-skew-ms"), QStringLiteral("3000")}),
                 qPrintable(sim.error()));
        DoctorLive live(nullptr); // no REST fallback: every probe must go through the engine
        ConnectionSettings settings;
        settings.url = sim.url();
        live.start(settings);
        QVERIFY(waitOpen(live));
        QVERIFY(live.engine().isLive());

        QSignalSpy finished(&live.probes(), &ProbeRunner::finished);
        ProbeRunner::Options options;
        options.count = 3;
        options.intervalMs = 100;
        live.probes().start(options);
        QVERIFY(finished.wait(20000));

        const QList<ProbeOutcome> &outcomes = live.probes().outcomes();
        QCOMPARE(outcomes.size(), 3);
        for (const ProbeOutcome &p : outcomes) {
            const QString what = QString::fromUtf8(p.toJson());
            QVERIFY2(p.isAcked() && p.isSeen(), qPrintable(what));
            // Local copy at the acknowledgement; the stream's 1.5 s later.
            QVERIFY2(p.localNs >= p.ackNs && p.localNs < p.streamNs, qPrintable(what));
            QVERIFY2(double(p.streamNs - p.localNs) / kNsPerMs > 1000, qPrintable(what));
            // The server's updated_at (3 s ahead), not the local copy's console time.
            QVERIFY2(p.updatedAtNs > 0, qPrintable(what));
            const double offsetMs = (double(p.updatedAtNs) - (double(p.sentNs) + double(p.ackNs)) / 2) / kNsPerMs;
            QVERIFY2(std::fabs(offsetMs - 3000) < 200, qPrintable(what));
        }
        const ProbeSummary s = live.probes().summary();
        QCOMPARE(s.local, 3);
        QCOMPARE(s.localMs.count, 3);
        QVERIFY(s.localMs.max < s.streamMs.p50);

        // The doctor: offset from the probes, handed to the flows on refresh.
        Doctor &doctor = live.doctor();
        QCOMPARE(doctor.probes().size(), 3);
        const ClockOffsetEstimator::Estimate e = doctor.stats().clock().estimate();
        QCOMPARE(e.source, ClockOffsetEstimator::Source::Probes);
        QCOMPARE(e.samples, 3); // one sample per probe, however often it was updated
        QVERIFY2(std::fabs(double(e.offsetNs) / kNsPerMs - 3000) < 200, qPrintable(e.toString()));
        QCOMPARE(doctor.flows().clockOffsetNs(), 0);
        doctor.refresh();
        QCOMPARE(doctor.flows().clockOffsetNs(), e.offsetNs);
        // The local copies are no delivery-lag samples (their updated_at is the console's clock,
        // which would read as a 3 s lag here); the stream's copies, repeats in the store, are,
        // with the server times the engine reported: the injected 1.5 s.
        QCOMPARE(doctor.stats().eventCount(), 3);
        const DeliveryStats::LagSummary lag = doctor.stats().lagSummary();
        QCOMPARE(lag.ms.count, 3);
        QVERIFY2(std::fabs(lag.ms.min - 1500) < 250 && std::fabs(lag.ms.max - 1500) < 250,
                 qPrintable(QStringLiteral("lag min %1 max %2 ms").arg(lag.ms.min).arg(lag.ms.max)));
        live.stop();
    }

    void stalledStreamLocalCopiesOnly()
    {
        // Only pings after connect: the local bus has every probe, the stream none.
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet"), QStringLiteral("--stall-after"), QStringLiteral("0")}),
                 qPrintable(sim.error()));
        DoctorLive live(nullptr);
        ConnectionSettings settings;
        settings.url = sim.url();
        live.start(settings);
        QVERIFY(waitOpen(live));
        // The re-list only counts what was written clearly after the stream opened (beyond the
        // ping-based clock offset's uncertainty, ±0.5 s).
        QTest::qWait(1500);
        QSignalSpy finished(&live.probes(), &ProbeRunner::finished);
        ProbeRunner::Options options;
        options.count = 2;
        options.intervalMs = 50;
        options.timeoutMs = 800;
        live.probes().start(options);
        QVERIFY(finished.wait(10000));
        const ProbeSummary s = live.probes().summary();
        QCOMPARE(s.acked, 2);
        QCOMPARE(s.local, 2);
        QCOMPARE(s.seen, 0);
        QCOMPARE(s.lost, 2);
        // A re-list finds them missing from the stream: a local copy does not count as delivered.
        QSignalSpy reconciled(&live.doctor(), &Doctor::reconcileFinished);
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        live.doctor().startReconcile(&rest);
        QVERIFY(reconciled.wait(10000));
        QCOMPARE(live.doctor().reconcileResult().missing.size(), 2);
        live.stop();
    }

    void engineWithoutConnection()
    {
        IngestEngine engine;
        QSignalSpy created(&engine, &IngestEngine::breadcrumbCreated);
        const quint64 ticket = engine.createBreadcrumb(ProbeRunner::probeObject("p", 1, 1, 600), 1000);
        QVERIFY(created.wait(5000));
        QCOMPARE(created.first().at(0).value<quint64>(), ticket);
        QVERIFY(created.first().at(1).toString().isEmpty());
        QVERIFY2(created.first().at(2).toString().contains(QStringLiteral("not connected")),
                 qPrintable(created.first().at(2).toString()));

        // A runner with an engine that is not live and no REST client fails each probe at once.
        ProbeRunner runner(nullptr);
        runner.setEngine(&engine);
        QVERIFY(!runner.canWrite());
        QSignalSpy finished(&runner, &ProbeRunner::finished);
        ProbeRunner::Options options;
        options.count = 2;
        options.intervalMs = 10;
        runner.start(options);
        QVERIFY(finished.wait(5000));
        QCOMPARE(runner.summary().failed, 2);
    }

    void closingTheConnectionAnswersOpenWrites()
    {
        // Both calls reach the ingest thread before any network answer can: the write is cut.
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.error()));
        IngestEngine engine;
        QSignalSpy live(&engine, &IngestEngine::liveChanged);
        ConnectionSettings settings;
        settings.url = sim.url();
        engine.connectTo(settings);
        QVERIFY(live.wait(10000));
        QSignalSpy created(&engine, &IngestEngine::breadcrumbCreated);
        engine.createBreadcrumb(ProbeRunner::probeObject("p", 1, 1, 600), 1000);
        engine.disconnectFromServer();
        QVERIFY(created.wait(5000));
        QCOMPARE(created.size(), 1);
        QVERIFY2(created.first().at(2).toString().contains(QStringLiteral("closed")), qPrintable(created.first().at(2).toString()));
    }
};

QTEST_GUILESS_MAIN(TestProbeLocalBus)
#include "tst_probe_localbus.moc"
