#include "ui/inspector/jsontreemodel.h"

#include "ui/schemacolors.h"

#include <QColor>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>
#include <QRegularExpression>

#include <cmath>

namespace rcrt::ui {

namespace {

constexpr int kMaxDisplayChars = 300;

QString pathSegment(const QString &key)
{
    static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (identifier.match(key).hasMatch())
        return QLatin1Char('.') + key;
    QString escaped = key;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1String("[\"") + escaped + QLatin1String("\"]");
}

} // namespace

struct JsonTreeModel::Node
{
    QString key;         // object member name; empty for array elements and the root
    int arrayIndex = -1; // >= 0 for array elements
    QJsonValue value;
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;

    QString keyText() const { return arrayIndex >= 0 ? QStringLiteral("[%1]").arg(arrayIndex) : key; }
    QString path() const
    {
        if (!parent)
            return QStringLiteral("$");
        return parent->path() + (arrayIndex >= 0 ? QStringLiteral("[%1]").arg(arrayIndex) : pathSegment(key));
    }
};

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>()) {}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node &node)
{
    const auto add = [&node](QString key, int arrayIndex, QJsonValue value) {
        auto child = std::make_unique<Node>();
        child->key = std::move(key);
        child->arrayIndex = arrayIndex;
        child->value = std::move(value);
        child->parent = &node;
        child->row = int(node.children.size());
        build(*child);
        node.children.push_back(std::move(child));
    };
    if (node.value.isObject()) {
        const QJsonObject object = node.value.toObject();
        node.children.reserve(size_t(object.size()));
        for (auto it = object.begin(); it != object.end(); ++it)
            add(it.key(), -1, it.value());
    } else if (node.value.isArray()) {
        const QJsonArray array = node.value.toArray();
        node.children.reserve(size_t(array.size()));
        for (qsizetype i = 0; i < array.size(); ++i)
            add({}, int(i), array.at(i));
    }
}

void JsonTreeModel::setJson(const QJsonValue &value)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_root->value = value;
    if (value.isObject() || value.isArray()) {
        build(*m_root);
    } else if (!value.isUndefined()) {
        // A scalar root is shown as one row.
        auto child = std::make_unique<Node>();
        child->value = value;
        child->parent = m_root.get();
        m_root->children.push_back(std::move(child));
    }
    endResetModel();
}

bool JsonTreeModel::setJsonText(QByteArrayView text, QString *error)
{
    const std::optional<QJsonValue> value = parseValue(text, error);
    setJson(value.value_or(QJsonValue(QJsonValue::Undefined)));
    return value.has_value();
}

QJsonValue JsonTreeModel::json() const
{
    return m_root->value;
}

std::optional<QJsonValue> JsonTreeModel::parseValue(QByteArrayView text, QString *error)
{
    // Wrapping in an array lets QJsonDocument take scalars as well.
    QJsonParseError parseError;
    const QByteArray wrapped = '[' + text.toByteArray() + ']';
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? tr("%1 at byte %2").arg(parseError.errorString()).arg(std::max(0, parseError.offset - 1))
                : tr("not one JSON value");
        return std::nullopt;
    }
    return doc.array().at(0);
}

QString JsonTreeModel::prettyText(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isString()) {
        const QByteArray quoted = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
        return QString::fromUtf8(quoted.mid(1, quoted.size() - 2));
    }
    return scalarText(value);
}

QString JsonTreeModel::typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("bool");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    case QJsonValue::Undefined: break;
    }
    return QString();
}

QString JsonTreeModel::scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9007199254740992.0)
            return QString::number(qint64(d));
        return QString::number(d, 'g', 17);
    }
    case QJsonValue::String: return value.toString();
    case QJsonValue::Array: {
        const qsizetype n = value.toArray().size();
        return n == 1 ? tr("[1 item]") : tr("[%1 items]").arg(n);
    }
    case QJsonValue::Object: {
        const qsizetype n = value.toObject().size();
        return n == 1 ? tr("{1 key}") : tr("{%1 keys}").arg(n);
    }
    case QJsonValue::Undefined: break;
    }
    return QString();
}

JsonTreeModel::Node *JsonTreeModel::nodeFor(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    const Node *node = nodeFor(parent);
    if (parent.isValid() && parent.column() != 0)
        return {};
    if (size_t(row) >= node->children.size())
        return {};
    return createIndex(row, column, node->children[size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *parentNode = nodeFor(child)->parent;
    if (!parentNode || parentNode == m_root.get())
        return {};
    return createIndex(parentNode->row, 0, const_cast<Node *>(parentNode));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeFor(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeFor(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return node->keyText();
        case ValueColumn: {
            QString text = scalarText(node->value);
            // One line per row: newlines shown as ⏎, long strings cut (the tooltip has more).
            text.replace(QLatin1Char('\n'), QChar(0x23CE));
            if (text.size() > kMaxDisplayChars)
                text = text.left(kMaxDisplayChars) + QChar(0x2026);
            return text;
        }
        case TypeColumn: return typeName(node->value);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && node->value.isString())
            return node->value.toString().left(4000);
        return node->path();
    case Qt::ForegroundRole: {
        if (index.column() != ValueColumn)
            return {};
        const bool dark = isDarkPalette(QGuiApplication::palette());
        switch (node->value.type()) {
        case QJsonValue::String: return dark ? QColor(0x86, 0xef, 0xac) : QColor(0x15, 0x80, 0x3d);
        case QJsonValue::Double: return dark ? QColor(0x93, 0xc5, 0xfd) : QColor(0x1d, 0x4e, 0xd8);
        case QJsonValue::Bool:
        case QJsonValue::Null: return dark ? QColor(0xd8, 0xb4, 0xfe) : QColor(0x7e, 0x22, 0xce);
        default: return QGuiApplication::palette().color(QPalette::PlaceholderText);
        }
    }
    case JsonValueRole: return QVariant::fromValue(node->value);
    case PathRole: return node->path();
    default: return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
        switch (section) {
        case KeyColumn: return tr("Key");
        case ValueColumn: return tr("Value");
        case TypeColumn: return tr("Type");
        }
    }
    return QAbstractItemModel::headerData(section, orientation, role);
}

} // namespace rcrt::ui
