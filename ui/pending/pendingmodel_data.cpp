// PendingModel: what each cell shows. Only DisplayRole formats; typed roles carry raw values.
#include "ui/pending/pendingmodel.h"

#include "model/deliverylate.h"
#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <limits>

namespace rcrt::ui {

namespace {

constexpr qint64 kNsPerMs = 1'000'000;
constexpr qint64 kCountdownWarnMs = 10'000;

} // namespace

QVariant PendingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case AgeColumn:
            return tr("Age");
        case CountdownColumn:
            return tr("Timeout in");
        case ToolColumn:
            return tr("Tool");
        case RequestIdColumn:
            return tr("Request id");
        case WorkspaceColumn:
            return tr("Workspace");
        case StateColumn:
            return tr("State");
        case HintColumn:
            return tr("Hint");
        case BreadcrumbIdColumn:
            return tr("Breadcrumb id");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case AgeColumn:
            return tr("Console clock since the request arrived (backfilled requests: since its updated_at)");
        case CountdownColumn:
            return tr("Time left before the requester gives up waiting (%1 by default)")
                .arg(formatDurationMs(m_tracker ? m_tracker->pendingOptions().defaultTimeoutMs : 60'000));
        case StateColumn:
            return tr("Round trips use the server's updated_at of request and response");
        default:
            return {};
        }
    }
    return {};
}

QVariant PendingModel::data(const QModelIndex &index, int role) const
{
    if (!m_tracker || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    // The filter proxy asks this for every row once a second: answer before any lookup.
    if (role == ListedByDefaultRole)
        return pending::isListedByDefault(row.status, m_nowNs, m_tracker->pendingOptions());
    const FlowRequest *request = m_tracker->request(row.key);
    if (!request)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, *request, column);
    case SortRole:
        return sortData(row, *request, column);
    case BreadcrumbIdRole:
        return row.key;
    case StateRole:
        return int(row.status.state);
    case HintsRole:
        return int(row.status.hints.toInt());
    case AgeMsRole:
        return std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(*request)) / kNsPerMs);
    case CountdownMsRole:
        return row.status.isOpen()
            ? row.status.timeoutMs - std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(*request)) / kNsPerMs)
            : qint64(0);
    case RoundTripMsRole:
        return row.status.roundTripMs;
    case Qt::TextAlignmentRole:
        if (column == AgeColumn || column == CountdownColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column == StateColumn)
            return requestStateColor(row.status.state);
        if (column == CountdownColumn && row.status.isOpen()
            && data(index, CountdownMsRole).toLongLong() < kCountdownWarnMs)
            return requestStateColor(RequestState::Error);
        if (column == BreadcrumbIdColumn || column == WorkspaceColumn)
            return QGuiApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case Qt::DecorationRole:
        if (column == StateColumn)
            return requestStateIcon(row.status.state);
        return {};
    case Qt::FontRole:
        if (column == StateColumn && row.status.isProblem()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        if (column == RequestIdColumn && request->requestId.isEmpty()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (column == HintColumn) {
            // Issue 6: the seed's case, answered in time but delivered after the timeout.
            const QString late = deliveredLateExplanation(deliveryVerdict(*m_tracker, *request, m_tracker->clockOffsetNs()));
            QStringList lines;
            if (row.status.hints)
                lines << pending::hintExplanation(row.status.hints, *request, m_tracker->pendingOptions());
            if (!late.isEmpty())
                lines << late;
            if (!lines.isEmpty())
                return lines.join(QLatin1Char('\n'));
        }
        if (column == RequestIdColumn && request->requestId.isEmpty())
            return tr("No requestId: the runner correlates on the breadcrumb id");
        if (column == BreadcrumbIdColumn)
            return QString::fromUtf8(row.key);
        if (row.status.roundTripMs >= 0)
            return tr("Round trip %1 (server clock)").arg(formatDurationMs(row.status.roundTripMs));
        return {};
    default:
        return {};
    }
}

QVariant PendingModel::displayData(const Row &row, const FlowRequest &request, int column) const
{
    switch (column) {
    case AgeColumn:
        return formatDurationMs(std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(request)) / kNsPerMs));
    case CountdownColumn:
        if (!row.status.isOpen())
            return QString();
        return formatCountdownMs(row.status.timeoutMs
                                 - std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(request)) / kNsPerMs));
    case ToolColumn:
        return request.stepId.isEmpty() ? request.tool
                                        : tr("%1 (step %2)").arg(request.tool, QString::fromUtf8(request.stepId));
    case RequestIdColumn:
        return QString::fromUtf8(request.correlationId);
    case WorkspaceColumn:
        return QString::fromUtf8(request.workspace);
    case StateColumn:
        return pending::stateName(row.status.state);
    case HintColumn: {
        const QString late = deliveredLateMark(deliveryVerdict(*m_tracker, request, m_tracker->clockOffsetNs()));
        const QString hint = pending::hintText(row.status.hints, request, m_tracker->pendingOptions());
        return late.isEmpty() ? hint : (hint.isEmpty() ? late : hint + QStringLiteral("; ") + late);
    }
    case BreadcrumbIdColumn:
        return QString::fromUtf8(row.key);
    default:
        return {};
    }
}

QVariant PendingModel::sortData(const Row &row, const FlowRequest &request, int column) const
{
    switch (column) {
    case AgeColumn:
        return std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(request)) / kNsPerMs);
    case CountdownColumn:
        // Answered rows after every open one.
        return row.status.isOpen()
            ? row.status.timeoutMs - std::max<qint64>(0, (m_nowNs - pending::ageAnchorNs(request)) / kNsPerMs)
            : std::numeric_limits<qint64>::max();
    case StateColumn:
        return int(row.status.state);
    default:
        return displayData(row, request, column);
    }
}

} // namespace rcrt::ui
