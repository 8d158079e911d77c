#pragma once

#include "model/flowentities.h"
#include "model/pendingrequests.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <vector>

namespace rcrt {
class FlowTracker;
}

namespace rcrt::ui {

// Every tool request the FlowTracker holds, one row each in first-seen order, with its state,
// age, countdown to the requester's timeout and a hint (issue 3 item 5). Filtering to what is
// still open or recently went wrong is PendingFilterProxy's job.
//
// A 1 s tick takes one console-clock reading for all rows, emits a single dataChanged over the
// Age and Countdown columns, and re-evaluates the requests still open (pending → timed out,
// "no runner" hints) with a dataChanged for the rows whose state or hint changed.
class PendingModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PendingModel)

public:
    enum Column : int {
        AgeColumn,        // console clock since the request's age anchor
        CountdownColumn,  // to the requester's timeout; empty once answered
        ToolColumn,
        RequestIdColumn,  // correlation id (requestId, else the breadcrumb id)
        WorkspaceColumn,
        StateColumn,
        HintColumn,
        BreadcrumbIdColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        BreadcrumbIdRole = Qt::UserRole + 1, // QByteArray
        StateRole,          // int(rcrt::RequestState)
        HintsRole,          // int(rcrt::RequestHints)
        AgeMsRole,          // qint64
        CountdownMsRole,    // qint64; negative when overdue; 0 once answered
        RoundTripMsRole,    // qint64; -1 while open
        ListedByDefaultRole,// bool: open, or a problem that settled within the recent window
        SortRole,           // the column's raw value
    };
    Q_ENUM(Role)

    struct Counts
    {
        int pending = 0;
        int timedOut = 0;
        int recentErrors = 0;  // within PendingOptions::recentWindowMs
        int recentLate = 0;
        int answered = 0;
        int total = 0;
    };

    explicit PendingModel(FlowTracker *tracker, QObject *parent = nullptr);
    ~PendingModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int rowOf(const QByteArray &breadcrumbId) const; // -1 when not listed
    QByteArray breadcrumbIdAt(int row) const;
    Counts counts() const;
    qint64 nowNs() const { return m_nowNs; } // the console-clock reading of the last tick

public slots:
    // Runs the 1 s refresh now (tests and the view's "timeout changed" use it).
    void tick();

signals:
    void countsChanged();

private:
    struct Row
    {
        QByteArray key;
        qint64 serial = 0; // increases with the row; survives removals of other rows
        RequestStatus status;
    };

    void reload();
    void applyChanges(const FlowChanges &changes);
    int rowOfSerial(qint64 serial) const;
    RequestStatus evaluate(const QByteArray &key) const;
    QVariant displayData(const Row &row, const FlowRequest &request, int column) const;
    QVariant sortData(const Row &row, const FlowRequest &request, int column) const;

    QPointer<FlowTracker> m_tracker;
    std::vector<Row> m_rows;
    // key → serial, and rows sorted by serial: a row number is a binary search away, so removing
    // rows never renumbers the index.
    QHash<QByteArray, qint64> m_serialOf;
    qint64 m_nextSerial = 0;
    qint64 m_nowNs = 0;
    QTimer m_timer;
};

} // namespace rcrt::ui
