#pragma once

#include "app/connectionsettings.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QMainWindow>
#include <QNetworkAccessManager>

#include <memory>

class QPlainTextEdit;
class QSettings;
class QTabWidget;
class QAction;

namespace rcrt {
class FlowTracker;
class IngestEngine;
class ProfileStore;
class RestClient;
class SecretStore;
class TokenProvider;
} // namespace rcrt

namespace rcrt::ui {

class ConnectionStatus;
class EventsView;
class FlowsView;
class InspectorView;
class LatencyChartsView;
class PendingView;

// The operator's window (issue 3): events, flows, pending requests and latency charts as tabs,
// the inspector on the right, the connection log below, connection state in the status bar.
// Ingest runs on the IngestEngine's thread; this window only receives coalesced batches.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    enum Tab { EventsTab, FlowsTab, PendingTab, ChartsTab };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Connects (dropping any current connection). `profileName` is shown and remembered.
    void connectTo(const ConnectionSettings &settings, const QString &profileName = {});
    void disconnectFromServer();
    // Opens the connection dialog; connects when the user accepts.
    bool chooseConnection();

    EventsView *eventsView() const { return m_events; }
    FlowsView *flowsView() const { return m_flows; }
    PendingView *pendingView() const { return m_pending; }
    LatencyChartsView *chartsView() const { return m_charts; }
    InspectorView *inspector() const { return m_inspector; }
    ConnectionStatus *connectionStatus() const { return m_status; }
    FlowTracker *flowTracker() const { return m_tracker.get(); }
    QTabWidget *tabs() const { return m_tabs; }
    ProfileStore &profiles() { return *m_profiles; }
    SecretStore &secrets() { return *m_secrets; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void onBatch(const EventBatch &batch);
    void onState(SseClient::State state, int reconnects);
    void showBreadcrumb(const QByteArray &breadcrumbId);
    void appendLog(const QString &line);

    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<IngestEngine> m_engine;
    // REST for the GUI thread (titles, inspector); the stream has its own on the ingest thread.
    QNetworkAccessManager m_nam;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<RestClient> m_rest;
    std::unique_ptr<FlowTracker> m_tracker;

    QTabWidget *m_tabs = nullptr;
    EventsView *m_events = nullptr;
    FlowsView *m_flows = nullptr;
    PendingView *m_pending = nullptr;
    LatencyChartsView *m_charts = nullptr;
    InspectorView *m_inspector = nullptr;
    QPlainTextEdit *m_log = nullptr;
    ConnectionStatus *m_status = nullptr;
    QAction *m_disconnectAction = nullptr;
    QString m_serverLabel;
};

} // namespace rcrt::ui
