#include "ui/pending/pendingview.h"

#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"
#include "ui/pending/pendingfilterproxy.h"
#include "ui/pending/pendingmodel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace rcrt::ui {

PendingView::PendingView(FlowTracker *tracker, QWidget *parent)
    : QWidget(parent), m_tracker(tracker)
{
    Q_ASSERT(tracker);
    m_model = new PendingModel(tracker, this);
    m_proxy = new PendingFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // arrival order until the user picks a column
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setHighlightSections(false);
    // The hint takes whatever width is left; the breadcrumb id keeps room for a whole UUID.
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(PendingModel::HintColumn, QHeaderView::Stretch);
    m_table->setIconSize(QSize(12, 12));
    m_table->setColumnWidth(PendingModel::AgeColumn, 80);
    m_table->setColumnWidth(PendingModel::CountdownColumn, 140);
    m_table->setColumnWidth(PendingModel::ToolColumn, 190);
    m_table->setColumnWidth(PendingModel::RequestIdColumn, 220);
    m_table->setColumnWidth(PendingModel::WorkspaceColumn, 130);
    m_table->setColumnWidth(PendingModel::StateColumn, 120);
    // Shortened; the tooltip, the role and the inspector have it whole.
    m_table->setColumnWidth(PendingModel::BreadcrumbIdColumn, 120);

    m_showAnswered = new QCheckBox(tr("Show answered"), this);
    m_showAnswered->setToolTip(tr("Off: only open requests, and errors or late answers from the last %1 minutes")
                                   .arg(tracker->pendingOptions().recentWindowMs / 60'000));
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(int(tracker->pendingOptions().defaultTimeoutMs / 1000));
    m_timeout->setToolTip(tr("How long requesters wait for a response (workflow polling and EventBridge: 60 s)"));
    m_timeout->setKeyboardTracking(false);
    m_counts = new QLabel(this);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 4);
    bar->addWidget(m_counts, 1);
    bar->addWidget(new QLabel(tr("Requester timeout"), this));
    bar->addSpacing(4);
    bar->addWidget(m_timeout);
    bar->addSpacing(16);
    bar->addWidget(m_showAnswered);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_showAnswered, &QCheckBox::toggled, this, &PendingView::setShowAnswered);
    connect(m_timeout, &QSpinBox::valueChanged, this, &PendingView::setTimeoutSeconds);
    // Counting walks every row: at 30 batches a second, do it at most 4 times a second.
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(250);
    connect(&m_countsTimer, &QTimer::timeout, this, &PendingView::updateCounts);
    const auto schedule = [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    };
    connect(m_model, &PendingModel::countsChanged, this, schedule);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, schedule);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, schedule);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QByteArray key = index.data(PendingModel::BreadcrumbIdRole).toByteArray();
        if (!key.isEmpty())
            emit breadcrumbActivated(key);
    });
    updateCounts();
}

PendingView::~PendingView() = default;

bool PendingView::showAnswered() const
{
    return m_proxy->showAnswered();
}

void PendingView::setShowAnswered(bool on)
{
    {
        const QSignalBlocker blocker(m_showAnswered);
        m_showAnswered->setChecked(on);
    }
    m_proxy->setShowAnswered(on);
    updateCounts();
}

void PendingView::setTimeoutSeconds(int seconds)
{
    if (!m_tracker || seconds <= 0)
        return;
    {
        const QSignalBlocker blocker(m_timeout);
        m_timeout->setValue(seconds);
    }
    PendingOptions options = m_tracker->pendingOptions();
    if (options.defaultTimeoutMs == qint64(seconds) * 1000)
        return;
    options.defaultTimeoutMs = qint64(seconds) * 1000;
    m_tracker->setPendingOptions(options);
}

QString PendingView::countText() const
{
    const PendingModel::Counts c = m_model->counts();
    const int minutes = m_tracker ? int(m_tracker->pendingOptions().recentWindowMs / 60'000) : 10;
    QStringList parts;
    parts << tr("%1 pending").arg(c.pending);
    if (c.timedOut)
        parts << tr("%1 timed out").arg(c.timedOut);
    if (c.recentErrors)
        parts << plural(c.recentErrors, tr("%1 error"), tr("%1 errors"));
    if (c.recentLate)
        parts << tr("%1 answered late").arg(c.recentLate);
    QString text = parts.join(QStringLiteral(" · "));
    if (c.recentErrors || c.recentLate)
        text += tr(" (last %1 min)").arg(minutes);
    text += tr(" — showing %1 of %2").arg(m_proxy->rowCount()).arg(plural(c.total, tr("%1 request"), tr("%1 requests")));
    return text;
}

void PendingView::updateCounts()
{
    m_counts->setText(countText());
}

} // namespace rcrt::ui
