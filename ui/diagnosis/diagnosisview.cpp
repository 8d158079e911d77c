#include "ui/diagnosis/diagnosisview.h"

#include "app/doctor.h"
#include "app/ingestengine.h"
#include "app/probe.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

constexpr int kEventIdRole = Qt::UserRole + 1;

QIcon severityIcon(Severity severity)
{
    QStyle *style = QApplication::style();
    switch (severity) {
    case Severity::Error:
        return style->standardIcon(QStyle::SP_MessageBoxCritical);
    case Severity::Warning:
        return style->standardIcon(QStyle::SP_MessageBoxWarning);
    case Severity::Info:
        break;
    }
    return style->standardIcon(QStyle::SP_MessageBoxInformation);
}

QString ms(double value) { return value < 10 ? QString::number(value, 'f', 1) : QString::number(value, 'f', 0); }

} // namespace

DiagnosisView::DiagnosisView(Doctor *doctor, QWidget *parent)
    : QWidget(parent), m_doctor(doctor)
{
    m_measures = new QLabel(this);
    m_measures->setWordWrap(true);
    m_measures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_probeStatus = new QLabel(tr("No probe yet."), this);
    m_probeButton = new QPushButton(tr("Probe"), this);
    m_probeButton->setToolTip(tr("Write 5 console.probe.v1 breadcrumbs (ttl 10 min) through this console's "
                                 "connection and time write → acknowledged → on the local bus → on the "
                                 "stream, on this machine's clock. Needs a connection."));

    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Finding"), tr("Summary")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setWordWrap(true);
    m_tree->setUniformRowHeights(false);

    auto *probeRow = new QHBoxLayout;
    probeRow->addWidget(m_probeButton);
    probeRow->addWidget(m_probeStatus, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_measures);
    layout->addLayout(probeRow);
    layout->addWidget(m_tree, 1);
    setRestClient(nullptr);

    connect(m_probeButton, &QPushButton::clicked, this, &DiagnosisView::runProbe);
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) { onItemActivated(item); });
    if (m_doctor) {
        connect(m_doctor, &Doctor::findingsChanged, this, &DiagnosisView::showFindings);
        showFindings(m_doctor->findings());
    }
    m_headerTimer.setInterval(1000);
    connect(&m_headerTimer, &QTimer::timeout, this, &DiagnosisView::updateHeader);
    m_headerTimer.start();
    updateHeader();
}

DiagnosisView::~DiagnosisView() = default;

void DiagnosisView::setRestClient(RestClient *rest)
{
    auto *runner = new ProbeRunner(rest, this);
    runner->setEngine(m_engine);
    connect(runner, &ProbeRunner::probeUpdated, this, [this](const ProbeOutcome &p) {
        if (m_doctor)
            m_doctor->addProbe(p);
        m_probeStatus->setText(probeText());
    });
    connect(runner, &ProbeRunner::finished, this, [this] {
        updateProbeButton();
        m_probeStatus->setText(probeText());
        if (m_doctor)
            m_doctor->refresh();
        emit probeFinished();
    });
    delete m_probes;
    m_probes = runner;
    updateProbeButton();
}

void DiagnosisView::setEngine(IngestEngine *engine)
{
    disconnect(m_liveConnection);
    m_engine = engine;
    m_probes->setEngine(engine);
    if (engine)
        m_liveConnection = connect(engine, &IngestEngine::liveChanged, this, &DiagnosisView::updateProbeButton);
    updateProbeButton();
}

void DiagnosisView::updateProbeButton()
{
    m_probeButton->setEnabled(!m_probes->isRunning() && m_probes->canWrite());
}

void DiagnosisView::addBatch(const EventBatch &batch)
{
    if (m_doctor)
        m_doctor->addBatch(batch);
    m_probes->addBatch(batch);
}

void DiagnosisView::runProbe()
{
    if (!m_probes->canWrite()) {
        m_probeStatus->setText(tr("Connect to a server to probe."));
        return;
    }
    m_probeButton->setEnabled(false);
    m_probeStatus->setText(tr("Probing…"));
    ProbeRunner::Options options;
    options.count = 5;
    options.intervalMs = 300;
    m_probes->start(options);
}

QString DiagnosisView::probeText() const
{
    const ProbeSummary s = m_probes->summary();
    if (s.sent == 0)
        return tr("No probe yet.");
    QString text = tr("%1 probe(s): %2 acknowledged, %3 on the stream").arg(s.sent).arg(s.acked).arg(s.seen);
    if (s.localMs.count > 0)
        text += tr("; write → local bus p50 %1 ms, max %2 ms").arg(ms(s.localMs.p50), ms(s.localMs.max));
    if (s.streamMs.count > 0)
        text += tr("; write → stream p50 %1 ms, max %2 ms").arg(ms(s.streamMs.p50), ms(s.streamMs.max));
    if (s.lost > 0)
        text += tr("; %1 lost").arg(s.lost);
    if (s.failed > 0)
        text += tr("; %1 failed").arg(s.failed);
    return text;
}

QString DiagnosisView::measuresText() const
{
    if (!m_doctor)
        return {};
    const DeliveryStats &stats = m_doctor->stats();
    const DeliveryStats::LagSummary lag = stats.lagSummary();
    const PercentileSummary pings = stats.pingIntervalsMs();
    const PercentileSummary processing = stats.processingLag();
    QString text = tr("%1 events, %2 pings").arg(stats.eventCount()).arg(stats.pingCount());
    if (lag.ms.count > 0)
        text += tr(" · delivery lag p50 %1 ms, p95 %2 ms ± %3 ms (clock offset %4)")
                    .arg(ms(lag.ms.p50), ms(lag.ms.p95), ms(double(lag.offset.uncertaintyNs) / 1e6), lag.offset.toString());
    if (pings.count > 0)
        text += tr(" · ping every %1 s").arg(pings.p50 / 1000, 0, 'f', 1);
    const BurstAnalysis bursts = stats.bursts();
    if (bursts.periodNs > 0)
        text += tr(" · arrivals in bursts every %1 s").arg(double(bursts.periodNs) / 1e9, 0, 'f', 2);
    if (processing.count > 0)
        text += tr(" · console processing p95 %1 ms").arg(ms(processing.p95));
    return text;
}

void DiagnosisView::updateHeader()
{
    if (!isVisible() && !m_measures->text().isEmpty())
        return;
    m_measures->setText(measuresText());
}

void DiagnosisView::showFindings(const QList<Finding> &findings)
{
    m_tree->clear();
    if (findings.isEmpty()) {
        auto *item = new QTreeWidgetItem(m_tree, {tr("healthy"), tr("No finding: delivery looks healthy.")});
        item->setIcon(0, severityIcon(Severity::Info));
        return;
    }
    for (const Finding &f : findings) {
        auto *top = new QTreeWidgetItem(m_tree, {f.id, f.summary});
        top->setIcon(0, severityIcon(f.severity));
        top->setToolTip(1, f.summary);
        for (const QString &line : f.evidence)
            new QTreeWidgetItem(top, {tr("evidence"), line});
        if (!f.eventIds.isEmpty()) {
            auto *events = new QTreeWidgetItem(top, {tr("events"), tr("%1 cited (click to inspect)").arg(f.eventIds.size())});
            for (const QByteArray &id : f.eventIds) {
                auto *e = new QTreeWidgetItem(events, {QString(), QString::fromUtf8(id)});
                e->setData(1, kEventIdRole, id);
                e->setForeground(1, palette().brush(QPalette::Link));
            }
            events->setExpanded(true);
        }
        if (!f.fixHint.isEmpty()) {
            auto *fix = new QTreeWidgetItem(top, {tr("fix"), f.fixHint});
            fix->setToolTip(1, f.fixHint);
        }
        top->setExpanded(true);
    }
}

void DiagnosisView::onItemActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QByteArray id = item->data(1, kEventIdRole).toByteArray();
    if (!id.isEmpty())
        emit breadcrumbActivated(id);
}

} // namespace rcrt::ui
