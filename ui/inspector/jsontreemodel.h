#pragma once

#include <QAbstractItemModel>
#include <QJsonValue>

#include <memory>
#include <optional>
#include <vector>

namespace rcrt::ui {

// A read-only tree over one JSON value (a breadcrumb's context): objects and arrays are
// branches, scalars are leaves. Columns key / value / type. The root value itself is not a
// row: its members are the top-level rows (a scalar root is one row with an empty key).
// Built once per setJson(), so the view never parses again while scrolling.
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonTreeModel)

public:
    enum Column : int { KeyColumn, ValueColumn, TypeColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role : int {
        JsonValueRole = Qt::UserRole + 1, // QJsonValue of the node
        PathRole,                         // QString, e.g. $.input.messages[0].role
    };
    Q_ENUM(Role)

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QJsonValue &value);
    // Any JSON text, scalars included. On a parse error the model is emptied and false returned.
    bool setJsonText(QByteArrayView text, QString *error = nullptr);
    void clear() { setJson(QJsonValue(QJsonValue::Undefined)); }
    QJsonValue json() const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Parses any JSON value, scalars included (QJsonDocument takes only objects and arrays).
    static std::optional<QJsonValue> parseValue(QByteArrayView text, QString *error = nullptr);
    // Indented text for any value.
    static QString prettyText(const QJsonValue &value);
    static QString typeName(const QJsonValue &value);
    static QString scalarText(const QJsonValue &value); // numbers without a spurious ".0"

private:
    struct Node;
    Node *nodeFor(const QModelIndex &index) const;
    static void build(Node &node);

    std::unique_ptr<Node> m_root;
};

} // namespace rcrt::ui
