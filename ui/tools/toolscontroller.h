#pragma once

#include "app/runner/toolsrunner.h"
#include "model/eventrecord.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QAction;
class QDockWidget;
class QMainWindow;
class QMenu;
class QSettings;
class QToolButton;

namespace rcrt {
class IngestEngine;
class RestClient;
} // namespace rcrt

namespace rcrt::ui {

class EventsView;
class InvokeDialog;
class RunnerStatusWidget;

// The main window's Tools menu (issue 4): "Run tools in this console" (the in-process
// tools-runner, its workspace and concurrency kept in QSettings), "Invoke tool…" (Ctrl+I),
// the runner's status in the status bar (warning colour while requests wait for a slot) and a
// "Tools runner" dock with its latest executions; "Send again" from the events view.
//
// The runner is never switched on at start: answering other people's tool requests is opt-in
// for each session.
class ToolsController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolsController)

public:
    // Not owned. The dock is added to `window` (hidden); call populateMenu() and put
    // statusWidget() in the status bar. `isReplaying` tells the dialog why it cannot send.
    ToolsController(IngestEngine *engine, RestClient *rest, QSettings &settings, QMainWindow *window,
                    std::function<bool()> isReplaying = {});
    ~ToolsController() override;

    void populateMenu(QMenu *menu);
    // Adds "Send again…" to the events table's context menu (live and replay alike): enabled on
    // a tool.request.v1 row, it opens the invoke dialog prefilled from that request.
    void attachEventsView(EventsView *view);
    QAction *sendAgainAction() const { return m_sendAgainAction; }
    IngestEngine *engine() const;
    QToolButton *statusWidget() const { return m_statusButton; }
    QDockWidget *dock() const { return m_dock; }
    RunnerStatusWidget *runnerStatus() const { return m_status; }
    QAction *runToolsAction() const { return m_runTools; }
    QAction *invokeAction() const { return m_invoke; }
    QAction *runnerSettingsAction() const { return m_settingsAction; }

    // Created on first use.
    InvokeDialog *invokeDialog();
    RunnerOptions runnerOptions() const; // from QSettings

public slots:
    void openInvokeDialog();
    // Opens the dialog prefilled with that tool.request.v1's tool, input and workspace.
    void sendAgain(const rcrt::EventRecord &record);
    void setRunnerEnabled(bool enabled);
    bool editRunnerSettings();

private:
    void refreshStatus();
    EventRecord currentEventsRecord() const;

    QPointer<IngestEngine> m_engine;
    QPointer<RestClient> m_rest;
    QSettings &m_settings;
    QMainWindow *m_window;
    std::function<bool()> m_isReplaying;
    QAction *m_runTools = nullptr;
    QAction *m_invoke = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_sendAgainAction = nullptr;
    QPointer<EventsView> m_eventsView;
    QToolButton *m_statusButton = nullptr;
    QDockWidget *m_dock = nullptr;
    RunnerStatusWidget *m_status = nullptr;
    QPointer<InvokeDialog> m_dialog;
    RunnerStats m_stats;
};

} // namespace rcrt::ui
