// FlowTreeModel: what each cell shows. Only DisplayRole formats; the typed roles carry raw values.
#include "ui/flows/flowtreemodel.h"

#include "model/deliverylate.h"
#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"
#include "ui/schemacolors.h"

#include <QFont>

namespace rcrt::ui {

namespace {

QByteArray schemaOf(FlowEntity kind)
{
    switch (kind) {
    case FlowEntity::Request:
        return QByteArrayLiteral("tool.request.v1");
    case FlowEntity::Response:
        return QByteArrayLiteral("tool.response.v1");
    case FlowEntity::AgentResponse:
        return QByteArrayLiteral("agent.response.v1");
    case FlowEntity::None:
        break;
    }
    return {};
}

QString text(const QByteArray &utf8)
{
    return QString::fromUtf8(utf8);
}

} // namespace

QVariant FlowTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Flow");
    case RequestIdColumn:
        return tr("Request id");
    case StateColumn:
        return tr("State");
    case RoundTripColumn:
        return tr("Round trip");
    case CreatedColumn:
        return tr("Created");
    case SchemaColumn:
        return tr("Schema");
    default:
        return {};
    }
}

QVariant FlowTreeModel::data(const QModelIndex &index, int role) const
{
    const Node *node = nodeAt(index);
    if (!node || !m_tracker)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(*node, column);
    case SortRole:
        return sortData(*node, column);
    case Qt::ToolTipRole:
        return toolTipData(*node);
    case BreadcrumbIdRole:
        return node->key;
    case EntityRole:
        return int(node->kind);
    case CreatedNsRole:
        return m_tracker->createdNsOf(node->key);
    case StateRole:
        return node->kind == FlowEntity::Request ? int(m_tracker->requestStatus(node->key).state) : -1;
    case RoundTripMsRole:
        return node->kind == FlowEntity::Request ? m_tracker->requestStatus(node->key).roundTripMs : qint64(-1);
    case ToolRole:
        if (const FlowRequest *r = m_tracker->request(node->key))
            return r->tool;
        if (const FlowResponse *r = m_tracker->response(node->key))
            return r->tool;
        return QString();
    case Qt::TextAlignmentRole:
        if (column == RoundTripColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (column != StateColumn)
            return {};
        if (node->kind == FlowEntity::Request)
            return requestStateColor(m_tracker->requestStatus(node->key).state);
        if (const FlowResponse *r = m_tracker->response(node->key); r && r->isError())
            return requestStateColor(RequestState::Error);
        return {};
    case Qt::DecorationRole:
        if (column == SchemaColumn)
            return schemaFamilyColor(schemaOf(node->kind));
        if (column == StateColumn && node->kind == FlowEntity::Request)
            return requestStateIcon(m_tracker->requestStatus(node->key).state);
        return {};
    case Qt::FontRole:
        if (column == RequestIdColumn) {
            // A correlation id that is only the breadcrumb id (no requestId) is set apart.
            if (const FlowRequest *r = m_tracker->request(node->key); r && r->requestId.isEmpty()) {
                QFont font;
                font.setItalic(true);
                return font;
            }
        }
        // Flows with structure (a workflow, a request with its response) stand out at the top.
        if (column == NameColumn && node->parent == &m_root && !node->children.empty()) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant FlowTreeModel::displayData(const Node &node, int column) const
{
    if (const FlowRequest *r = m_tracker->request(node.key)) {
        switch (column) {
        case NameColumn:
            return r->stepId.isEmpty() ? r->tool : tr("%1: %2").arg(text(r->stepId), r->tool);
        case RequestIdColumn:
            return text(r->correlationId);
        case StateColumn: {
            const QString state = pending::stateName(m_tracker->requestStatus(*r).state);
            // Issue 6: answered on time by the server, delivered late.
            return deliveryVerdict(*m_tracker, *r, m_tracker->clockOffsetNs()).deliveredLate ? tr("%1, delivered late").arg(state) : state;
        }
        case RoundTripColumn: {
            const qint64 ms = m_tracker->requestStatus(*r).roundTripMs;
            return ms < 0 ? QString() : formatDurationMs(ms);
        }
        case CreatedColumn:
            return formatClockNs(r->createdNs);
        case SchemaColumn:
            return text(schemaOf(node.kind));
        }
    } else if (const FlowResponse *resp = m_tracker->response(node.key)) {
        switch (column) {
        case NameColumn:
            if (resp->requestKey.isEmpty())
                return tr("%1 response without request").arg(resp->tool);
            return resp->isError() ? tr("error response") : tr("response");
        case RequestIdColumn:
            return text(resp->requestIdField.isEmpty() && !resp->requestTagIds.isEmpty() ? resp->requestTagIds.first()
                                                                                         : resp->requestIdField);
        case StateColumn:
            return resp->status;
        case CreatedColumn:
            return formatClockNs(resp->createdNs);
        case SchemaColumn:
            return text(schemaOf(node.kind));
        }
    } else if (const FlowAgentResponse *a = m_tracker->agentResponse(node.key)) {
        switch (column) {
        case NameColumn:
            return a->agentId.isEmpty() ? tr("agent response") : tr("agent response: %1").arg(text(a->agentId));
        case CreatedColumn:
            return formatClockNs(a->createdNs);
        case SchemaColumn:
            return text(schemaOf(node.kind));
        }
    }
    return QString();
}

QVariant FlowTreeModel::sortData(const Node &node, int column) const
{
    switch (column) {
    case StateColumn:
        return node.kind == FlowEntity::Request ? int(m_tracker->requestStatus(node.key).state) : -1;
    case RoundTripColumn:
        return node.kind == FlowEntity::Request ? m_tracker->requestStatus(node.key).roundTripMs : qint64(-1);
    case CreatedColumn:
        return m_tracker->createdNsOf(node.key);
    default:
        return displayData(node, column);
    }
}

QVariant FlowTreeModel::toolTipData(const Node &node) const
{
    QStringList lines;
    if (const FlowRequest *r = m_tracker->request(node.key)) {
        const RequestStatus st = m_tracker->requestStatus(*r);
        lines << tr("Tool request: %1").arg(r->tool)
              << tr("Correlation id: %1%2").arg(text(r->correlationId),
                                                 r->requestId.isEmpty() ? tr(" (breadcrumb id: no requestId)") : QString())
              << tr("State: %1").arg(pending::stateName(st.state));
        if (st.roundTripMs >= 0)
            lines << tr("Round trip: %1 (server clock)").arg(formatDurationMs(st.roundTripMs));
        if (!r->requestedBy.isEmpty())
            lines << tr("Requested by: %1").arg(text(r->requestedBy));
        if (st.hints)
            lines << pending::hintExplanation(st.hints, *r, m_tracker->pendingOptions());
        const QString late = deliveredLateExplanation(deliveryVerdict(*m_tracker, *r, m_tracker->clockOffsetNs())); // issue 6
        if (!late.isEmpty())
            lines << late;
    } else if (const FlowResponse *resp = m_tracker->response(node.key)) {
        lines << tr("Tool response: %1, status %2").arg(resp->tool, resp->status);
        if (!resp->error.isEmpty())
            lines << tr("Error: %1").arg(resp->error);
        if (resp->executionTimeMs >= 0)
            lines << tr("Runner execution time: %1").arg(formatDurationMs(resp->executionTimeMs));
        if (!resp->requestKey.isEmpty() && !resp->taggedForRequest)
            lines << tr("No request:<id> tag: matched by context.request_id only");
    } else if (const FlowAgentResponse *a = m_tracker->agentResponse(node.key)) {
        lines << tr("Agent response by %1").arg(text(a->agentId));
        if (!a->message.isEmpty())
            lines << a->message;
    }
    lines << tr("Breadcrumb: %1").arg(text(node.key));
    return lines.join(QLatin1Char('\n'));
}

} // namespace rcrt::ui
