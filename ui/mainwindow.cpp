#include "ui/mainwindow.h"

#include "app/doctor.h"
#include "app/ingestengine.h"
#include "app/profiles.h"
#include "app/replayengine.h"
#include "model/flowtracker.h"
#include "net/restclient.h"
#include "net/tokenprovider.h"
#include "ui/charts/latencychartsview.h"
#include "ui/connection/connectiondialog.h"
#include "ui/diagnosis/diagnosisview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/flows/flowsview.h"
#include "ui/inspector/inspectorview.h"
#include "ui/pending/pendingview.h"
#include "ui/replay/recordingcontroller.h"
#include "ui/replay/replaybar.h"
#include "ui/replay/replayfeeder.h"
#include "ui/status/connectionstatus.h"
#include "ui/tools/toolscontroller.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace rcrt::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_settings(std::make_unique<QSettings>())
    , m_profiles(std::make_unique<ProfileStore>(*m_settings))
    , m_secrets(std::make_unique<SecretStore>(
          QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/tokens")))
    , m_engine(std::make_unique<IngestEngine>())
    , m_tokens(std::make_unique<TokenProvider>(&m_nam))
    , m_rest(std::make_unique<RestClient>(&m_nam, QUrl(), m_tokens.get()))
    , m_tracker(std::make_unique<FlowTracker>())
    , m_doctor(std::make_unique<Doctor>(m_tracker.get()))
{
    setWindowTitle(tr("RCRT Console"));
    resize(1400, 860);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_events = new EventsView(this);
    m_events->setRestClient(m_rest.get());
    m_flows = new FlowsView(m_tracker.get(), this);
    m_pending = new PendingView(m_tracker.get(), this);
    m_charts = new LatencyChartsView(this);
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_flows, tr("&Flows"));
    m_tabs->addTab(m_pending, tr("&Pending requests"));
    m_tabs->addTab(m_charts, tr("&Latency"));
    // The delivery doctor (issue 6): findings refreshed every second, probes through the
    // engine's own node (timed on the local bus and the stream) whenever it is connected.
    m_diagnosis = new DiagnosisView(m_doctor.get(), this);
    m_diagnosis->setEngine(m_engine.get());
    m_doctor->setAutoRefreshMs(1000);
    m_tabs->addTab(m_diagnosis, tr("&Diagnosis"));

    // Above the tabs: a dismissible message bar (replay problems) and the replay controls.
    m_replay = std::make_unique<ReplayEngine>();
    m_messageBar = new QFrame(this);
    m_messageBar->setObjectName(QStringLiteral("messageBar"));
    m_messageBar->setAutoFillBackground(true);
    {
        QPalette p = m_messageBar->palette();
        p.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd));
        p.setColor(QPalette::WindowText, QColor(0x66, 0x4d, 0x03));
        m_messageBar->setPalette(p);
        auto *row = new QHBoxLayout(m_messageBar);
        row->setContentsMargins(8, 4, 4, 4);
        m_messageLabel = new QLabel(m_messageBar);
        m_messageLabel->setWordWrap(true);
        m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row->addWidget(m_messageLabel, 1);
        auto *close = new QToolButton(m_messageBar);
        close->setObjectName(QStringLiteral("messageBarClose"));
        close->setText(tr("Dismiss"));
        close->setAutoRaise(true);
        row->addWidget(close);
        connect(close, &QToolButton::clicked, m_messageBar, &QWidget::hide);
    }
    m_messageBar->hide();
    m_replayBar = new ReplayBar(m_replay.get(), this);
    m_replayBar->hide();
    auto *central = new QWidget(this);
    auto *column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_messageBar);
    column->addWidget(m_replayBar);
    column->addWidget(m_tabs, 1);
    setCentralWidget(central);
    setAcceptDrops(true);

    m_inspector = new InspectorView(this);
    m_inspector->setRestClient(m_rest.get());
    auto *inspectorDock = new QDockWidget(tr("Inspector"), this);
    inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    inspectorDock->setWidget(m_inspector);
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock);

    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *logDock = new QDockWidget(tr("Connection log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_log);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({inspectorDock}, {420}, Qt::Horizontal);
    resizeDocks({logDock}, {110}, Qt::Vertical);

    m_status = new ConnectionStatus(this);
    statusBar()->addPermanentWidget(m_status, 1);
    m_sessionLabel = new QLabel(this);
    m_sessionLabel->setObjectName(QStringLiteral("sessionStatus"));
    statusBar()->addPermanentWidget(m_sessionLabel);
    m_sessionLabel->hide();
    m_tools = new ToolsController(m_engine.get(), m_rest.get(), *m_settings, this, [this] { return m_replaying; });
    m_tools->attachEventsView(m_events);
    statusBar()->addPermanentWidget(m_tools->statusWidget());

    m_feeder = new ReplayFeeder(m_replay.get(), m_events, m_tracker.get(), m_pending, m_charts, this);
    wireReplayViews();
    m_recording = new RecordingController(m_engine.get(), this);
    connect(m_recording, &RecordingController::countChanged, this, &MainWindow::updateRecordingStatus);
    connect(m_recording, &RecordingController::failed, this, [this](const QString &error) {
        appendLog(tr("recording failed: %1").arg(error));
        updateRecordingStatus();
        QMessageBox *box = new QMessageBox(QMessageBox::Warning, tr("Recording failed"), error, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(m_inspector, &InspectorView::fullFetched, m_recording, &RecordingController::addDetail);
    connect(m_replay.get(), &ReplayEngine::loadProgress, this, [this](qint64 done, qint64 total) {
        if (m_progress) {
            m_progress->setMaximum(int(std::min<qint64>(total, 1 << 30)));
            m_progress->setValue(int(std::min<qint64>(done, 1 << 30)));
        }
    });
    connect(m_replay.get(), &ReplayEngine::loaded, this, &MainWindow::onReplayLoaded);
    connect(m_replay.get(), &ReplayEngine::loadFailed, this, [this](const QString &error) {
        delete std::exchange(m_progress, nullptr);
        appendLog(tr("replay: %1").arg(error));
        showMessage(error);
    });
    connect(m_replayBar, &ReplayBar::positionTextChanged, this, [this](const QString &text) {
        if (m_replaying)
            m_sessionLabel->setText(text);
    });

    connect(m_engine.get(), &IngestEngine::batchReady, this, &MainWindow::onBatch);
    connect(m_engine.get(), &IngestEngine::stateChanged, this, &MainWindow::onState);
    connect(m_engine.get(), &IngestEngine::logMessage, this, &MainWindow::appendLog);
    connect(m_engine.get(), &IngestEngine::connectFailed, this, [this](const QString &error) {
        appendLog(error);
        QMessageBox::warning(this, tr("Connection failed"), error);
    });
    connect(m_events, &EventsView::breadcrumbSelected, m_inspector, &InspectorView::showRecord);
    connect(m_flows, &FlowsView::breadcrumbActivated, this, &MainWindow::showBreadcrumb);
    connect(m_pending, &PendingView::breadcrumbActivated, this, &MainWindow::showBreadcrumb);
    connect(m_diagnosis, &DiagnosisView::breadcrumbActivated, this, &MainWindow::showBreadcrumb);
    connect(m_engine.get(), &IngestEngine::logMessage, m_doctor.get(), &Doctor::noteConnectionLog);

    createMenus();
    createReplayActions();
    restoreGeometry(m_settings->value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(m_settings->value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow()
{
    m_recording->stop();
    m_replay->close();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction = file->addAction(tr("&Connect…"), this, &MainWindow::chooseConnection);
    connectAction->setShortcut(QKeySequence(tr("Ctrl+K")));
    m_disconnectAction = file->addAction(tr("&Disconnect"), this, &MainWindow::disconnectFromServer);
    m_disconnectAction->setShortcut(QKeySequence(tr("Ctrl+Shift+K")));
    m_disconnectAction->setEnabled(false);
    file->addSeparator();
    QAction *open = file->addAction(tr("&Open session…"), this, &MainWindow::chooseSession);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    m_recordAction = file->addAction(tr("&Record…"));
    m_recordAction->setCheckable(true);
    m_recordAction->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_recordAction->setEnabled(false);
    m_recordAction->setToolTip(tr("Record the live connection into a session file"));
    connect(m_recordAction, &QAction::triggered, this, [this](bool on) {
        if (on)
            startRecording();
        else
            stopRecording();
        m_recordAction->setChecked(isRecording());
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Events"), tr("Flows"), tr("Pending requests"), tr("Latency"), tr("Diagnosis")};
    for (int i = 0; i < names.size(); ++i) {
        QAction *a = view->addAction(names.at(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)));
    }
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    QAction *pause = view->addAction(tr("&Pause events"), m_events, &EventsView::togglePaused);
    pause->setShortcut(QKeySequence(tr("Ctrl+P")));
    QAction *find = view->addAction(tr("&Filter events"), this, [this] {
        m_tabs->setCurrentWidget(m_events);
        m_events->focusFilter();
    });
    find->setShortcut(QKeySequence::Find);

    m_tools->populateMenu(menuBar()->addMenu(tr("&Tools")));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About RCRT Console"), this, [this] {
        QMessageBox::about(this, tr("About RCRT Console"),
                           tr("<b>RCRT Console %1</b><p>Live breadcrumb flows, pending tool requests and "
                              "delivery latency for RCRT.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

bool MainWindow::chooseConnection()
{
    ConnectionDialog dialog(*m_profiles, *m_secrets, this);
    dialog.selectProfile(m_profiles->lastUsed());
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const ConnectionProfile profile = dialog.profile();
    connectTo(profile.settings, profile.name);
    return true;
}

void MainWindow::connectTo(const ConnectionSettings &settings, const QString &profileName)
{
    leaveReplay();
    stopRecording(); // a recording belongs to one server
    m_serverLabel = profileName.isEmpty() || profileName == settings.url.toString()
        ? settings.url.toString()
        : QStringLiteral("%1 (%2)").arg(profileName, settings.url.toString());
    setWindowTitle(tr("RCRT Console — %1").arg(m_serverLabel));
    m_events->clear();
    m_charts->clear();
    m_tracker->clear();
    m_doctor->clear();
    m_doctor->setMode(Doctor::Mode::Live);
    m_inspector->clear();
    m_status->setServer(m_serverLabel);

    // The GUI thread's REST client authenticates and checks certificates like the stream (a
    // bad CA file is reported by the engine's connectFailed).
    m_nam.setTlsOptions(settings.tls);
    switch (settings.auth) {
    case ConnectionSettings::Auth::DevMode: m_tokens->setNone(); break;
    case ConnectionSettings::Auth::Token: m_tokens->setStaticToken(settings.token); break;
    case ConnectionSettings::Auth::Mint: {
        TokenMintRequest request;
        request.ownerId = settings.ownerId;
        request.agentId = settings.agentId;
        request.roles = settings.roles;
        m_tokens->setMint(settings.url, request);
        break;
    }
    }
    m_rest->setBaseUrl(settings.url);
    m_engine->connectTo(settings);
    m_connected = true;
    m_recording->setServerUrl(settings.url);
    m_disconnectAction->setEnabled(true);
    m_recordAction->setEnabled(true);
    appendLog(tr("connecting to %1").arg(m_serverLabel));
}

void MainWindow::disconnectFromServer()
{
    stopRecording();
    m_engine->disconnectFromServer();
    m_connected = false;
    m_disconnectAction->setEnabled(false);
    m_recordAction->setEnabled(false);
    appendLog(tr("disconnected by the user"));
}

void MainWindow::onBatch(const EventBatch &batch)
{
    m_events->addBatch(batch);
    m_tracker->addBatch(batch);
    m_charts->addBatch(batch);
    m_status->addBatch(batch);
    m_diagnosis->addBatch(batch); // after the tracker: the doctor reads its pairing
}

void MainWindow::onState(SseClient::State state, int reconnects)
{
    m_status->setState(state, reconnects);
    m_doctor->setStreamState(state, reconnects);
}

void MainWindow::showBreadcrumb(const QByteArray &breadcrumbId)
{
    const QList<int> rows = m_events->model()->rowsForId(breadcrumbId);
    if (rows.isEmpty())
        return;
    const QModelIndex index = m_events->model()->index(rows.last(), 0);
    m_inspector->showRecord(index.data(EventsModel::RecordRole).value<EventRecord>());
}

void MainWindow::appendLog(const QString &line)
{
    m_log->appendPlainText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz  ")) + line);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    stopRecording();
    m_settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_settings->setValue(QStringLiteral("window/state"), saveState());
    m_engine->disconnectFromServer();
    event->accept();
}

} // namespace rcrt::ui
