#include "ui/tools/toolscontroller.h"

#include "app/ingestengine.h"
#include "net/restclient.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/tools/invokedialog.h"
#include "ui/tools/runnerstatuswidget.h"

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>

namespace rcrt::ui {

namespace {
const QString kWorkspaceKey = QStringLiteral("tools/runnerWorkspace");
const QString kConcurrencyKey = QStringLiteral("tools/runnerConcurrency");
constexpr int kMaxConcurrency = 64;
} // namespace

ToolsController::ToolsController(IngestEngine *engine, RestClient *rest, QSettings &settings, QMainWindow *window,
                                 std::function<bool()> isReplaying)
    : QObject(window)
    , m_engine(engine)
    , m_rest(rest)
    , m_settings(settings)
    , m_window(window)
    , m_isReplaying(std::move(isReplaying))
{
    m_runTools = new QAction(tr("&Run tools in this console"), this);
    m_runTools->setObjectName(QStringLiteral("runToolsAction"));
    m_runTools->setCheckable(true);
    m_runTools->setToolTip(tr("Answer tool.request.v1 in the runner's workspace with the built-in tools"));
    connect(m_runTools, &QAction::toggled, this, &ToolsController::setRunnerEnabled);

    m_settingsAction = new QAction(tr("Runner &settings…"), this);
    m_settingsAction->setObjectName(QStringLiteral("runnerSettingsAction"));
    connect(m_settingsAction, &QAction::triggered, this, &ToolsController::editRunnerSettings);

    m_invoke = new QAction(tr("&Invoke tool…"), this);
    m_invoke->setObjectName(QStringLiteral("invokeToolAction"));
    m_invoke->setShortcut(QKeySequence(tr("Ctrl+I")));
    connect(m_invoke, &QAction::triggered, this, &ToolsController::openInvokeDialog);

    m_status = new RunnerStatusWidget(window);
    m_dock = new QDockWidget(tr("Tools runner"), window);
    m_dock->setObjectName(QStringLiteral("runnerDock"));
    m_dock->setWidget(m_status);
    window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_dock->hide();

    m_statusButton = new QToolButton(window);
    m_statusButton->setObjectName(QStringLiteral("runnerStatusButton"));
    m_statusButton->setAutoRaise(true);
    m_statusButton->setToolTip(tr("Show the tools runner's executions"));
    connect(m_statusButton, &QToolButton::clicked, m_dock, [this] {
        m_dock->show();
        m_dock->raise();
    });

    connect(m_engine, &IngestEngine::runnerEnabledChanged, this, [this](bool on) {
        const QSignalBlocker block(m_runTools);
        m_runTools->setChecked(on);
        refreshStatus();
    });
    connect(m_engine, &IngestEngine::liveChanged, this, &ToolsController::refreshStatus);
    connect(m_engine, &IngestEngine::runnerStatsChanged, this, [this](const RunnerStats &stats) {
        m_stats = stats;
        m_status->setStats(stats);
        refreshStatus();
    });
    connect(m_engine, &IngestEngine::runnerExecuted, m_status, &RunnerStatusWidget::addExecutions);
    refreshStatus();
}

ToolsController::~ToolsController() = default;

IngestEngine *ToolsController::engine() const
{
    return m_engine;
}

void ToolsController::attachEventsView(EventsView *view)
{
    m_eventsView = view;
    m_sendAgainAction = new QAction(tr("Send &again…"), this);
    m_sendAgainAction->setObjectName(QStringLiteral("sendAgainAction"));
    m_sendAgainAction->setToolTip(tr("Open the invoke dialog with this request's tool, input and workspace"));
    connect(m_sendAgainAction, &QAction::triggered, this, [this] {
        const EventRecord record = currentEventsRecord();
        if (record.isValid() && record.envelope.schemaName == "tool.request.v1")
            sendAgain(record);
    });
    QTableView *table = view->table();
    const auto refresh = [this] {
        const EventRecord record = currentEventsRecord();
        m_sendAgainAction->setEnabled(record.isValid() && record.envelope.schemaName == "tool.request.v1");
    };
    connect(table->selectionModel(), &QItemSelectionModel::currentChanged, this, refresh);
    refresh();
    table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table, &QWidget::customContextMenuRequested, this, [this, table, refresh](const QPoint &pos) {
        const QModelIndex index = table->indexAt(pos);
        if (!index.isValid())
            return;
        table->setCurrentIndex(index);
        refresh();
        QMenu menu(table);
        menu.addAction(m_sendAgainAction);
        menu.exec(table->viewport()->mapToGlobal(pos));
    });
}

EventRecord ToolsController::currentEventsRecord() const
{
    if (!m_eventsView)
        return {};
    return m_eventsView->table()->currentIndex().data(EventsModel::RecordRole).value<EventRecord>();
}

void ToolsController::populateMenu(QMenu *menu)
{
    menu->addAction(m_invoke);
    menu->addSeparator();
    menu->addAction(m_runTools);
    menu->addAction(m_settingsAction);
    menu->addAction(m_dock->toggleViewAction());
}

RunnerOptions ToolsController::runnerOptions() const
{
    RunnerOptions options;
    const QString workspace = m_settings.value(kWorkspaceKey).toString().trimmed();
    if (!workspace.isEmpty())
        options.workspace = workspace;
    bool ok = false;
    const int concurrency = m_settings.value(kConcurrencyKey).toInt(&ok);
    if (ok && concurrency >= 1 && concurrency <= kMaxConcurrency)
        options.concurrency = concurrency;
    return options;
}

void ToolsController::setRunnerEnabled(bool enabled)
{
    m_engine->setRunnerEnabled(enabled, runnerOptions());
    if (!enabled)
        m_stats = {};
    {
        const QSignalBlocker block(m_runTools);
        m_runTools->setChecked(enabled);
    }
    refreshStatus();
}

bool ToolsController::editRunnerSettings()
{
    const RunnerOptions current = runnerOptions();
    QDialog dialog(m_window);
    dialog.setWindowTitle(tr("Tools runner settings"));
    auto *form = new QFormLayout(&dialog);
    auto *workspace = new QLineEdit(current.workspace, &dialog);
    workspace->setObjectName(QStringLiteral("runnerWorkspace"));
    auto *concurrency = new QSpinBox(&dialog);
    concurrency->setObjectName(QStringLiteral("runnerConcurrency"));
    concurrency->setRange(1, kMaxConcurrency);
    concurrency->setValue(current.concurrency);
    auto *hint = new QLabel(tr("Requests tagged tool:request and this workspace are answered; more than the "
                               "concurrency wait in a queue (shown as saturated)."),
                            &dialog);
    hint->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(tr("Workspace tag:"), workspace);
    form->addRow(tr("Concurrent executions:"), concurrency);
    form->addRow(hint);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    const auto check = [&] {
        const QString w = workspace->text().trimmed();
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!w.isEmpty() && !w.contains(u' '));
    };
    connect(workspace, &QLineEdit::textChanged, &dialog, check);
    check();
    if (dialog.exec() != QDialog::Accepted)
        return false;
    m_settings.setValue(kWorkspaceKey, workspace->text().trimmed());
    m_settings.setValue(kConcurrencyKey, concurrency->value());
    if (m_engine->isRunnerEnabled())
        m_engine->setRunnerEnabled(true, runnerOptions()); // restarts with the new options
    refreshStatus();
    return true;
}

InvokeDialog *ToolsController::invokeDialog()
{
    if (!m_dialog) {
        m_dialog = new InvokeDialog(m_engine, m_rest, m_window);
        m_dialog->setModal(false);
    }
    return m_dialog;
}

void ToolsController::openInvokeDialog()
{
    InvokeDialog *dialog = invokeDialog();
    dialog->setReplayMode(m_isReplaying && m_isReplaying());
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

void ToolsController::sendAgain(const EventRecord &record)
{
    InvokeDialog *dialog = invokeDialog();
    dialog->prefillFromRequest(record.raw);
    openInvokeDialog();
}

void ToolsController::refreshStatus()
{
    const bool enabled = m_engine->isRunnerEnabled();
    const bool live = m_engine->isLive();
    const int concurrency = m_engine->runnerOptions().concurrency;
    m_status->setEnabledState(enabled, live, concurrency);
    if (enabled)
        m_status->setStats(m_stats);
    m_statusButton->setText(RunnerStatusWidget::summary(enabled, live, m_stats, concurrency));
    m_statusButton->setStyleSheet(enabled && live && m_stats.saturated()
                                      ? QStringLiteral("color: #9a5b00; font-weight: bold;")
                                      : QString());
    m_statusButton->setVisible(enabled);
}

} // namespace rcrt::ui
