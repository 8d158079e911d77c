#include "ui/tools/runnerstatuswidget.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace rcrt::ui {

void RunnerExecutionsModel::add(const QList<RunnerExecution> &executions)
{
    if (executions.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qsizetype incoming = std::min<qsizetype>(executions.size(), kMaxRows);
    const qsizetype drop = std::max<qsizetype>(0, qsizetype(m_rows.size()) + incoming - kMaxRows);
    if (drop > 0) {
        beginRemoveRows({}, 0, int(drop - 1));
        m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
        endRemoveRows();
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(incoming) - 1);
    for (qsizetype i = executions.size() - incoming; i < executions.size(); ++i)
        m_rows.push_back(Row{now, executions.at(i)});
    endInsertRows();
}

void RunnerExecutionsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int RunnerExecutionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunnerExecutionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunnerExecutionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Tool: return tr("Tool");
    case RequestId: return tr("Request id");
    case Via: return tr("Via");
    case Result: return tr("Result");
    case QueueMs: return tr("Queued");
    case RunMs: return tr("Ran");
    case Response: return tr("Response");
    default: return {};
    }
}

QVariant RunnerExecutionsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size())
        return {};
    const Row &row = m_rows.at(size_t(index.row()));
    const RunnerExecution &e = row.execution;
    if (role == Qt::ForegroundRole && index.column() == Result) {
        if (!e.writeError.isEmpty() || (!e.ok && !e.skipped))
            return QColor(0xb0, 0x00, 0x20);
        return {};
    }
    if (role == Qt::TextAlignmentRole && (index.column() == QueueMs || index.column() == RunMs))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(row.seenMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Tool: return e.tool;
    case RequestId: return e.requestId;
    case Via: return sourceName(e.source);
    case Result:
        if (e.skipped)
            return tr("already answered");
        if (!e.writeError.isEmpty())
            return tr("response not written: %1").arg(e.writeError);
        return e.ok ? tr("success") : tr("error: %1").arg(e.error);
    case QueueMs: return e.skipped ? QVariant() : QVariant(tr("%1 ms").arg(e.queuedMs));
    case RunMs: return e.skipped ? QVariant() : QVariant(tr("%1 ms").arg(e.executionMs));
    case Response: return e.responseId;
    default: return {};
    }
}

RunnerStatusWidget::RunnerStatusWidget(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunnerExecutionsModel(this))
    , m_summary(new QLabel(this))
    , m_totals(new QLabel(this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("runnerStatus"));
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary);
    top->addStretch(1);
    top->addWidget(m_totals);
    column->addLayout(top);
    column->addWidget(m_table, 1);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Keep the newest row in view while the user is at the bottom.
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, [this] {
        if (!m_table->selectionModel()->hasSelection())
            m_table->scrollToBottom();
    });
    refresh();
}

QString RunnerStatusWidget::summary(bool enabled, bool live, const RunnerStats &stats, int concurrency)
{
    if (!enabled)
        return tr("Runner: off");
    if (!live)
        return tr("Runner: on, waiting for a connection");
    QString text = tr("Runner: %1/%2 running, %3 queued").arg(stats.running).arg(concurrency).arg(stats.queued);
    if (stats.saturated())
        text += tr(" — saturated");
    return text;
}

QString RunnerStatusWidget::totals(const RunnerStats &s)
{
    return tr("%1 succeeded, %2 failed, %3 answered before, %4 duplicate deliveries, %5 response write errors")
        .arg(s.done)
        .arg(s.failed)
        .arg(s.alreadyAnswered)
        .arg(s.duplicates)
        .arg(s.responseWriteErrors);
}

QString RunnerStatusWidget::summaryText() const
{
    return m_summary->text();
}

void RunnerStatusWidget::setEnabledState(bool enabled, bool live, int concurrency)
{
    m_enabled = enabled;
    m_live = live;
    m_concurrency = concurrency;
    if (!enabled)
        m_stats = {};
    refresh();
}

void RunnerStatusWidget::setStats(const RunnerStats &stats)
{
    m_stats = stats;
    refresh();
}

void RunnerStatusWidget::addExecutions(const QList<RunnerExecution> &executions)
{
    m_model->add(executions);
}

void RunnerStatusWidget::refresh()
{
    m_summary->setText(summary(m_enabled, m_live, m_stats, m_concurrency));
    m_summary->setStyleSheet(m_stats.saturated() ? QStringLiteral("color: #9a5b00; font-weight: bold;") : QString());
    m_totals->setText(totals(m_stats));
}

} // namespace rcrt::ui
