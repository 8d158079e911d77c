// The main window's replay and recording side (issue 5): File > Open…, Open Recent, drag and
// drop, replay mode and its keys, File > Record….

#include "ui/mainwindow.h"

#include "app/doctor.h"
#include "app/ingestengine.h"
#include "app/replayengine.h"
#include "model/flowtracker.h"
#include "net/restclient.h"
#include "ui/charts/latencychartsview.h"
#include "ui/events/eventsview.h"
#include "ui/inspector/inspectorview.h"
#include "ui/replay/recordingcontroller.h"
#include "ui/replay/replaybar.h"
#include "ui/replay/replaydoctorfeeder.h"
#include "ui/replay/replayfeeder.h"
#include "ui/status/connectionstatus.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace rcrt::ui {

namespace {
const QString kRecentKey = QStringLiteral("replay/recent");
constexpr int kMaxRecent = 10;
const QString kSessionSuffix = QStringLiteral("rcrtsession");
} // namespace

void MainWindow::createReplayActions()
{
    // Window-wide keys, live only in replay mode (Space pauses the events table otherwise).
    const auto key = [this](const QKeySequence &sequence, auto slot) {
        auto *action = new QAction(this);
        action->setShortcut(sequence);
        action->setShortcutContext(Qt::WindowShortcut);
        action->setEnabled(false);
        connect(action, &QAction::triggered, m_replay.get(), slot);
        addAction(action);
        m_replayActions.append(action);
    };
    key(QKeySequence(Qt::Key_Space), &ReplayEngine::togglePlay);
    key(QKeySequence(Qt::Key_Right), &ReplayEngine::stepForward);
    key(QKeySequence(Qt::Key_Left), &ReplayEngine::stepBack);
    key(QKeySequence(Qt::Key_Home), &ReplayEngine::seekToStart);
    key(QKeySequence(Qt::Key_End), &ReplayEngine::seekToEnd);
}

void MainWindow::wireReplayViews()
{
    // The Diagnosis panel at the cursor. Its doctor reads the flows the ReplayFeeder keeps at
    // the cursor: after a jump it waits for them (and the charts) to catch up, then goes on.
    m_doctorFeeder = new ReplayDoctorFeeder(m_replay.get(), m_doctor.get(), kDiagnosisRefreshMs, this);
    m_doctorFeeder->setWaitWhile([this] { return !m_feeder->isCaughtUp(); });
    connect(m_feeder, &ReplayFeeder::caughtUpChanged, m_doctorFeeder, [this](bool caughtUp) {
        if (caughtUp)
            m_doctorFeeder->refresh();
    });
    // The inspector's Details tab shows the `/full` recorded by the cursor's time.
    connect(m_replay.get(), &ReplayEngine::cursorMoved, m_inspector, &InspectorView::refreshRecordedDetail);
}

void MainWindow::useRecordedDetails()
{
    ReplayEngine *engine = m_replay.get();
    m_inspector->setDetailLookup([engine](const QByteArray &id) -> std::optional<InspectorView::RecordedDetail> {
        const SessionDetail *detail = engine->isLoaded() ? engine->detailAt(id, engine->sideRecordsUntilNs(engine->cursor()))
                                                         : nullptr;
        if (!detail)
            return std::nullopt;
        return InspectorView::RecordedDetail{detail->atNs, detail->fullJson};
    });
}

bool MainWindow::chooseSession()
{
    const QString dir = recentSessions().value(0).isEmpty() ? QDir::homePath()
                                                            : QFileInfo(recentSessions().value(0)).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), dir,
                                                      tr("RCRT sessions (*.%1);;All files (*)").arg(kSessionSuffix));
    return !path.isEmpty() && openSession(path);
}

bool MainWindow::openSession(const QString &path)
{
    QString error;
    // Live views and replay views are the same widgets: drop the connection first.
    stopRecording();
    if (m_connected) {
        m_engine->disconnectFromServer();
        m_connected = false;
        m_disconnectAction->setEnabled(false);
        m_recordAction->setEnabled(false);
    }
    m_feeder->stop();
    m_replay->close();
    if (!m_replay->open(path, &error)) {
        appendLog(tr("cannot open %1: %2").arg(path, error));
        auto *box = new QMessageBox(QMessageBox::Critical, tr("Cannot open session"),
                                    tr("%1\n\n%2").arg(QDir::toNativeSeparators(path), error), QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("sessionRefused"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    m_replaying = true;
    for (QAction *a : std::as_const(m_replayActions))
        a->setEnabled(true);
    m_messageBar->hide();
    m_events->setRestClient(nullptr); // a replay never talks to the server it came from
    m_inspector->setRestClient(nullptr);
    m_inspector->clear();
    useRecordedDetails();
    m_doctorFeeder->start(); // the live findings go now; the session's follow its cursor
    m_events->clear(); // what a live connection showed
    m_tracker->clear();
    m_charts->clear();
    m_status->hide();
    m_sessionLabel->setStyleSheet({});
    m_sessionLabel->show();
    m_sessionLabel->setText(tr("Loading %1\u2026").arg(QFileInfo(path).fileName()));
    m_replayBar->show();
    setWindowTitle(tr("Replay \u2014 %1").arg(QFileInfo(path).fileName()));
    appendLog(tr("replay: opening %1").arg(QDir::toNativeSeparators(path)));
    rememberSession(QFileInfo(path).absoluteFilePath());

    delete m_progress;
    m_progress = new QProgressDialog(tr("Loading %1\u2026").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 0, this);
    m_progress->setObjectName(QStringLiteral("replayProgress"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(300);
    connect(m_progress, &QProgressDialog::canceled, this, [this] {
        m_replay->cancelLoad();
        delete std::exchange(m_progress, nullptr);
        appendLog(tr("replay: loading cancelled"));
        leaveReplay();
    });
    return true;
}

void MainWindow::onReplayLoaded()
{
    delete std::exchange(m_progress, nullptr);
    const ReplayEngine::Info &info = m_replay->info();
    const QLocale locale;
    appendLog(tr("replay: %1 deliveries, %2 records, recorded from %3 (format %4, %5)")
                  .arg(locale.toString(m_replay->eventCount()), locale.toString(m_replay->session()->recordCount()),
                       info.header.serverUrl.isEmpty() ? tr("an unknown server") : info.header.serverUrl)
                  .arg(info.header.formatVersion)
                  .arg(info.header.appVersion.isEmpty() ? tr("unknown version") : info.header.appVersion));
    for (const SessionLogEntry &entry : info.log)
        appendLog(tr("[recorded %1] %2: %3")
                      .arg(QDateTime::fromMSecsSinceEpoch(entry.atNs / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz")),
                           sessionLogKindName(entry.kind), entry.text));
    for (const QString &problem : info.problems)
        appendLog(tr("replay problem: %1").arg(problem));
    if (!info.problems.isEmpty())
        showMessage(tr("Parts of this session could not be read; replaying what is valid. %1")
                        .arg(info.problems.join(QStringLiteral("; "))));
    m_feeder->start();
    m_replayBar->refresh();
}

void MainWindow::leaveReplay()
{
    if (!m_replaying)
        return;
    m_replaying = false;
    delete std::exchange(m_progress, nullptr);
    m_replay->close();
    m_feeder->stop();
    m_doctorFeeder->stop(); // the doctor is live again (connectTo clears it for the server)
    for (QAction *a : std::as_const(m_replayActions))
        a->setEnabled(false);
    m_replayBar->hide();
    m_messageBar->hide();
    m_sessionLabel->hide();
    m_status->show();
    m_events->setRestClient(m_rest.get());
    m_inspector->setRestClient(m_rest.get());
    m_inspector->setDetailLookup({});
    m_inspector->clear();
    setWindowTitle(tr("RCRT Console"));
}

void MainWindow::showMessage(const QString &text)
{
    m_messageLabel->setText(text);
    m_messageBar->show();
}

QString MainWindow::messageText() const
{
    return m_messageBar->isVisible() || !m_messageBar->isHidden() ? m_messageLabel->text() : QString();
}

QStringList MainWindow::recentSessions() const
{
    return m_settings->value(kRecentKey).toStringList();
}

void MainWindow::rememberSession(const QString &path)
{
    QStringList recent = recentSessions();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    m_settings->setValue(kRecentKey, recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentSessions();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openSession(path); });
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
}

QString MainWindow::sessionPathFromDrop(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            return url.toLocalFile();
    }
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!sessionPathFromDrop(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = sessionPathFromDrop(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openSession(path);
}

QString MainWindow::defaultRecordingName(const QString &server, const QDateTime &when)
{
    QString host = QUrl(server).host();
    if (host.isEmpty())
        host = QStringLiteral("rcrt");
    const int port = QUrl(server).port();
    if (port > 0)
        host += QLatin1Char('-') + QString::number(port);
    return QStringLiteral("rcrt-%1-%2.%3").arg(host, when.toString(QStringLiteral("yyyyMMdd-HHmmss")), kSessionSuffix);
}

bool MainWindow::isRecording() const
{
    return m_recording->isRecording();
}

bool MainWindow::startRecording(const QString &chosen)
{
    if (!m_connected || isRecording())
        return isRecording();
    QString path = chosen;
    if (path.isEmpty()) {
        const QString suggestion = QDir::home().filePath(defaultRecordingName(m_recording->serverUrl().toString(),
                                                                               QDateTime::currentDateTime()));
        path = QFileDialog::getSaveFileName(this, tr("Record session"), suggestion,
                                            tr("RCRT sessions (*.%1)").arg(kSessionSuffix));
        if (path.isEmpty())
            return false;
        if (QFileInfo(path).suffix().isEmpty())
            path += QLatin1Char('.') + kSessionSuffix;
    }
    m_recording->start(path);
    appendLog(tr("recording to %1").arg(QDir::toNativeSeparators(path)));
    m_recordAction->setChecked(true);
    updateRecordingStatus();
    return true;
}

void MainWindow::stopRecording()
{
    if (!isRecording())
        return;
    m_recording->stop();
    appendLog(tr("recording stopped: %1 events in %2")
                  .arg(QLocale().toString(m_recording->eventCount()), QDir::toNativeSeparators(m_recording->path())));
    m_recordAction->setChecked(false);
    updateRecordingStatus();
}

void MainWindow::updateRecordingStatus()
{
    if (m_replaying)
        return;
    if (!isRecording()) {
        m_recordAction->setChecked(false);
        m_sessionLabel->hide();
        return;
    }
    m_sessionLabel->setText(tr("\u25cf REC %1 events").arg(QLocale().toString(m_recording->eventCount())));
    m_sessionLabel->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold"));
    m_sessionLabel->show();
}

} // namespace rcrt::ui
