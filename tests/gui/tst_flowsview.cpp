// The Flows view: FlowTreeModel under QAbstractItemModelTester fed the §6 capture through an
// EventStore (in order, newest first, and past the tracker's bound), the timeline's bars and
// lanes, and the links between tree, timeline and the inspector signal.
#include "../unit/tst_flowrig.h"

#include "ui/flows/flowsview.h"
#include "ui/flows/flowtimeline.h"
#include "ui/flows/flowtreemodel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QTreeView>

#include <memory>

using namespace rcrt;
using namespace rcrt::test;
using rcrt::ui::FlowsView;
using rcrt::ui::FlowTimeline;
using rcrt::ui::FlowTreeModel;
using rcrt::ui::TimelineBar;

namespace {

const qint64 kSampleEndNs = parseRfc3339Ns(std::string_view("2025-11-07T10:30:06Z")).value();

QStringList childNames(const FlowTreeModel &model, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(parent); ++row)
        names << model.index(row, FlowTreeModel::NameColumn, parent).data().toString();
    return names;
}

void checkSampleTree(const FlowTreeModel &model)
{
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex llm = model.indexOf(kLlmRequest);
    const QModelIndex workflow = model.indexOf(kWorkflow);
    QVERIFY(llm.isValid() && workflow.isValid());
    QVERIFY(!llm.parent().isValid() && !workflow.parent().isValid());
    QCOMPARE(childNames(model, workflow), (QStringList{QStringLiteral("num1: random"), QStringLiteral("num2: random"),
                                                       QStringLiteral("sum: calculator"), QStringLiteral("response")}));
    QCOMPARE(model.rowCount(llm), 1);
    const QModelIndex sum = model.indexOf(kStepSum);
    QCOMPARE(sum.parent(), workflow);
    QCOMPARE(model.index(sum.row(), FlowTreeModel::RequestIdColumn, workflow).data().toString(),
             QStringLiteral("workflow-sum-1762509004795"));
    QCOMPARE(model.index(sum.row(), FlowTreeModel::StateColumn, workflow).data().toString(), QStringLiteral("answered"));
    QCOMPARE(model.index(sum.row(), FlowTreeModel::RoundTripColumn, workflow).data().toString(), QStringLiteral("218 ms"));
    QCOMPARE(model.index(sum.row(), FlowTreeModel::SchemaColumn, workflow).data().toString(), QStringLiteral("tool.request.v1"));
    QCOMPARE(model.index(sum.row(), 0, workflow).data(FlowTreeModel::RoundTripMsRole).toLongLong(), 218);
    QCOMPARE(model.index(sum.row(), 0, workflow).data(FlowTreeModel::StateRole).toInt(), int(RequestState::Answered));

    // request → response → agent response
    const QModelIndex sumResponse = model.indexOf(kSumResponse);
    QCOMPARE(sumResponse.parent(), sum);
    QCOMPARE(model.rowCount(sumResponse), 1);
    QCOMPARE(model.index(0, 0, sumResponse).data(FlowTreeModel::BreadcrumbIdRole).toByteArray(),
             QByteArray("aa33bb44-cc55-4d66-8e77-ff0011223344"));
    QCOMPARE(model.index(0, 0, sumResponse).data().toString(), QStringLiteral("agent response: default-chat-assistant"));
    QCOMPARE(model.indexOf(kWorkflowAgent).parent(), model.indexOf(kWorkflowResponse));
    QCOMPARE(model.indexOf(kWorkflowResponse).parent(), workflow);
}

} // namespace

class TestFlowsView : public QObject
{
    Q_OBJECT

private slots:
    void treeModelFollowsTheSample()
    {
        Rig rig;
        FlowTreeModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QCOMPARE(feedSample(rig), 20);
        checkSampleTree(model);
        QVERIFY(inserted.size() >= 5);
    }

    void treeModelNewestFirst()
    {
        // Responses arrive before their requests and steps before their workflow: rows move.
        Rig rig;
        FlowTreeModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
        QCOMPARE(feedSample(rig, true), 20);
        checkSampleTree(model);
        QVERIFY(moved.size() >= 5);

        // A model built afterwards from the tracker's state agrees.
        FlowTreeModel fresh(&rig.tracker);
        QAbstractItemModelTester freshTester(&fresh, QAbstractItemModelTester::FailureReportingMode::Fatal);
        checkSampleTree(fresh);
    }

    void treeModelEvictionAndReset()
    {
        FlowTracker::Options options;
        options.maxRequests = 6;
        Rig rig(options);
        FlowTreeModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (int i = 0; i < 30; ++i) {
            const QByteArray id = "r" + QByteArray::number(i);
            rig.request(100 + i, i * 10, requestContext("echo", id.constData()));
            if (i % 3 != 0)
                rig.response(200 + i, i * 10 + 5, responseContext("echo", id.constData()),
                             {"workspace:tools", "tool:response", "request:" + id});
        }
        QVERIFY(model.rowCount() <= 6);
        QCOMPARE(model.rowCount(), int(rig.tracker.requestCount()));
        QVERIFY(!model.indexOf(uuid(100)).isValid());
        QVERIFY(model.indexOf(uuid(129)).isValid());
        QVERIFY(model.indexOf(uuid(228)).isValid());
        QCOMPARE(model.indexOf(uuid(228)).parent(), model.indexOf(uuid(128)));

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        rig.tracker.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 0);
    }

    void treeStateTicksToTimedOut()
    {
        Rig rig;
        FlowTreeModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        rig.request(1, 0, requestContext("random", "slow"));
        const QModelIndex state = model.indexOf(uuid(1), FlowTreeModel::StateColumn);
        QCOMPARE(state.data().toString(), QStringLiteral("pending"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        rig.clockNs = kBaseNs + 61 * 1000 * kMs;
        QVERIFY(changed.wait(3000)); // the 1 s tick
        QCOMPARE(changed.first().at(0).toModelIndex(), state);
        QCOMPARE(state.data().toString(), QStringLiteral("timed out"));
        QCOMPARE(state.data(FlowTreeModel::StateRole).toInt(), int(RequestState::TimedOut));
    }

    void viewShowsTreeAndTimeline()
    {
        Rig rig;
        rig.clockNs = kSampleEndNs;
        FlowsView view(&rig.tracker);
        view.resize(1200, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(feedSample(rig), 20);

        QCOMPARE(view.model()->rowCount(), 2);
        FlowTimeline *timeline = view.timeline();
        const QList<TimelineBar> bars = timeline->bars();
        QCOMPARE(bars.size(), 5);
        QCOMPARE(timeline->lanes(), (QStringList{QStringLiteral("openrouter"), QStringLiteral("workflow"),
                                                 QStringLiteral("random"), QStringLiteral("calculator")}));
        // num1 and num2 ran in parallel: the random lane has two rows.
        QCOMPARE(timeline->timelineLayout().laneRows, (QList<int>{1, 1, 2, 1}));
        QHash<QByteArray, TimelineBar> byKey;
        for (const TimelineBar &b : bars)
            byKey.insert(b.key, b);
        const TimelineBar wf = byKey.value(kWorkflow);
        QCOMPARE(wf.lane, 1);
        QVERIFY(!wf.open);
        QCOMPARE(wf.startNs, rig.tracker.request(kWorkflow)->createdNs);
        QCOMPARE(wf.endNs - wf.startNs, 1180 * kMs);
        QVERIFY(byKey.value(kStepNum1).subRow != byKey.value(kStepNum2).subRow);

        // Fit, click the workflow's bar: its tree row is selected and the inspector is asked.
        timeline->fitAll();
        QVERIFY(!timeline->followNow());
        QSignalSpy activated(&view, &FlowsView::breadcrumbActivated);
        const QRectF rect = timeline->timelineLayout().barRect(wf);
        QVERIFY(timeline->rect().contains(rect.center().toPoint()));
        QCOMPARE(timeline->barAt(rect.center()), kWorkflow);
        QTest::mouseClick(timeline, Qt::LeftButton, {}, rect.center().toPoint());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toByteArray(), kWorkflow);
        QCOMPARE(view.model()->breadcrumbIdAt(view.tree()->currentIndex()), kWorkflow);
        QCOMPARE(timeline->selectedFlow(), kWorkflow);

        // Selecting a response row highlights its request's bar.
        view.selectFlow(kSumResponse);
        QCOMPARE(timeline->selectedFlow(), kStepSum);

        // Double-clicking (activating) a tree row asks for the inspector too.
        emit view.tree()->activated(view.model()->indexOf(kLlmResponse));
        QCOMPARE(activated.last().at(0).toByteArray(), kLlmResponse);

        // Dragging pans and stops following now.
        timeline->setFollowNow(true);
        const qint64 before = timeline->timelineLayout().viewStartNs;
        QTest::mousePress(timeline, Qt::LeftButton, {}, QPoint(600, 200));
        QTest::mouseMove(timeline, QPoint(500, 200));
        QTest::mouseMove(timeline, QPoint(400, 200));
        QTest::mouseRelease(timeline, Qt::LeftButton, {}, QPoint(400, 200));
        QVERIFY(!timeline->followNow());
        QVERIFY(timeline->timelineLayout().viewStartNs > before);

        if (const QString dir = qEnvironmentVariable("RCRT_SCREENSHOT_DIR"); !dir.isEmpty()) {
            timeline->fitAll();
            view.splitter()->setSizes({430, 370});
            QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("flows-view.png"))));
        }
    }

    void treeFollowsNewFlows()
    {
        Rig rig;
        FlowsView view(&rig.tracker);
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int i = 0; i < 60; ++i)
            rig.request(i + 1, i * 10, requestContext("echo", QByteArray("f" + QByteArray::number(i)).constData()));
        const QScrollBar *scroll = view.tree()->verticalScrollBar();
        QTRY_VERIFY(scroll->maximum() > 0);
        QTRY_COMPARE(scroll->value(), scroll->maximum());

        // Scrolled up by the user: new flows no longer pull the view down.
        view.tree()->verticalScrollBar()->setValue(0);
        for (int i = 60; i < 70; ++i)
            rig.request(i + 1, i * 10, requestContext("echo", QByteArray("f" + QByteArray::number(i)).constData()));
        QTest::qWait(50);
        QCOMPARE(scroll->value(), 0);
    }

    void trackerMayGoFirst()
    {
        // The main window owns the tracker as a member: it is destroyed before the child views.
        auto rig = std::make_unique<Rig>();
        auto view = std::make_unique<FlowsView>(&rig->tracker);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QCOMPARE(feedSample(*rig), 20);
        view->selectFlow(kSumResponse);
        rig.reset();
        QTest::qWait(1100); // model and timeline ticks without a tracker
        view->timeline()->fitAll();
        view->timeline()->repaint();
        view.reset();
    }

    void openBarsRunToNow()
    {
        Rig rig;
        FlowsView view(&rig.tracker);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        rig.request(1, 0, requestContext("random", "open-one"));
        rig.clockNs = kBaseNs + 20 * kMs + 75 * 1000 * kMs; // 75 s after it arrived
        QTest::qWait(1300); // the timeline's tick
        const QList<TimelineBar> bars = view.timeline()->bars();
        QCOMPARE(bars.size(), 1);
        QVERIFY(bars.first().open);
        QCOMPARE(bars.first().state, RequestState::TimedOut);
        QCOMPARE(bars.first().endNs - bars.first().startNs, 75 * 1000 * kMs);
        QCOMPARE(bars.first().timeoutAtNs - bars.first().startNs, 60 * 1000 * kMs);
        // Following now: the present sits near the right edge of the plot.
        const auto &layout = view.timeline()->timelineLayout();
        QVERIFY(view.timeline()->followNow());
        QVERIFY(layout.xForTime(rig.clockNs) > layout.plot.left() + 0.9 * layout.plot.width());
        QVERIFY(layout.xForTime(rig.clockNs) <= layout.plot.right());
    }
};

QTEST_MAIN(TestFlowsView)
#include "tst_flowsview.moc"
