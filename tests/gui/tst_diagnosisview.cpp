// DiagnosisView: findings listed with their evidence, cited events clickable, and the Probe
// button timing real probes against rcrt-sim.
#include "app/doctor.h"
#include "app/ingestengine.h"
#include "app/probe.h"
#include "model/deliverylate.h"
#include "net/restclient.h"
#include "tests/support/simprocess.h"
#include "tests/unit/tst_diagnosis_rig.h"
#include "ui/diagnosis/diagnosisview.h"
#include "ui/flows/flowtreemodel.h"
#include "ui/mainwindow.h"
#include "ui/pending/pendingmodel.h"

#include <QHeaderView>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>

using namespace rcrt;
using namespace rcrt::test;

namespace {

void feed(EventStore &store, const QList<StreamEvent> &events)
{
    store.ingestBatch(events);
    store.flush();
}

QTreeWidgetItem *findChildWithText(QTreeWidgetItem *parent, int column, const QString &text)
{
    for (int i = 0; i < parent->childCount(); ++i) {
        QTreeWidgetItem *c = parent->child(i);
        if (c->text(column) == text)
            return c;
        if (QTreeWidgetItem *deeper = findChildWithText(c, column, text))
            return deeper;
    }
    return nullptr;
}

} // namespace

class TestDiagnosisView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void mainWindowHasTheDiagnosisTab()
    {
        ui::MainWindow window;
        QCOMPARE(window.tabs()->indexOf(window.diagnosisView()), 4);
        QCOMPARE(window.tabs()->tabText(4), QStringLiteral("&Diagnosis"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClick(&window, Qt::Key_5, Qt::ControlModifier);
        QCOMPARE(window.tabs()->currentWidget(), window.diagnosisView());
        QVERIFY(window.doctor());
    }

    void flowsAndPendingMarkDeliveredLate()
    {
        // The seed's incident: a 60 s buffer; requests answered in <= 2.5 s by the server.
        FlowTracker tracker;
        EventStore store;
        connect(&store, &EventStore::batchReady, &tracker, &FlowTracker::addBatch);
        const QList<StreamEvent> events = deliver(demoTraffic(5 * 60 * kDiagS), bufferedDelivery(60 * kDiagS, 23 * kDiagS));
        feed(store, events);
        tracker.setClock([&] { return events.last().arrivalNs; });

        int lateByVerdict = 0;
        for (const QByteArray &key : tracker.requestKeys())
            lateByVerdict += deliveryVerdict(tracker, *tracker.request(key), 0).deliveredLate ? 1 : 0;
        QVERIFY(lateByVerdict > 0);

        ui::PendingModel pending(&tracker);
        pending.tick();
        int markedPending = 0;
        for (int row = 0; row < pending.rowCount(); ++row) {
            const QModelIndex hint = pending.index(row, ui::PendingModel::HintColumn);
            if (hint.data().toString().contains(QStringLiteral("delivered late"))) {
                ++markedPending;
                QVERIFY(hint.data(Qt::ToolTipRole).toString().contains(QStringLiteral("answered on time by the server")
                                                                        , Qt::CaseInsensitive));
            }
        }
        QCOMPARE(markedPending, lateByVerdict);

        ui::FlowTreeModel flows(&tracker);
        int markedFlows = 0;
        for (int row = 0; row < flows.rowCount(); ++row)
            if (flows.index(row, ui::FlowTreeModel::StateColumn).data().toString().contains(QStringLiteral("delivered late")))
                ++markedFlows;
        QCOMPARE(markedFlows, lateByVerdict);
    }

    void healthyByDefault()
    {
        Doctor doctor;
        ui::DiagnosisView view(&doctor);
        QCOMPARE(view.tree()->topLevelItemCount(), 1);
        QCOMPARE(view.tree()->topLevelItem(0)->text(0), QStringLiteral("healthy"));
        QVERIFY(!view.probeButton()->isEnabled()); // no REST client
    }

    void findingsWithClickableEvents()
    {
        Doctor doctor;
        doctor.setMode(Doctor::Mode::Replay);
        ui::DiagnosisView view(&doctor);
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        EventStore store;
        connect(&store, &EventStore::batchReady, &view, &ui::DiagnosisView::addBatch);
        feed(store, deliver(demoTraffic(30 * kDiagS), healthyDelivery(), 2));
        doctor.refresh();

        QCOMPARE(view.tree()->topLevelItemCount(), 1);
        QTreeWidgetItem *top = view.tree()->topLevelItem(0);
        QCOMPARE(top->text(0), QStringLiteral("duplicates"));
        QVERIFY(findChildWithText(top, 0, QStringLiteral("fix")));
        QVERIFY(findChildWithText(top, 0, QStringLiteral("evidence")));
        QVERIFY(view.measuresText().contains(QStringLiteral("events")));

        const QByteArray cited = doctor.findings().first().eventIds.first();
        QTreeWidgetItem *eventItem = findChildWithText(top, 1, QString::fromUtf8(cited));
        QVERIFY(eventItem);
        QSignalSpy activated(&view, &ui::DiagnosisView::breadcrumbActivated);
        view.tree()->scrollToItem(eventItem);
        const QRect rect = view.tree()->visualItemRect(eventItem);
        QVERIFY(rect.isValid());
        const int x = view.tree()->header()->sectionPosition(1) + 10;
        QTest::mouseClick(view.tree()->viewport(), Qt::LeftButton, {}, QPoint(x, rect.center().y()));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().first().toByteArray(), cited);

        // A non-event row does not emit.
        const QRect topRect = view.tree()->visualItemRect(top);
        QTest::mouseClick(view.tree()->viewport(), Qt::LeftButton, {}, QPoint(x, topRect.center().y()));
        QCOMPARE(activated.size(), 1);
    }

    void probeButtonAgainstSim()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.error()));
        Doctor doctor;
        ui::DiagnosisView view(&doctor);
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        view.setRestClient(&rest);
        QVERIFY(view.probeButton()->isEnabled());

        IngestEngine engine;
        connect(&engine, &IngestEngine::batchReady, &view, &ui::DiagnosisView::addBatch);
        QSignalSpy states(&engine, &IngestEngine::stateChanged);
        ConnectionSettings settings;
        settings.url = sim.url();
        settings.initialHistory = 0;
        engine.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::any_of(states.cbegin(), states.cend(),
                        [](const QList<QVariant> &args) { return args.first().value<SseClient::State>() == SseClient::State::Open; }),
            10000);

        QSignalSpy finished(&view, &ui::DiagnosisView::probeFinished);
        QTest::mouseClick(view.probeButton(), Qt::LeftButton);
        QVERIFY(!view.probeButton()->isEnabled());
        QVERIFY(finished.wait(15000));
        QVERIFY(view.probeButton()->isEnabled());
        QCOMPARE(doctor.probes().size(), 5);
        for (const ProbeOutcome &p : doctor.probes())
            QVERIFY2(p.isSeen(), qPrintable(view.probeText()));
        QVERIFY2(view.probeText().contains(QStringLiteral("5 on the stream")), qPrintable(view.probeText()));
        // Written over REST (no engine set): no local-bus copy to time.
        QCOMPARE(view.probeRunner()->summary().local, 0);
        QVERIFY(!view.probeText().contains(QStringLiteral("local bus")));
        QCOMPARE(doctor.stats().clock().estimate().source, ClockOffsetEstimator::Source::Probes);
        engine.disconnectFromServer();
    }
};

QTEST_MAIN(TestDiagnosisView)
#include "tst_diagnosisview.moc"
