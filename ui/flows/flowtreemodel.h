#pragma once

#include "model/flowentities.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <vector>

namespace rcrt {
class FlowTracker;
}

namespace rcrt::ui {

// The flows as a tree (issue 3 item 4), mirroring FlowTracker::treeParent/treeChildren:
//   workflow request → step requests → response → agent responses (then the workflow's own
//   response); tool request → response → agent responses; unmatched responses at the top.
// Top-level rows are in first-seen order, children in created order.
//
// Follows the tracker incrementally: one flowsChanged gives at most one insert for all new
// top-level rows, moves for re-parented rows (a response whose request arrived later, a step
// regrouped), dataChanged for touched rows, and removes for evicted ones. A 1 s tick refreshes
// the State column of open requests (pending → timed out happens with time alone).
class FlowTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlowTreeModel)

public:
    enum Column : int {
        NameColumn,       // tool (steps: "stepId: tool"), "response", "agent response"
        RequestIdColumn,  // requests: correlation id; responses: request_id
        StateColumn,      // requests: RequestState; responses: status
        RoundTripColumn,  // requests: response created − request created (server clock)
        CreatedColumn,    // server `updated_at` of the first version seen, local time
        SchemaColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        BreadcrumbIdRole = Qt::UserRole + 1, // QByteArray
        EntityRole,        // int(rcrt::FlowEntity)
        StateRole,         // int(rcrt::RequestState) for requests; -1 otherwise
        RoundTripMsRole,   // qint64; -1 when open or not a request
        CreatedNsRole,     // qint64, server clock
        ToolRole,          // QString
        SortRole,          // the column's raw value
    };
    Q_ENUM(Role)

    explicit FlowTreeModel(FlowTracker *tracker, QObject *parent = nullptr);
    ~FlowTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QModelIndex indexOf(const QByteArray &breadcrumbId, int column = 0) const;
    QByteArray breadcrumbIdAt(const QModelIndex &index) const;

private:
    struct Node
    {
        QByteArray key;
        FlowEntity kind = FlowEntity::None;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };

    void rebuild();
    void applyChanges(const FlowChanges &changes);
    void removeNodes(const QList<Node *> &nodes);
    void insertNewRoots(QList<QByteArray> keys);
    Node *ensureNode(const QByteArray &key, int depth = 0);
    void placeNode(const QByteArray &key, Node *parent, Node *existing);
    int insertionRow(const Node *parent, const QByteArray &key) const;
    qint64 rootOrder(const QByteArray &key) const;
    void forgetSubtree(Node *node);
    void renumber(Node *parent, int fromRow);
    QModelIndex indexFor(const Node *node, int column = 0) const;
    Node *nodeAt(const QModelIndex &index) const;
    void refreshOpenStates();

    QVariant displayData(const Node &node, int column) const;
    QVariant sortData(const Node &node, int column) const;
    QVariant toolTipData(const Node &node) const;

    QPointer<FlowTracker> m_tracker;
    Node m_root;
    QHash<QByteArray, Node *> m_nodes;
    QHash<QByteArray, qint64> m_pendingDeadlines; // pending requests → console time they time out
    QTimer m_tick;
};

} // namespace rcrt::ui
