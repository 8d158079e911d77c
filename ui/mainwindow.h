#pragma once

#include "app/connectionsettings.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"
#include "net/tlsaccessmanager.h"

#include <QDateTime>
#include <QMainWindow>
#include <QNetworkAccessManager>

#include <memory>

class QPlainTextEdit;
class QSettings;
class QTabWidget;
class QAction;
class QLabel;
class QMenu;
class QProgressDialog;
class QMimeData;

namespace rcrt {
class Doctor;
class FlowTracker;
class IngestEngine;
class ReplayEngine;
class ProfileStore;
class RestClient;
class SecretStore;
class TokenProvider;
} // namespace rcrt

namespace rcrt::ui {

class ConnectionStatus;
class DiagnosisView;
class EventsView;
class FlowsView;
class InspectorView;
class LatencyChartsView;
class PendingView;
class RecordingController;
class ReplayBar;
class ReplayDoctorFeeder;
class ReplayFeeder;
class ToolsController;

// The operator's window (issue 3): events, flows, pending requests and latency charts as tabs,
// the inspector on the right, the connection log below, connection state in the status bar.
// Ingest runs on the IngestEngine's thread; this window only receives coalesced batches.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    enum Tab { EventsTab, FlowsTab, PendingTab, ChartsTab };
    static constexpr int kDiagnosisRefreshMs = 1000; // the Diagnosis panel's live refresh

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Connects (dropping any current connection). `profileName` is shown and remembered.
    void connectTo(const ConnectionSettings &settings, const QString &profileName = {});
    void disconnectFromServer();
    // Opens the connection dialog; connects when the user accepts.
    bool chooseConnection();

    // Replay (issue 5): opens a session file (read only) and replays it in every view; any
    // live connection is dropped. False, with a dialog, when the file is refused (missing,
    // not a session, a newer format); loading then goes on with a progress bar.
    bool openSession(const QString &path);
    bool chooseSession(); // File > Open…
    void leaveReplay();
    bool isReplaying() const { return m_replaying; }
    QStringList recentSessions() const;

    // Recording the live connection (File > Record…). The file name is asked when empty.
    bool startRecording(const QString &path = {});
    void stopRecording();
    bool isRecording() const;
    static QString defaultRecordingName(const QString &server, const QDateTime &when);

    EventsView *eventsView() const { return m_events; }
    FlowsView *flowsView() const { return m_flows; }
    PendingView *pendingView() const { return m_pending; }
    LatencyChartsView *chartsView() const { return m_charts; }
    InspectorView *inspector() const { return m_inspector; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    FlowTracker *flowTracker() const { return m_tracker.get(); }
    DiagnosisView *diagnosisView() const { return m_diagnosis; }
    Doctor *doctor() const { return m_doctor.get(); }
    QTabWidget *tabs() const { return m_tabs; }
    ReplayEngine *replayEngine() const { return m_replay.get(); }
    ReplayFeeder *replayFeeder() const { return m_feeder; }
    ReplayDoctorFeeder *replayDoctorFeeder() const { return m_doctorFeeder; }
    ReplayBar *replayBar() const { return m_replayBar; }
    RecordingController *recording() const { return m_recording; }
    ToolsController *tools() const { return m_tools; }
    QWidget *messageBar() const { return m_messageBar; }
    QString messageText() const;
    QPlainTextEdit *logView() const { return m_log; }
    QLabel *sessionStatusLabel() const { return m_sessionLabel; }
    ProfileStore &profiles() { return *m_profiles; }
    SecretStore &secrets() { return *m_secrets; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void createReplayActions();
    void wireReplayViews(); // the Diagnosis panel and the inspector's details in a replay
    void useRecordedDetails();
    void onReplayLoaded();
    void showMessage(const QString &text);
    void rememberSession(const QString &path);
    void fillRecentMenu();
    void updateRecordingStatus();
    static QString sessionPathFromDrop(const QMimeData *mime);
    void onBatch(const EventBatch &batch);
    void onState(SseClient::State state, int reconnects);
    void showBreadcrumb(const QByteArray &breadcrumbId);
    void appendLog(const QString &line);

    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<IngestEngine> m_engine;
    // REST for the GUI thread (titles, inspector); the stream has its own on the ingest thread.
    TlsAccessManager m_nam; // the connection's TLS policy for the GUI thread's REST calls
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<RestClient> m_rest;
    std::unique_ptr<FlowTracker> m_tracker;
    std::unique_ptr<Doctor> m_doctor; // after m_tracker: it reads the tracker until destroyed

    QTabWidget *m_tabs = nullptr;
    EventsView *m_events = nullptr;
    FlowsView *m_flows = nullptr;
    PendingView *m_pending = nullptr;
    LatencyChartsView *m_charts = nullptr;
    DiagnosisView *m_diagnosis = nullptr;
    InspectorView *m_inspector = nullptr;
    QPlainTextEdit *m_log = nullptr;
    ConnectionStatus *m_status = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_recordAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    QString m_serverLabel;
    bool m_connected = false;

    std::unique_ptr<ReplayEngine> m_replay;
    ReplayFeeder *m_feeder = nullptr;
    ReplayDoctorFeeder *m_doctorFeeder = nullptr;
    ReplayBar *m_replayBar = nullptr;
    QWidget *m_messageBar = nullptr;
    QLabel *m_messageLabel = nullptr;
    QLabel *m_sessionLabel = nullptr; // replay position, or the recording's count
    QProgressDialog *m_progress = nullptr;
    QList<QAction *> m_replayActions; // keys active only while replaying
    RecordingController *m_recording = nullptr;
    ToolsController *m_tools = nullptr; // Tools menu, runner status, invoke dialog
    bool m_replaying = false;
};

} // namespace rcrt::ui
