#include "ui/pending/pendingmodel.h"

#include "model/flowtracker.h"

#include <QSet>

#include <algorithm>

namespace rcrt::ui {

namespace {

constexpr int kTickMs = 1000;

// Emits one dataChanged per run of consecutive rows.
template<typename Emit>
void forEachRun(QList<int> rows, Emit emitRun)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (qsizetype i = 0; i < rows.size();) {
        const int first = rows[i];
        int last = first;
        while (++i < rows.size() && rows[i] == last + 1)
            last = rows[i];
        emitRun(first, last);
    }
}

} // namespace

PendingModel::PendingModel(FlowTracker *tracker, QObject *parent)
    : QAbstractTableModel(parent), m_tracker(tracker)
{
    Q_ASSERT(tracker);
    connect(tracker, &FlowTracker::flowsChanged, this, &PendingModel::applyChanges);
    connect(tracker, &FlowTracker::flowsReset, this, &PendingModel::reload);
    // A new timeout can change any row's state, answered ones included.
    connect(tracker, &FlowTracker::optionsChanged, this, &PendingModel::reload);
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &PendingModel::tick);
    m_timer.start();
    reload();
}

PendingModel::~PendingModel() = default;

int PendingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PendingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int PendingModel::rowOf(const QByteArray &breadcrumbId) const
{
    const auto it = m_serialOf.constFind(breadcrumbId);
    return it == m_serialOf.cend() ? -1 : rowOfSerial(it.value());
}

int PendingModel::rowOfSerial(qint64 serial) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), serial,
                                     [](const Row &row, qint64 s) { return row.serial < s; });
    return it != m_rows.cend() && it->serial == serial ? int(it - m_rows.cbegin()) : -1;
}

QByteArray PendingModel::breadcrumbIdAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].key : QByteArray();
}

RequestStatus PendingModel::evaluate(const QByteArray &key) const
{
    const FlowRequest *r = m_tracker->request(key);
    return r ? pending::evaluate(*m_tracker, *r, m_nowNs) : RequestStatus{};
}

void PendingModel::reload()
{
    beginResetModel();
    m_rows.clear();
    m_serialOf.clear();
    if (m_tracker) {
        m_nowNs = m_tracker->now();
        const QList<QByteArray> keys = m_tracker->requestKeys();
        m_rows.reserve(size_t(keys.size()));
        for (const QByteArray &key : keys) {
            m_serialOf.insert(key, m_nextSerial);
            m_rows.push_back({key, m_nextSerial++, evaluate(key)});
        }
    }
    endResetModel();
    emit countsChanged();
}

void PendingModel::applyChanges(const FlowChanges &changes)
{
    m_nowNs = m_tracker->now();

    QList<int> gone;
    for (const QByteArray &key : changes.removed)
        if (const int row = rowOf(key); row >= 0)
            gone.append(row);
    if (!gone.isEmpty()) {
        std::sort(gone.begin(), gone.end(), std::greater<int>());
        // Bottom-up runs, so earlier row numbers stay valid.
        for (qsizetype i = 0; i < gone.size();) {
            const int last = gone[i];
            int first = last;
            while (++i < gone.size() && gone[i] == first - 1)
                first = gone[i];
            beginRemoveRows({}, first, last);
            for (int r = first; r <= last; ++r)
                m_serialOf.remove(m_rows[size_t(r)].key);
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
            endRemoveRows();
        }
    }

    QList<QByteArray> fresh;
    QSet<QByteArray> freshSet;
    const auto take = [&](const QByteArray &key) {
        if (!m_serialOf.contains(key) && !freshSet.contains(key) && m_tracker->request(key)) {
            fresh.append(key);
            freshSet.insert(key);
        }
    };
    for (const QByteArray &key : changes.addedRequests)
        take(key);
    for (const QByteArray &key : changes.touched)
        take(key);
    if (!fresh.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(fresh.size()) - 1);
        for (const QByteArray &key : std::as_const(fresh)) {
            m_serialOf.insert(key, m_nextSerial);
            m_rows.push_back({key, m_nextSerial++, evaluate(key)});
        }
        endInsertRows();
    }

    QList<int> changed;
    for (const QByteArray &key : changes.touched) {
        if (freshSet.contains(key))
            continue;
        const int row = rowOf(key);
        if (row < 0)
            continue;
        m_rows[size_t(row)].status = evaluate(key);
        changed.append(row);
    }
    forEachRun(changed, [this](int first, int last) {
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    });
    if (!gone.isEmpty() || !fresh.isEmpty() || !changed.isEmpty())
        emit countsChanged();
}

void PendingModel::tick()
{
    if (!m_tracker)
        return;
    m_nowNs = m_tracker->now();
    if (m_rows.empty())
        return;
    // Ages and countdowns move for every row: one signal for the two columns.
    emit dataChanged(index(0, AgeColumn), index(int(m_rows.size()) - 1, CountdownColumn));

    // Only two things change with time alone: a pending request times out, and a "no runner"
    // hint goes once the runner shows up. Everything else arrives as flowsChanged.
    QList<int> changed;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        if (!row.status.isOpen())
            continue;
        const bool due = row.status.state == RequestState::Pending && m_nowNs > row.status.timesOutAtNs;
        if (!due && !row.status.hints.testFlag(RequestHint::NoRunner))
            continue;
        const RequestStatus now = evaluate(row.key);
        const bool differs = now.state != row.status.state || now.hints != row.status.hints;
        row.status = now;
        if (differs)
            changed.append(int(i));
    }
    forEachRun(changed, [this](int first, int last) {
        emit dataChanged(index(first, StateColumn), index(last, HintColumn));
    });
    emit countsChanged();
}

PendingModel::Counts PendingModel::counts() const
{
    Counts c;
    if (!m_tracker)
        return c;
    const PendingOptions &options = m_tracker->pendingOptions();
    for (const Row &row : m_rows) {
        ++c.total;
        switch (row.status.state) {
        case RequestState::Pending:
            ++c.pending;
            break;
        case RequestState::TimedOut:
            ++c.timedOut;
            break;
        case RequestState::Error:
            if (pending::isListedByDefault(row.status, m_nowNs, options))
                ++c.recentErrors;
            break;
        case RequestState::AnsweredLate:
            if (pending::isListedByDefault(row.status, m_nowNs, options))
                ++c.recentLate;
            break;
        case RequestState::Answered:
            ++c.answered;
            break;
        }
    }
    return c;
}

} // namespace rcrt::ui
