// The console's tools-runner and manual invocation through the real main window, against
// rcrt-sim with its own runner off: the menu toggle starts the in-process runner, the invoke
// dialog's calculator call is answered through the local bus, the runner dock lists the
// execution, "Send again" on the request's events row prefills the dialog, and a queue beyond
// the concurrency shows as saturated in the status bar.

#include "app/ingestengine.h"
#include "support/simprocess.h"
#include "ui/events/eventsfilterproxy.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/mainwindow.h"
#include "ui/tools/invokedialog.h"
#include "ui/tools/runnerstatuswidget.h"
#include "ui/tools/toolscontroller.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace rcrt;
using namespace rcrt::ui;

namespace {

QAction *action(const MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QLatin1String(name));
}

} // namespace

class TestRunnerGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // keep the user's settings out of it
        qputenv("RCRT_NO_KEYCHAIN", "1");
    }

    void cleanup()
    {
        QSettings().remove(QStringLiteral("tools"));
    }

    void invokeThroughTheWindowAnsweredByTheConsolesRunner()
    {
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--no-runner"),
                            QStringLiteral("--quiet")}),
                 qPrintable(sim.error()));
        MainWindow window;
        window.show();
        ToolsController *tools = window.tools();
        QVERIFY(tools);
        QVERIFY(!tools->statusWidget()->isVisible()); // off until asked for
        ConnectionSettings settings;
        settings.url = sim.url();
        window.connectTo(settings, QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(tools->engine()->isLive(), 10000);

        QAction *run = action(window, "runToolsAction");
        QVERIFY(run && run->isCheckable() && !run->isChecked());
        run->trigger();
        QVERIFY(run->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(tools->statusWidget()->isVisible(), 5000);
        QVERIFY2(tools->statusWidget()->text().startsWith(QStringLiteral("Runner: ")),
                 qPrintable(tools->statusWidget()->text()));
        QVERIFY(tools->statusWidget()->text().contains(QStringLiteral("/4 running"))); // the default concurrency

        QAction *invoke = action(window, "invokeToolAction");
        QVERIFY(invoke);
        QCOMPARE(invoke->shortcut(), QKeySequence(QStringLiteral("Ctrl+I")));
        invoke->trigger();
        InvokeDialog *dialog = tools->invokeDialog();
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->noticeText().isEmpty());
        QVERIFY(dialog->selectTool(QStringLiteral("calculator"), ToolEntry::Origin::Builtin));
        dialog->editor()->setPlainText(QStringLiteral(R"({"expression": "(2+3)*4"})"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->sendButton()->isEnabled(), 5000);
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->lastSnapshot() && dialog->lastSnapshot()->isFinished(), 15000);
        const InvocationSnapshot done = *dialog->lastSnapshot();
        QCOMPARE(done.status, ToolInvocation::Status::Success);
        const QJsonObject output = done.response.value(QStringLiteral("context")).toObject().value(QStringLiteral("output")).toObject();
        QCOMPARE(output.value(QStringLiteral("result")).toDouble(), 20.0);
        QVERIFY(dialog->responseView()->toPlainText().contains(QStringLiteral("\"result\": 20")));
        // Answered in this process: both the request and the response were on the local bus.
        QVERIFY2(dialog->stepText(InvokeDialog::RequestLocal).startsWith(u'+'), qPrintable(dialog->stepText(InvokeDialog::RequestLocal)));
        QVERIFY2(dialog->stepText(InvokeDialog::ResponseLocal).startsWith(u'+'), qPrintable(dialog->stepText(InvokeDialog::ResponseLocal)));
        QVERIFY(done.timeline.responseLocalNs > 0);
        // The SSE copies fill in afterwards.
        QTRY_VERIFY_WITH_TIMEOUT(dialog->stepText(InvokeDialog::ResponseSse).startsWith(u'+'), 10000);

        // The runner dock lists the execution.
        RunnerStatusWidget *status = tools->runnerStatus();
        const auto executedOurs = [&] {
            for (int row = 0; row < status->model()->rowCount(); ++row) {
                const RunnerExecution &e = status->model()->execution(row);
                if (e.requestId == done.requestId)
                    return e.ok && e.tool == QStringLiteral("calculator") && e.responseId == done.responseBreadcrumbId;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(executedOurs(), 5000);
        QVERIFY(status->stats().done >= 1);
        QVERIFY(status->summaryText().startsWith(QStringLiteral("Runner: ")));

        // Send again from the request's row in the events view: the dialog comes prefilled.
        dialog->editor()->setPlainText(QStringLiteral("{}"));
        dialog->hide();
        EventsView *events = window.eventsView();
        QTRY_VERIFY_WITH_TIMEOUT(!events->model()->rowsForId(done.requestBreadcrumbId.toUtf8()).isEmpty(), 5000);
        const int row = events->model()->rowsForId(done.requestBreadcrumbId.toUtf8()).first();
        const QModelIndex proxyIndex = events->proxy()->mapFromSource(events->model()->index(row, 0));
        QVERIFY(proxyIndex.isValid());
        events->table()->setCurrentIndex(proxyIndex);
        QAction *sendAgain = tools->sendAgainAction();
        QVERIFY(sendAgain->isEnabled());
        QCOMPARE(events->table()->contextMenuPolicy(), Qt::CustomContextMenu);
        sendAgain->trigger();
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->currentTool(), QStringLiteral("calculator"));
        QCOMPARE(dialog->input().value_or(QJsonValue::Undefined), QJsonValue(QJsonObject{{QStringLiteral("expression"), QStringLiteral("(2+3)*4")}}));

        // The response row is not a request: nothing to send again.
        const int responseRow = events->model()->rowsForId(done.responseBreadcrumbId.toUtf8()).first();
        events->table()->setCurrentIndex(events->proxy()->mapFromSource(events->model()->index(responseRow, 0)));
        QVERIFY(!sendAgain->isEnabled());

        run->trigger(); // off again
        QTRY_VERIFY_WITH_TIMEOUT(!tools->statusWidget()->isVisible(), 5000);
        QVERIFY(!tools->engine()->isRunnerEnabled());
    }

    void queueBeyondConcurrencyShowsSaturated()
    {
        QSettings().setValue(QStringLiteral("tools/runnerConcurrency"), 1); // as Runner settings… saves it
        test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        MainWindow window;
        window.show();
        ToolsController *tools = window.tools();
        ConnectionSettings settings;
        settings.url = sim.url();
        window.connectTo(settings);
        QTRY_VERIFY_WITH_TIMEOUT(tools->engine()->isLive(), 10000);
        action(window, "runToolsAction")->trigger();
        QCOMPARE(tools->engine()->runnerOptions().concurrency, 1);

        QList<InvocationSnapshot> finished;
        connect(tools->engine(), &IngestEngine::invocationUpdated, this, [&](quint64, const InvocationSnapshot &s) {
            if (s.isFinished())
                finished += s;
        });
        for (int i = 0; i < 3; ++i)
            tools->engine()->invoke(QStringLiteral("timer"), QJsonObject{{QStringLiteral("seconds"), 0.4}});
        QToolButton *label = tools->statusWidget();
        QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(QStringLiteral("saturated")), 10000);
        QVERIFY2(label->text().startsWith(QStringLiteral("Runner: 1/1 running, ")), qPrintable(label->text()));
        QVERIFY(label->styleSheet().contains(QStringLiteral("color")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 15000);
        for (const InvocationSnapshot &s : std::as_const(finished))
            QCOMPARE(s.status, ToolInvocation::Status::Success);
        QTRY_VERIFY_WITH_TIMEOUT(!label->text().contains(QStringLiteral("saturated")), 5000);
        QVERIFY(label->styleSheet().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(tools->runnerStatus()->stats().done, qint64(3), 5000);
    }

    void summaryText()
    {
        RunnerStats stats;
        stats.running = 2;
        stats.queued = 5;
        QCOMPARE(RunnerStatusWidget::summary(true, true, stats, 4), QStringLiteral("Runner: 2/4 running, 5 queued — saturated"));
        stats.queued = 0;
        QCOMPARE(RunnerStatusWidget::summary(true, true, stats, 4), QStringLiteral("Runner: 2/4 running, 0 queued"));
        QCOMPARE(RunnerStatusWidget::summary(true, false, stats, 4), QStringLiteral("Runner: on, waiting for a connection"));
        QCOMPARE(RunnerStatusWidget::summary(false, true, stats, 4), QStringLiteral("Runner: off"));
    }
};

QTEST_MAIN(TestRunnerGui)
#include "tst_runnergui.moc"
