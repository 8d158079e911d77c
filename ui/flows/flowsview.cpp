#include "ui/flows/flowsview.h"

#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"
#include "ui/flows/flowtimeline.h"
#include "ui/flows/flowtreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

// New top-level flows are expanded while the tree is this small; beyond it expanding every
// flow would only bury the newest under their children.
constexpr int kAutoExpandRoots = 200;

} // namespace

FlowsView::FlowsView(FlowTracker *tracker, QWidget *parent)
    : QWidget(parent), m_tracker(tracker)
{
    Q_ASSERT(tracker);
    m_model = new FlowTreeModel(tracker, this);

    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setExpandsOnDoubleClick(false);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setIconSize(QSize(12, 12));
    m_tree->setColumnWidth(FlowTreeModel::NameColumn, 320);
    m_tree->setColumnWidth(FlowTreeModel::RequestIdColumn, 260);
    m_tree->setColumnWidth(FlowTreeModel::StateColumn, 110);
    m_tree->setColumnWidth(FlowTreeModel::RoundTripColumn, 90);
    m_tree->setColumnWidth(FlowTreeModel::CreatedColumn, 110);

    m_timeline = new FlowTimeline(tracker, this);

    auto *title = new QLabel(tr("<b>Timeline</b>"), this);
    m_summary = new QLabel(this);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    auto *fit = new QToolButton(this);
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Show every request (F, or double-click an empty spot)"));
    m_follow = new QToolButton(this);
    m_follow->setText(tr("Follow now"));
    m_follow->setToolTip(tr("Keep the present at the right edge (End)"));
    m_follow->setCheckable(true);
    m_follow->setChecked(m_timeline->followNow());

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 2);
    bar->addWidget(title);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    bar->addWidget(fit);
    bar->addWidget(m_follow);

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->setSpacing(0);
    lowerLayout->addLayout(bar);
    lowerLayout->addWidget(m_timeline, 1);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_tree);
    m_splitter->addWidget(lower);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(fit, &QToolButton::clicked, m_timeline, &FlowTimeline::fitAll);
    connect(m_follow, &QToolButton::toggled, m_timeline, &FlowTimeline::setFollowNow);
    connect(m_timeline, &FlowTimeline::followNowChanged, m_follow, &QToolButton::setChecked);
    connect(m_timeline, &FlowTimeline::flowActivated, this, [this](const QByteArray &key) {
        selectFlow(key);
        emit breadcrumbActivated(key);
    });
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        const QByteArray key = m_model->breadcrumbIdAt(index);
        if (!key.isEmpty())
            emit breadcrumbActivated(key);
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &FlowsView::onCurrentChanged);
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &into) {
        if (!into.isValid()) {
            const QScrollBar *scroll = m_tree->verticalScrollBar();
            m_treeAtBottom = scroll->value() >= scroll->maximum() - 2;
        }
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &FlowsView::onRowsInserted);
    connect(tracker, &FlowTracker::flowsChanged, this, &FlowsView::updateSummary);
    connect(tracker, &FlowTracker::flowsReset, this, &FlowsView::updateSummary);
    updateSummary();
    if (m_model->rowCount() <= kAutoExpandRoots)
        m_tree->expandAll();
}

FlowsView::~FlowsView() = default;

void FlowsView::selectFlow(const QByteArray &breadcrumbId)
{
    const QModelIndex index = m_model->indexOf(breadcrumbId);
    if (!index.isValid())
        return;
    for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
        m_tree->expand(p);
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

void FlowsView::onCurrentChanged()
{
    if (!m_tracker)
        return; // the main window may destroy the tracker before its views
    // The timeline shows requests: a response or agent response selects its request's bar.
    QByteArray key = m_model->breadcrumbIdAt(m_tree->currentIndex());
    for (int depth = 0; depth < 4 && !key.isEmpty() && !m_tracker->request(key); ++depth) {
        const std::optional<QByteArray> parent = m_tracker->treeParent(key);
        key = parent ? *parent : QByteArray();
    }
    m_timeline->setSelectedFlow(key);
}

void FlowsView::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (!parent.isValid() && m_treeAtBottom)
        m_tree->scrollToBottom();
    if (m_model->rowCount() > kAutoExpandRoots)
        return;
    if (parent.isValid())
        m_tree->expand(parent);
    for (int row = first; row <= last; ++row)
        m_tree->expandRecursively(m_model->index(row, 0, parent));
}

void FlowsView::updateSummary()
{
    if (!m_tracker)
        return;
    const qsizetype requests = m_tracker->requestCount();
    m_summary->setText(plural(requests, tr("%1 request"), tr("%1 requests")) + QStringLiteral(" · ")
                       + plural(m_timeline->lanes().size(), tr("%1 tool"), tr("%1 tools")));
}

} // namespace rcrt::ui
