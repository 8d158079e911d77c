#pragma once

#include "model/deliverystats.h"
#include "model/diagnosis.h"
#include "model/flowtracker.h"
#include "net/sseclient.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace rcrt {

class RestCall;
class RestClient;

// The delivery doctor as one object (issue 6): fed the console's batches (live or replay), the
// stream's state, probe outcomes and a REST re-list; re-evaluates the findings on demand or on
// a timer and says when they changed. Uses a FlowTracker for pairing and pending states: the
// caller's (the main window's) or one of its own.
class Doctor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Doctor)

public:
    enum class Mode { Live, Replay };

    // flows: not owned; null makes the doctor keep its own tracker (fed by addBatch).
    explicit Doctor(FlowTracker *flows = nullptr, QObject *parent = nullptr);
    ~Doctor() override;

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    DiagnosisOptions &options() { return m_options; }
    DeliveryStats &stats() { return m_stats; }
    const DeliveryStats &stats() const { return m_stats; }
    FlowTracker &flows() { return *m_flows; }
    const StreamHealth &streamHealth() const { return m_stream; }
    const QList<ProbeOutcome> &probes() const { return m_probes; }
    const ReconcileResult &reconcileResult() const { return m_reconcile; }
    const QList<Finding> &findings() const { return m_findings; }
    // Replay: the analysis time (the session's end); live: the console clock.
    void setAnalysisTimeNs(qint64 ns) { m_analysisNs = ns; }
    qint64 analysisTimeNs() const;

    // Re-evaluates at this interval while > 0 (the GUI panel: 1000).
    void setAutoRefreshMs(int ms);

    // Compares `GET /breadcrumbs?limit=N` with what the stream delivered since it opened;
    // reconcileFinished follows. A stalled stream is found this way without any probe.
    void startReconcile(RestClient *rest, int limit = 500);

    // Headline figures for the JSON output and the panel's header.
    QJsonObject measures() const;

public slots:
    // Every batch of the console's stream. Live: handled now (processing lag); replay: not.
    void addBatch(const rcrt::EventBatch &batch);
    void addProbe(const rcrt::ProbeOutcome &outcome); // new or updated (same probeId)
    void setStreamState(rcrt::SseClient::State state, int reconnects);
    void noteConnectionLog(const QString &line);
    void setReconcile(const rcrt::ReconcileResult &result);
    // Evaluates now; emits findingsChanged when the ids, severities or summaries changed.
    void refresh();
    void clear();

signals:
    void findingsChanged(const QList<rcrt::Finding> &findings);
    void reconcileFinished(const rcrt::ReconcileResult &result);

private:
    void onListed(const QByteArray &body, const QString &error);
    void addStreamSample(const ProbeOutcome &probe);

    std::unique_ptr<FlowTracker> m_ownFlows;
    QPointer<FlowTracker> m_flows;
    Mode m_mode = Mode::Live;
    DiagnosisOptions m_options;
    DeliveryStats m_stats;
    StreamHealth m_stream;
    QList<ProbeOutcome> m_probes;
    ReconcileResult m_reconcile;
    QList<Finding> m_findings;
    QHash<QByteArray, qint32> m_delivered; // newest version the stream delivered, per id
    QTimer m_refreshTimer;
    QPointer<RestCall> m_listCall;
    qint64 m_analysisNs = 0;
    qint64 m_firstConnectNs = 0;
};

} // namespace rcrt
