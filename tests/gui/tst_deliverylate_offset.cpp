// The flows and pending views' "answered on time by the server, delivered late" mark uses the
// doctor's clock-offset estimate (FlowTracker::clockOffsetNs, set by Doctor::refresh): the same
// recorded times give the mark with the right offset and not with zero, or the reverse.
#include "app/doctor.h"
#include "model/deliverylate.h"
#include "tests/unit/tst_diagnosis_rig.h"
#include "ui/flows/flowtreemodel.h"
#include "ui/pending/pendingmodel.h"

#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace rcrt;
using namespace rcrt::test;

namespace {

struct Marks
{
    int flows = 0;
    int pending = 0;
    int pendingTooltips = 0;
};

Marks countMarks(FlowTracker &tracker)
{
    Marks m;
    ui::FlowTreeModel flows(&tracker);
    for (int row = 0; row < flows.rowCount(); ++row) {
        if (flows.index(row, ui::FlowTreeModel::StateColumn).data().toString().contains(QStringLiteral("delivered late")))
            ++m.flows;
    }
    ui::PendingModel pending(&tracker);
    pending.tick();
    for (int row = 0; row < pending.rowCount(); ++row) {
        const QModelIndex hint = pending.index(row, ui::PendingModel::HintColumn);
        if (hint.data().toString().contains(QStringLiteral("delivered late")))
            ++m.pending;
        if (hint.data(Qt::ToolTipRole).toString().contains(QStringLiteral("delivered late")))
            ++m.pendingTooltips;
    }
    return m;
}

} // namespace

class TestDeliveryLateOffset : public QObject
{
    Q_OBJECT
private slots:
    void marksFollowTheDoctorsOffset_data()
    {
        QTest::addColumn<qint64>("skewS");  // server clock − console clock
        QTest::addColumn<qint64>("delayS"); // stream delay of every breadcrumb (pings on time)
        QTest::addColumn<bool>("lateWithOffset");
        // Server 20 s ahead, events 6 s late: answers need 12 s + the round trip on an SSE-fed
        // runner's path (late for a 10 s timeout); read with a zero offset the lags look negative.
        QTest::newRow("server ahead") << qint64(20) << qint64(6) << true;
        // Server 20 s behind, events 1 s late: on time; a zero offset reads 21 s lags.
        QTest::newRow("server behind") << qint64(-20) << qint64(1) << false;
    }

    void marksFollowTheDoctorsOffset()
    {
        QFETCH(qint64, skewS);
        QFETCH(qint64, delayS);
        QFETCH(bool, lateWithOffset);
        FlowTracker tracker;
        PendingOptions options = tracker.pendingOptions();
        options.defaultTimeoutMs = 10'000;
        tracker.setPendingOptions(options);
        Doctor doctor(&tracker);
        doctor.setMode(Doctor::Mode::Replay);
        EventStore store;
        connect(&store, &EventStore::batchReady, &tracker, &FlowTracker::addBatch);
        connect(&store, &EventStore::batchReady, &doctor, &Doctor::addBatch);
        const qint64 skew = skewS * kDiagS;
        const qint64 delay = delayS * kDiagS;
        const QList<StreamEvent> events = deliver(demoTraffic(60 * kDiagS), [=](const ServerWrite &w) {
            return w.serverNs - skew + 2 * kDiagMs + (w.isPing() ? 0 : delay);
        });
        store.ingestBatch(events);
        store.flush();
        const qint64 endNs = events.last().arrivalNs;
        tracker.setClock([endNs] { return endNs; });
        const int requests = int(tracker.requestCount());
        QCOMPARE(requests, 10);

        // Before the doctor has looked: a zero offset.
        QCOMPARE(tracker.clockOffsetNs(), 0);
        const Marks zero = countMarks(tracker);

        QSignalSpy changed(&tracker, &FlowTracker::clockOffsetChanged);
        doctor.setAnalysisTimeNs(endNs);
        doctor.refresh();
        const ClockOffsetEstimator::Estimate e = doctor.stats().clock().estimate();
        QCOMPARE(e.source, ClockOffsetEstimator::Source::Pings);
        QCOMPARE(tracker.clockOffsetNs(), e.offsetNs);
        QVERIFY2(std::abs(tracker.clockOffsetNs() - skew) <= e.uncertaintyNs, qPrintable(e.toString()));
        QCOMPARE(changed.size(), 1);
        const Marks estimated = countMarks(tracker);

        const Marks &late = lateWithOffset ? estimated : zero;
        const Marks &onTime = lateWithOffset ? zero : estimated;
        QCOMPARE(late.flows, requests);
        QCOMPARE(late.pending, requests);
        QCOMPARE(late.pendingTooltips, requests);
        QCOMPARE(onTime.flows, 0);
        QCOMPARE(onTime.pending, 0);
        QCOMPARE(onTime.pendingTooltips, 0);

        // A new connection clears the doctor: the offset goes back to zero until re-estimated.
        doctor.clear();
        QCOMPARE(tracker.clockOffsetNs(), 0);
    }

    void noEstimateLeavesTheOffset()
    {
        // Without pings or probes there is nothing to set.
        FlowTracker tracker;
        tracker.setClockOffsetNs(1234);
        Doctor doctor(&tracker);
        doctor.setMode(Doctor::Mode::Replay);
        doctor.refresh();
        QCOMPARE(tracker.clockOffsetNs(), 1234);
    }
};

QTEST_MAIN(TestDeliveryLateOffset)
#include "tst_deliverylate_offset.moc"
