#pragma once

#include "model/diagnosis.h"
#include "model/eventrecord.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace rcrt {
class Doctor;
class IngestEngine;
class ProbeRunner;
class RestClient;
struct ProbeSummary;
} // namespace rcrt

namespace rcrt::ui {

// The Diagnosis panel (issue 6 item 5): the doctor's findings, updated live, most severe
// first, each with its severity icon, summary, evidence lines, fix hint and the events it
// cites; activating a cited event emits breadcrumbActivated(id) (the inspector opens it).
// A header line shows the passive measures; the Probe button writes probe breadcrumbs through
// the given IngestEngine's own node while it is live (else the RestClient, if any) and times
// them on the local bus and the stream of the batches this view is fed (addBatch).
//
// The Doctor is not owned; it should be fed the same batches (addBatch does both).
class DiagnosisView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosisView)

public:
    explicit DiagnosisView(Doctor *doctor, QWidget *parent = nullptr);
    ~DiagnosisView() override;

    // Probes go through this engine while it is live (not owned): the Probe button follows
    // its connection.
    void setEngine(IngestEngine *engine);
    // Probes go through this client (not owned) when no engine is live; with neither the
    // Probe button is disabled.
    void setRestClient(RestClient *rest);

    QTreeWidget *tree() const { return m_tree; }
    QPushButton *probeButton() const { return m_probeButton; }
    QString measuresText() const;
    QString probeText() const;
    ProbeRunner *probeRunner() const { return m_probes; }

public slots:
    // Feeds the doctor and the probe runner with one batch of the console's stream.
    void addBatch(const rcrt::EventBatch &batch);
    void runProbe();
    // Rebuilds the list from the doctor's current findings.
    void showFindings(const QList<rcrt::Finding> &findings);

signals:
    void breadcrumbActivated(const QByteArray &breadcrumbId);
    void probeFinished();

private:
    void onItemActivated(QTreeWidgetItem *item);
    void updateHeader();
    void updateProbeButton();

    QPointer<Doctor> m_doctor;
    QPointer<IngestEngine> m_engine;
    QMetaObject::Connection m_liveConnection;
    ProbeRunner *m_probes = nullptr;
    QLabel *m_measures = nullptr;
    QLabel *m_probeStatus = nullptr;
    QPushButton *m_probeButton = nullptr;
    QTreeWidget *m_tree = nullptr;
    QTimer m_headerTimer;
};

} // namespace rcrt::ui
