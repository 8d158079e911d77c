#include "ui/flows/flowtreemodel.h"

#include "model/flowtracker.h"

#include <algorithm>

namespace rcrt::ui {

namespace {

constexpr int kTickMs = 1000;
// treeParent chains are at most workflow → step → response → agent response; deeper means a
// cycle in data nobody should send, which we refuse to follow.
constexpr int kMaxDepth = 8;

} // namespace

FlowTreeModel::FlowTreeModel(FlowTracker *tracker, QObject *parent)
    : QAbstractItemModel(parent), m_tracker(tracker)
{
    Q_ASSERT(tracker);
    connect(tracker, &FlowTracker::flowsChanged, this, &FlowTreeModel::applyChanges);
    connect(tracker, &FlowTracker::flowsReset, this, &FlowTreeModel::rebuild);
    // A new timeout changes states without any new event.
    connect(tracker, &FlowTracker::optionsChanged, this, &FlowTreeModel::rebuild);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &FlowTreeModel::refreshOpenStates);
    m_tick.start();
    rebuild();
}

FlowTreeModel::~FlowTreeModel() = default;

QModelIndex FlowTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *p = parent.isValid() ? nodeAt(parent) : &m_root;
    if (!p || parent.column() > 0 || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex FlowTreeModel::parent(const QModelIndex &child) const
{
    const Node *node = nodeAt(child);
    if (!node || node->parent == &m_root || !node->parent)
        return {};
    return indexFor(node->parent);
}

int FlowTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_root.children.size());
    if (parent.column() > 0)
        return 0;
    const Node *node = nodeAt(parent);
    return node ? int(node->children.size()) : 0;
}

int FlowTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QModelIndex FlowTreeModel::indexOf(const QByteArray &breadcrumbId, int column) const
{
    const Node *node = m_nodes.value(breadcrumbId);
    return node ? indexFor(node, column) : QModelIndex();
}

QByteArray FlowTreeModel::breadcrumbIdAt(const QModelIndex &index) const
{
    const Node *node = nodeAt(index);
    return node ? node->key : QByteArray();
}

FlowTreeModel::Node *FlowTreeModel::nodeAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex FlowTreeModel::indexFor(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

void FlowTreeModel::renumber(Node *parent, int fromRow)
{
    for (size_t i = size_t(std::max(0, fromRow)); i < parent->children.size(); ++i)
        parent->children[i]->row = int(i);
}

void FlowTreeModel::forgetSubtree(Node *node)
{
    m_nodes.remove(node->key);
    m_pendingDeadlines.remove(node->key);
    for (const auto &child : node->children)
        forgetSubtree(child.get());
}

qint64 FlowTreeModel::rootOrder(const QByteArray &key) const
{
    if (const FlowRequest *r = m_tracker->request(key))
        return r->order;
    if (const FlowResponse *r = m_tracker->response(key))
        return r->order;
    return 0;
}

int FlowTreeModel::insertionRow(const Node *parent, const QByteArray &key) const
{
    const auto &children = parent->children;
    if (parent == &m_root) {
        const qint64 order = rootOrder(key);
        const auto pos = std::upper_bound(children.begin(), children.end(), order,
                                          [this](qint64 o, const auto &n) { return o < rootOrder(n->key); });
        return int(pos - children.begin());
    }
    const qint64 created = m_tracker->createdNsOf(key);
    const auto pos = std::upper_bound(children.begin(), children.end(), created,
                                      [this](qint64 t, const auto &n) { return t < m_tracker->createdNsOf(n->key); });
    return int(pos - children.begin());
}

void FlowTreeModel::rebuild()
{
    beginResetModel();
    m_root.children.clear();
    m_nodes.clear();
    m_pendingDeadlines.clear();
    if (m_tracker) {
        const auto build = [this](auto &self, Node *parent, const QByteArray &key, int depth) -> void {
            if (depth > kMaxDepth || m_nodes.contains(key))
                return;
            auto node = std::make_unique<Node>();
            node->key = key;
            node->kind = m_tracker->entityKind(key);
            node->parent = parent;
            node->row = int(parent->children.size());
            Node *raw = node.get();
            parent->children.push_back(std::move(node));
            m_nodes.insert(key, raw);
            if (raw->kind == FlowEntity::Request) {
                if (const RequestStatus st = m_tracker->requestStatus(key); st.state == RequestState::Pending)
                    m_pendingDeadlines.insert(key, st.timesOutAtNs);
            }
            const QList<QByteArray> children = m_tracker->treeChildren(key);
            for (const QByteArray &child : children)
                self(self, raw, child, depth + 1);
        };
        const QList<QByteArray> roots = m_tracker->treeRoots();
        for (const QByteArray &key : roots)
            build(build, &m_root, key, 0);
    }
    endResetModel();
}

void FlowTreeModel::applyChanges(const FlowChanges &changes)
{
    QList<Node *> gone;
    for (const QByteArray &key : changes.removed)
        if (Node *node = m_nodes.value(key))
            gone.append(node);
    removeNodes(gone);

    QList<QByteArray> newRoots;
    QList<QByteArray> others;
    QList<Node *> hidden;
    for (const QByteArray &key : changes.touched) {
        const std::optional<QByteArray> parentKey = m_tracker->treeParent(key);
        Node *node = m_nodes.value(key);
        if (!parentKey) {
            if (node)
                hidden.append(node);
        } else if (!node && parentKey->isEmpty()) {
            newRoots.append(key);
        } else {
            others.append(key);
        }
    }
    removeNodes(hidden);
    insertNewRoots(newRoots);
    for (const QByteArray &key : std::as_const(others))
        ensureNode(key);

    for (const QByteArray &key : changes.touched) {
        const Node *node = m_nodes.value(key);
        if (!node)
            continue;
        emit dataChanged(indexFor(node, 0), indexFor(node, ColumnCount - 1));
        const RequestStatus st = node->kind == FlowEntity::Request ? m_tracker->requestStatus(key) : RequestStatus{};
        if (node->kind == FlowEntity::Request && st.state == RequestState::Pending)
            m_pendingDeadlines.insert(key, st.timesOutAtNs);
        else
            m_pendingDeadlines.remove(key);
    }
}

void FlowTreeModel::removeNodes(const QList<Node *> &nodes)
{
    if (nodes.isEmpty())
        return;
    const QSet<const Node *> doomed(nodes.cbegin(), nodes.cend());
    // Nodes whose ancestor goes too leave with it; the rest are grouped by parent.
    QHash<Node *, QList<int>> rowsByParent;
    for (Node *node : nodes) {
        bool ancestorGoes = false;
        for (const Node *p = node->parent; p && p != &m_root; p = p->parent)
            ancestorGoes = ancestorGoes || doomed.contains(p);
        if (!ancestorGoes)
            rowsByParent[node->parent].append(node->row);
    }
    for (auto it = rowsByParent.begin(); it != rowsByParent.end(); ++it) {
        Node *parent = it.key();
        QList<int> rows = it.value();
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        // Contiguous runs from the bottom up, one beginRemoveRows each.
        for (qsizetype i = 0; i < rows.size();) {
            const int last = rows[i];
            int first = last;
            while (++i < rows.size() && rows[i] == first - 1)
                first = rows[i];
            beginRemoveRows(indexFor(parent), first, last);
            for (int r = first; r <= last; ++r)
                forgetSubtree(parent->children[size_t(r)].get());
            parent->children.erase(parent->children.begin() + first, parent->children.begin() + last + 1);
            renumber(parent, first);
            endRemoveRows();
        }
    }
}

void FlowTreeModel::insertNewRoots(QList<QByteArray> keys)
{
    if (keys.isEmpty())
        return;
    std::sort(keys.begin(), keys.end(),
              [this](const QByteArray &a, const QByteArray &b) { return rootOrder(a) < rootOrder(b); });
    const bool allNewest = m_root.children.empty() || rootOrder(keys.first()) > rootOrder(m_root.children.back()->key);
    if (!allNewest) {
        for (const QByteArray &key : std::as_const(keys))
            placeNode(key, &m_root, nullptr);
        return;
    }
    // The common case at high rates: every new flow after the existing ones, one insert.
    const int first = int(m_root.children.size());
    beginInsertRows({}, first, first + int(keys.size()) - 1);
    for (const QByteArray &key : std::as_const(keys)) {
        auto node = std::make_unique<Node>();
        node->key = key;
        node->kind = m_tracker->entityKind(key);
        node->parent = &m_root;
        node->row = int(m_root.children.size());
        m_nodes.insert(key, node.get());
        m_root.children.push_back(std::move(node));
    }
    endInsertRows();
}

FlowTreeModel::Node *FlowTreeModel::ensureNode(const QByteArray &key, int depth)
{
    if (depth > kMaxDepth)
        return nullptr;
    const std::optional<QByteArray> parentKey = m_tracker->treeParent(key);
    Node *parent = !parentKey ? nullptr : parentKey->isEmpty() ? &m_root : ensureNode(*parentKey, depth + 1);
    // Looked up after the parent is settled: placing the parent may have dropped this node.
    Node *node = m_nodes.value(key);
    if (!parent) {
        if (node)
            removeNodes({node});
        return nullptr;
    }
    if (node && node->parent == parent)
        return node;
    placeNode(key, parent, node);
    return m_nodes.value(key);
}

void FlowTreeModel::placeNode(const QByteArray &key, Node *parent, Node *existing)
{
    if (existing) {
        for (const Node *p = parent; p; p = p->parent)
            if (p == existing)
                return; // would become its own descendant: keep it where it is
        Node *oldParent = existing->parent;
        const int oldRow = existing->row;
        const int row = insertionRow(parent, key);
        beginMoveRows(indexFor(oldParent), oldRow, oldRow, indexFor(parent), row);
        std::unique_ptr<Node> moved = std::move(oldParent->children[size_t(oldRow)]);
        oldParent->children.erase(oldParent->children.begin() + oldRow);
        renumber(oldParent, oldRow);
        moved->parent = parent;
        parent->children.insert(parent->children.begin() + row, std::move(moved));
        renumber(parent, row);
        endMoveRows();
        return;
    }
    const int row = insertionRow(parent, key);
    beginInsertRows(indexFor(parent), row, row);
    auto node = std::make_unique<Node>();
    node->key = key;
    node->kind = m_tracker->entityKind(key);
    node->parent = parent;
    m_nodes.insert(key, node.get());
    parent->children.insert(parent->children.begin() + row, std::move(node));
    renumber(parent, row);
    endInsertRows();
}

void FlowTreeModel::refreshOpenStates()
{
    if (!m_tracker)
        return;
    // Only a pending request changes state with time alone (to timed out), at its deadline.
    const qint64 now = m_tracker->now();
    for (auto it = m_pendingDeadlines.begin(); it != m_pendingDeadlines.end();) {
        const Node *node = m_nodes.value(it.key());
        if (node && now <= it.value()) {
            ++it;
            continue;
        }
        const RequestStatus st = m_tracker->requestStatus(it.key());
        if (node && st.state == RequestState::Pending) {
            it.value() = st.timesOutAtNs;
            ++it;
            continue;
        }
        if (node)
            emit dataChanged(indexFor(node, StateColumn), indexFor(node, StateColumn));
        it = m_pendingDeadlines.erase(it);
    }
}

} // namespace rcrt::ui
