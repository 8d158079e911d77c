#include "ui/tools/toolcatalog.h"

#include "app/runner/toolregistry.h"
#include "model/jsonschema.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>

namespace rcrt::ui {

QJsonValue ToolEntry::exampleInput() const
{
    for (const QJsonValue &example : examples) {
        const QJsonObject e = example.toObject();
        if (e.contains(QLatin1String("input")))
            return e.value(QLatin1String("input"));
    }
    if (!inputSchema.isEmpty())
        return jsonschema::exampleFor(inputSchema);
    return QJsonObject{};
}

QString ToolEntry::originName(Origin origin)
{
    switch (origin) {
    case Origin::Builtin: return QObject::tr("built-in");
    case Origin::Server: return QObject::tr("server");
    case Origin::Request: return QObject::tr("from request");
    }
    return {};
}

std::optional<ToolRequestFields> toolRequestFromPayload(const QByteArray &raw, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &parseError);
    const QJsonObject b = doc.object();
    if (!doc.isObject()) {
        *error = QObject::tr("the payload is not a JSON object (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    if (b.value(QLatin1String("schema_name")).toString() != QLatin1String("tool.request.v1")) {
        *error = QObject::tr("not a tool.request.v1 (schema %1)")
                     .arg(b.value(QLatin1String("schema_name")).toString(QStringLiteral("none")));
        return std::nullopt;
    }
    const QJsonObject context = b.value(QLatin1String("context")).toObject();
    ToolRequestFields fields;
    fields.tool = context.value(QLatin1String("tool")).toString();
    if (fields.tool.isEmpty()) {
        *error = b.contains(QLatin1String("context"))
            ? QObject::tr("the request has no context.tool")
            : QObject::tr("this copy of the request carries no context (a list item without it)");
        return std::nullopt;
    }
    fields.input = context.contains(QLatin1String("input")) ? context.value(QLatin1String("input")) : QJsonValue(QJsonObject{});
    for (const QJsonValue &tag : b.value(QLatin1String("tags")).toArray())
        if (tag.toString().startsWith(QLatin1String("workspace:"))) {
            fields.workspace = tag.toString();
            break;
        }
    return fields;
}

std::optional<QList<ToolEntry>> serverToolsFromList(const QByteArray &body, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (!doc.isArray()) {
        *error = QObject::tr("the tool list is not a JSON array (%1)").arg(parseError.errorString());
        return std::nullopt;
    }
    QList<ToolEntry> tools;
    for (const QJsonValue &item : doc.array()) {
        const QJsonObject context = item.toObject().value(QLatin1String("context")).toObject();
        ToolEntry tool;
        tool.name = context.value(QLatin1String("name")).toString();
        if (tool.name.isEmpty())
            continue;
        tool.description = context.value(QLatin1String("description")).toString();
        tool.inputSchema = context.value(QLatin1String("input_schema")).toObject();
        tool.examples = context.value(QLatin1String("examples")).toArray();
        tool.origin = ToolEntry::Origin::Server;
        tools.append(tool);
    }
    return tools;
}

ToolCatalogModel::ToolCatalogModel(QObject *parent)
    : QAbstractListModel(parent)
{
    for (const QJsonValue &value : ToolRegistry::builtins().catalogEntries()) {
        const QJsonObject o = value.toObject();
        m_entries.append(ToolEntry{o.value(QLatin1String("name")).toString(), o.value(QLatin1String("description")).toString(),
                                   o.value(QLatin1String("inputSchema")).toObject(), o.value(QLatin1String("examples")).toArray(),
                                   ToolEntry::Origin::Builtin});
    }
    sortEntries();
}

void ToolCatalogModel::sortEntries()
{
    std::stable_sort(m_entries.begin(), m_entries.end(), [](const ToolEntry &a, const ToolEntry &b) {
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.origin < b.origin;
    });
}

void ToolCatalogModel::setServerTools(const QList<ToolEntry> &tools)
{
    beginResetModel();
    m_entries.removeIf([](const ToolEntry &e) { return e.origin == ToolEntry::Origin::Server; });
    // The server may list a name twice (several tool.code.v1); the list is newest first: keep that.
    QSet<QString> seen;
    for (ToolEntry tool : tools) {
        tool.origin = ToolEntry::Origin::Server;
        if (!seen.contains(tool.name)) {
            seen.insert(tool.name);
            m_entries.append(tool);
        }
    }
    sortEntries();
    endResetModel();
}

int ToolCatalogModel::addEntry(const ToolEntry &entry)
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).name == entry.name && m_entries.at(row).origin == entry.origin)
            return row;
    beginResetModel();
    m_entries.append(entry);
    sortEntries();
    endResetModel();
    return rowOf(entry.name, entry.origin);
}

int ToolCatalogModel::rowOf(const QString &name, std::optional<ToolEntry::Origin> origin) const
{
    int any = -1;
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).name != name)
            continue;
        if (!origin || m_entries.at(row).origin == *origin)
            return row;
        if (any < 0)
            any = row;
    }
    return any;
}

int ToolCatalogModel::serverToolCount() const
{
    return int(std::count_if(m_entries.cbegin(), m_entries.cend(),
                             [](const ToolEntry &e) { return e.origin == ToolEntry::Origin::Server; }));
}

int ToolCatalogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant ToolCatalogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const ToolEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole: return QStringLiteral("%1  (%2)").arg(e.name, ToolEntry::originName(e.origin));
    case Qt::ToolTipRole: return e.description.isEmpty() ? e.name : e.description;
    case SearchTextRole: return QString(e.name + u' ' + e.description + u' ' + ToolEntry::originName(e.origin));
    case OriginRole: return int(e.origin);
    case NameRole: return e.name;
    default: return {};
    }
}

} // namespace rcrt::ui
