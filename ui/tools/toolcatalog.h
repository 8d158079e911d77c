#pragma once

#include <QAbstractListModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

namespace rcrt::ui {

// One tool the invoke dialog offers.
struct ToolEntry
{
    enum class Origin : quint8 {
        Builtin, // this console's runner (ToolRegistry): input must pass the schema to be sent
        Server, // a tool.code.v1 on the server: schema problems warn only
        Request, // only known from a request being sent again; no schema
    };

    QString name;
    QString description;
    QJsonObject inputSchema;
    QJsonArray examples; // [{"description","input","output"}]
    Origin origin = Origin::Server;

    // The editor's starting text: the first example's input, else an example made from the
    // input schema (jsonschema::exampleFor), else {}.
    QJsonValue exampleInput() const;
    static QString originName(Origin origin);
};

// The fields of a tool.request.v1 needed to send it again.
struct ToolRequestFields
{
    QString tool;
    QJsonValue input;
    QString workspace; // its workspace:* tag; empty when it had none
};

// From one delivered payload (SSE, local bus, REST list item or replay): nullopt with `error`
// set when it is not a tool.request.v1 with a context.tool.
std::optional<ToolRequestFields> toolRequestFromPayload(const QByteArray &raw, QString *error);

// Server tools from a `GET /breadcrumbs?schema_name=tool.code.v1&include_context=true` body.
// Items without a context.name are skipped; nullopt with `error` when the body is not a list.
std::optional<QList<ToolEntry>> serverToolsFromList(const QByteArray &body, QString *error);

// Built-ins and server tools, one row each, sorted by name then origin (built-in first).
class ToolCatalogModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolCatalogModel)

public:
    enum Role { SearchTextRole = Qt::UserRole + 1, OriginRole, NameRole };

    explicit ToolCatalogModel(QObject *parent = nullptr); // starts with the built-ins

    void setServerTools(const QList<ToolEntry> &tools);
    // Adds an entry (e.g. Origin::Request) unless one of that name and origin exists; its row.
    int addEntry(const ToolEntry &entry);

    const ToolEntry &entry(int row) const { return m_entries.at(row); }
    // The row of `name`, preferring `origin` when several have that name; -1 when none.
    int rowOf(const QString &name, std::optional<ToolEntry::Origin> origin = std::nullopt) const;
    int serverToolCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    void sortEntries();

    QList<ToolEntry> m_entries;
};

} // namespace rcrt::ui
