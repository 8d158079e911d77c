// The main window's Probe button against rcrt-sim (real HTTP and SSE, offscreen): probes go
// through the console's own connection, so the local-bus hop is timed apart from a delayed
// stream; the doctor's clock offset from those probes reaches the flows and pending views,
// whose "delivered late" mark depends on it.
#include "app/doctor.h"
#include "app/probe.h"
#include "model/flowtracker.h"
#include "tests/integration/tst_doctor_rig.h"
#include "ui/diagnosis/diagnosisview.h"
#include "ui/flows/flowtreemodel.h"
#include "ui/mainwindow.h"
#include "ui/pending/pendingmodel.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <cmath>

using namespace rcrt;
using namespace rcrt::test;

class TestDiagnosisLocalHop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("RCRT_NO_KEYCHAIN", "1");
    }

    void probeButtonTimesTheLocalHop()
    {
        // Breadcrumbs reach the stream 1.5 s late; the server clock runs 3 s ahead.
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--delay-ms"), QStringLiteral("1500"), QStringLiteral("--clock-skew-ms"),
                                QStringLiteral("3000")}),
                 qPrintable(sim.error()));
        ui::MainWindow window;
        ui::DiagnosisView *view = window.diagnosisView();
        QVERIFY(!view->probeButton()->isEnabled()); // not connected
        FlowTracker *tracker = window.flowTracker();
        ConnectionSettings settings;
        settings.url = sim.url();
        window.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(view->probeButton()->isEnabled(), 10000);
        PendingOptions pending = tracker->pendingOptions();
        pending.defaultTimeoutMs = 2500;
        tracker->setPendingOptions(pending);

        // A tool request the simulated runner answers at once; both copies reach the console
        // 1.5 s late, so an SSE-fed runner would have needed 3 s: late for a 2.5 s timeout.
        QVERIFY(!createBreadcrumb(sim.url(), toolRequestBody(QStringLiteral("echo"),
                                                             QJsonObject{{QStringLiteral("message"), QStringLiteral("hi")}},
                                                             QStringLiteral("lh-1")))
                     .isEmpty());

        QSignalSpy finished(view, &ui::DiagnosisView::probeFinished);
        QTest::mouseClick(view->probeButton(), Qt::LeftButton);
        QVERIFY(!view->probeButton()->isEnabled());
        QVERIFY(finished.wait(20000));
        QVERIFY(view->probeButton()->isEnabled());

        const QList<ProbeOutcome> &probes = window.doctor()->probes();
        QCOMPARE(probes.size(), 5);
        for (const ProbeOutcome &p : probes) {
            QVERIFY2(p.isSeen() && p.localNs > 0, p.toJson().constData());
            QVERIFY2(p.localNs < p.streamNs && (p.streamNs - p.localNs) > 1'000'000'000, p.toJson().constData());
        }
        const ProbeSummary s = view->probeRunner()->summary();
        QCOMPARE(s.local, 5);
        QVERIFY2(view->probeText().contains(QStringLiteral("local bus")), qPrintable(view->probeText()));
        QVERIFY2(view->probeText().contains(QStringLiteral("5 on the stream")), qPrintable(view->probeText()));

        // The doctor's offset, from the probes' server times, is the views' offset.
        const ClockOffsetEstimator::Estimate e = window.doctor()->stats().clock().estimate();
        QCOMPARE(e.source, ClockOffsetEstimator::Source::Probes);
        QVERIFY2(std::fabs(double(e.offsetNs) / 1e6 - 3000) < 200, qPrintable(e.toString()));
        QTRY_COMPARE_WITH_TIMEOUT(tracker->clockOffsetNs(), e.offsetNs, 5000); // the 1 s refresh

        QTRY_VERIFY_WITH_TIMEOUT(tracker->responseCount() >= 1, 10000);
        ui::FlowTreeModel flows(tracker);
        ui::PendingModel pendingModel(tracker);
        pendingModel.tick();
        const auto marked = [&] {
            int n = 0;
            for (int row = 0; row < flows.rowCount(); ++row)
                n += flows.index(row, ui::FlowTreeModel::StateColumn).data().toString().contains(QStringLiteral("delivered late"));
            for (int row = 0; row < pendingModel.rowCount(); ++row)
                n += pendingModel.index(row, ui::PendingModel::HintColumn).data().toString().contains(QStringLiteral("delivered late"));
            return n;
        };
        QCOMPARE(marked(), 2); // the request, in both views
        // Read with a zero offset the server's times look 3 s in the future: no mark.
        const qint64 offset = tracker->clockOffsetNs();
        tracker->setClockOffsetNs(0);
        QCOMPARE(marked(), 0);
        tracker->setClockOffsetNs(offset);
        window.disconnectFromServer();
        QTRY_VERIFY_WITH_TIMEOUT(!view->probeButton()->isEnabled(), 5000);
    }
};

QTEST_MAIN(TestDiagnosisLocalHop)
#include "tst_diagnosis_localhop.moc"
