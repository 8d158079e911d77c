// The Pending view: PendingModel and its filter proxy under QAbstractItemModelTester, the 1 s
// tick (one dataChanged over Age and Countdown), states moving with the injected clock, the
// "show answered" toggle, the timeout setting and the count line.
#include "../unit/tst_flowrig.h"

#include "ui/pending/pendingfilterproxy.h"
#include "ui/pending/pendingmodel.h"
#include "ui/pending/pendingview.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDir>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using namespace rcrt;
using namespace rcrt::test;
using rcrt::ui::PendingFilterProxy;
using rcrt::ui::PendingModel;
using rcrt::ui::PendingView;

namespace {

constexpr qint64 kSecondNs = 1000 * kMs;

// The §6 capture plus the failure shapes of §8.2 item 1, a few seconds after the capture.
void feedTroubles(Rig &rig)
{
    QCOMPARE(feedSample(rig), 20);
    const qint64 t = 6'000; // ms after kBaseNs (10:30:06)
    rig.request(1, t, requestContext("scheduler_check", "req-pending"));
    rig.request(2, t, requestContext("summarize", "req-noinput", false));
    rig.request(3, t, requestContext("openrouter_models_sync", "req-untagged"));
    QJsonObject notFound = responseContext("openrouter_models_sync", "req-untagged", "error");
    notFound.insert(s("error"), s("Tool not found: openrouter_models_sync"));
    rig.response(4, t + 40, notFound, {"workspace:tools", "tool:response", "error"});
    rig.request(5, t, requestContext("echo", "req-agents"), {"tool:request", "workspace:agents"});
}

QStringList column(const QAbstractItemModel &model, int column, int role = Qt::DisplayRole)
{
    QStringList values;
    for (int row = 0; row < model.rowCount(); ++row)
        values << model.index(row, column).data(role).toString();
    return values;
}

} // namespace

class TestPendingView : public QObject
{
    Q_OBJECT

private slots:
    void modelListsEveryRequest()
    {
        Rig rig;
        PendingModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        PendingFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);

        feedTroubles(rig);
        rig.clockNs = kBaseNs + 10 * kSecondNs;
        model.tick();
        QCOMPARE(model.rowCount(), 9);
        QCOMPARE(column(model, PendingModel::RequestIdColumn),
                 (QStringList{QStringLiteral("llm-1762509000640-k3j9x2m1q"), QStringLiteral("wf-add-1"),
                              QStringLiteral("workflow-num1-1762509004301"), QStringLiteral("workflow-num2-1762509004302"),
                              QStringLiteral("workflow-sum-1762509004795"), QStringLiteral("req-pending"),
                              QStringLiteral("req-noinput"), QStringLiteral("req-untagged"), QStringLiteral("req-agents")}));
        QCOMPARE(column(model, PendingModel::StateColumn),
                 (QStringList{QStringLiteral("answered"), QStringLiteral("answered"), QStringLiteral("answered"),
                              QStringLiteral("answered"), QStringLiteral("answered"), QStringLiteral("pending"),
                              QStringLiteral("pending"), QStringLiteral("error"), QStringLiteral("pending")}));
        const int untagged = model.rowOf(uuid(3));
        QCOMPARE(model.index(untagged, PendingModel::HintColumn).data().toString(),
                 QStringLiteral("a response exists but lacks its request:req-untagged tag"));
        QCOMPARE(model.index(model.rowOf(uuid(2)), PendingModel::HintColumn).data().toString(),
                 QStringLiteral("request has no input (never answered)"));
        QCOMPARE(model.index(model.rowOf(uuid(5)), PendingModel::HintColumn).data().toString(),
                 QStringLiteral("no runner seen for workspace:agents in 5 min"));
        QCOMPARE(model.index(model.rowOf(uuid(5)), PendingModel::WorkspaceColumn).data().toString(),
                 QStringLiteral("workspace:agents"));
        QCOMPARE(model.index(model.rowOf(uuid(1)), PendingModel::HintColumn).data().toString(), QString());
        QCOMPARE(model.index(model.rowOf(kStepSum), PendingModel::ToolColumn).data().toString(),
                 QStringLiteral("calculator (step sum)"));

        // Arrived at 10:30:06.020; the clock reads 10:30:10.
        const int pendingRow = model.rowOf(uuid(1));
        QCOMPARE(model.index(pendingRow, PendingModel::AgeColumn).data(PendingModel::AgeMsRole).toLongLong(), 3'980);
        QCOMPARE(model.index(pendingRow, PendingModel::AgeColumn).data().toString(), QStringLiteral("3.98 s"));
        QCOMPARE(model.index(pendingRow, PendingModel::CountdownColumn).data().toString(), QStringLiteral("57 s"));
        QCOMPARE(model.index(model.rowOf(kWorkflow), PendingModel::CountdownColumn).data().toString(), QString());

        // Default filter: open requests and the recent error; the answered five are hidden.
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setShowAnswered(true);
        QCOMPARE(proxy.rowCount(), 9);
        proxy.setShowAnswered(false);
        QCOMPARE(proxy.rowCount(), 4);

        const PendingModel::Counts counts = model.counts();
        QCOMPARE(counts.pending, 3);
        QCOMPARE(counts.recentErrors, 1);
        QCOMPARE(counts.answered, 5);
        QCOMPARE(counts.total, 9);
    }

    void tickMovesAgesWithOneSignal()
    {
        Rig rig;
        PendingModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        feedTroubles(rig);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        rig.clockNs = kBaseNs + 30 * kSecondNs;
        model.tick();
        // Nothing changed state: exactly one signal, rows 0..8, columns Age..Countdown.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex(), model.index(0, PendingModel::AgeColumn));
        QCOMPARE(changed.first().at(1).toModelIndex(), model.index(8, PendingModel::CountdownColumn));

        // 61 s after arrival the open ones time out: their state and hint cells change too.
        changed.clear();
        rig.clockNs = kBaseNs + (6 + 61) * kSecondNs;
        model.tick();
        QCOMPARE(changed.size(), 3); // ages, then rows 5–6 and row 8 (state..hint)
        QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(5, PendingModel::StateColumn));
        QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(6, PendingModel::HintColumn));
        QCOMPARE(model.index(model.rowOf(uuid(1)), PendingModel::StateColumn).data().toString(), QStringLiteral("timed out"));
        QCOMPARE(model.index(model.rowOf(uuid(1)), PendingModel::CountdownColumn).data().toString(),
                 QStringLiteral("overdue 980 ms"));
        QCOMPARE(model.counts().timedOut, 3);

        // The timer drives the same refresh once a second.
        changed.clear();
        QVERIFY(changed.wait(3000));
    }

    void recentProblemsLeaveTheDefaultList()
    {
        Rig rig;
        PendingModel model(&rig.tracker);
        PendingFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
        rig.request(1, 0, requestContext("random", "late"));
        rig.response(2, 70'000, responseContext("random", "late"), {"workspace:tools", "tool:response", "request:late"});
        rig.request(3, 0, requestContext("random", "never"));
        rig.clockNs = kBaseNs + 80 * kSecondNs;
        model.tick();
        QCOMPARE(proxy.rowCount(), 2);
        QCOMPARE(model.index(model.rowOf(uuid(1)), PendingModel::StateColumn).data().toString(),
                 QStringLiteral("answered late"));

        // Eleven minutes after the late answer it is history; the unanswered one stays.
        rig.clockNs = kBaseNs + (70 + 11 * 60) * kSecondNs;
        model.tick();
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PendingModel::BreadcrumbIdRole).toByteArray(), uuid(3));
    }

    void responseArrivalUpdatesTheRow()
    {
        Rig rig;
        PendingModel model(&rig.tracker);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        rig.request(1, 0, requestContext("random", "r1"));
        QCOMPARE(model.index(0, PendingModel::StateColumn).data().toString(), QStringLiteral("pending"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        rig.response(2, 300, responseContext("random", "r1"), {"workspace:tools", "tool:response", "request:r1"});
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.index(0, PendingModel::StateColumn).data().toString(), QStringLiteral("answered"));
        QCOMPARE(model.index(0, 0).data(PendingModel::RoundTripMsRole).toLongLong(), 300);
    }

    void viewToggleTimeoutAndCounts()
    {
        Rig rig;
        PendingView view(&rig.tracker);
        view.resize(1300, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        feedTroubles(rig);
        rig.clockNs = kBaseNs + 20 * kSecondNs;
        view.model()->tick();

        QCOMPARE(view.table()->model()->rowCount(), 4);
        QCOMPARE(view.countText(), QStringLiteral("3 pending · 1 error (last 10 min) — showing 4 of 9 requests"));
        auto *toggle = view.findChild<QCheckBox *>();
        QVERIFY(toggle);
        toggle->click();
        QVERIFY(view.showAnswered());
        QCOMPARE(view.table()->model()->rowCount(), 9);

        // A 1 s requester timeout: the 3.3 s LLM round trip is now late, the open ones timed out.
        auto *timeout = view.findChild<QSpinBox *>();
        QVERIFY(timeout);
        timeout->setValue(1);
        QCOMPARE(rig.tracker.pendingOptions().defaultTimeoutMs, 1000);
        const PendingModel *model = view.model();
        QCOMPARE(model->index(model->rowOf(kLlmRequest), PendingModel::StateColumn).data().toString(),
                 QStringLiteral("answered late"));
        QCOMPARE(model->index(model->rowOf(uuid(1)), PendingModel::StateColumn).data().toString(),
                 QStringLiteral("timed out"));
        QVERIFY(view.countText().startsWith(QStringLiteral("0 pending · 3 timed out · 1 error")));

        QSignalSpy activated(&view, &PendingView::breadcrumbActivated);
        emit view.table()->activated(view.table()->model()->index(0, 0));
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toByteArray(), kLlmRequest);

        if (const QString dir = qEnvironmentVariable("RCRT_SCREENSHOT_DIR"); !dir.isEmpty()) {
            timeout->setValue(60);
            rig.clockNs = kBaseNs + 75 * kSecondNs;
            view.model()->tick();
            QVERIFY(view.grab().save(QDir(dir).filePath(QStringLiteral("pending-view.png"))));
        }
    }
};

QTEST_MAIN(TestPendingView)
#include "tst_pendingview.moc"
