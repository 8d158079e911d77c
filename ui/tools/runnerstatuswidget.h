#pragma once

#include "app/runner/toolsrunner.h"

#include <QAbstractTableModel>
#include <QList>
#include <QWidget>

#include <deque>

class QLabel;
class QTableView;

namespace rcrt::ui {

// The latest executions of the console's tools-runner, newest last, at most kMaxRows.
class RunnerExecutionsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunnerExecutionsModel)

public:
    enum Column { Time, Tool, RequestId, Via, Result, QueueMs, RunMs, Response, ColumnCount };
    static constexpr int kMaxRows = 500;

    using QAbstractTableModel::QAbstractTableModel;

    void add(const QList<RunnerExecution> &executions);
    void clear();
    const RunnerExecution &execution(int row) const { return m_rows.at(size_t(row)).execution; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        qint64 seenMs = 0; // local clock when the GUI heard of it
        RunnerExecution execution;
    };
    std::deque<Row> m_rows;
};

// The tools-runner at a glance: its status line (as in the status bar), totals, and the latest
// executions. Fed by IngestEngine's runner signals.
class RunnerStatusWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunnerStatusWidget)

public:
    explicit RunnerStatusWidget(QWidget *parent = nullptr);

    // "Runner: 2/4 running, 5 queued — saturated" (off, or waiting for a connection, said so).
    static QString summary(bool enabled, bool live, const RunnerStats &stats, int concurrency);
    static QString totals(const RunnerStats &stats);

    RunnerExecutionsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString summaryText() const;
    RunnerStats stats() const { return m_stats; }

public slots:
    void setEnabledState(bool enabled, bool live, int concurrency);
    void setStats(const rcrt::RunnerStats &stats);
    void addExecutions(const QList<rcrt::RunnerExecution> &executions);

private:
    void refresh();

    RunnerExecutionsModel *m_model;
    QLabel *m_summary;
    QLabel *m_totals;
    QTableView *m_table;
    RunnerStats m_stats;
    bool m_enabled = false;
    bool m_live = false;
    int m_concurrency = 0;
};

} // namespace rcrt::ui
