#include "breadcrumbviews.h"

#include "fastrandom.h"
#include "jsonwriter.h"
#include "timestamps.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rcrt::sim {
namespace {

void appendOptionalString(QByteArray &out, const std::optional<QByteArray> &value)
{
    if (value)
        appendJsonString(out, *value);
    else
        out.append("null");
}

void appendRaw(QByteArray &out, const QByteArray &json)
{
    out.append(json.isEmpty() ? QByteArray("null") : json);
}

void appendUuid(QByteArray &out, const QUuid &uuid)
{
    out.append('"').append(uuidText(uuid)).append('"');
}

void appendQuotedTimestamp(QByteArray &out, qint64 micros)
{
    out.append('"');
    appendTimestamp(out, micros);
    out.append('"');
}

const char *visibilityName(Visibility v)
{
    switch (v) {
    case Visibility::Public: return "Public";
    case Visibility::Team: return "Team";
    case Visibility::Private: return "Private";
    }
    return "Team";
}

const char *sensitivityName(Sensitivity s)
{
    switch (s) {
    case Sensitivity::Low: return "Low";
    case Sensitivity::Pii: return "Pii";
    case Sensitivity::Secret: return "Secret";
    }
    return "Low";
}

// A small subset of the llm_hints engine: instance include/exclude of top-level context keys
// (enough to hide `code` from tool.code.v1, as the real view does). Templates are not run.
QByteArray transformedContext(const Breadcrumb &b)
{
    if (b.llmHints.isEmpty())
        return b.context;
    const QJsonObject hints = QJsonDocument::fromJson(b.llmHints).object();
    const QJsonArray include = hints.value(QStringLiteral("include")).toArray();
    const QJsonArray exclude = hints.value(QStringLiteral("exclude")).toArray();
    if (include.isEmpty() && exclude.isEmpty())
        return b.context;
    QJsonObject context = QJsonDocument::fromJson(b.context).object();
    if (context.isEmpty())
        return b.context;
    if (!include.isEmpty()) {
        QJsonObject kept;
        for (const QJsonValue &key : include)
            if (context.contains(key.toString()))
                kept.insert(key.toString(), context.value(key.toString()));
        context = kept;
    }
    for (const QJsonValue &key : exclude)
        context.remove(key.toString());
    return canonicalJson(context);
}

} // namespace

QByteArray checksumOf(const QByteArray &context)
{
    return "sha256:" + QCryptographicHash::hash(context, QCryptographicHash::Sha256).toHex();
}

QByteArray contextView(const Breadcrumb &b)
{
    QByteArray out = "{\"id\":\"" + b.idText + "\",\"title\":";
    appendJsonString(out, b.title);
    out.append(",\"description\":");
    appendOptionalString(out, b.description);
    out.append(",\"semantic_version\":");
    appendOptionalString(out, b.semanticVersion);
    out.append(",\"context\":").append(transformedContext(b));
    out.append(",\"tags\":");
    appendJsonStringArray(out, b.tags);
    out.append(",\"schema_name\":");
    appendOptionalString(out, b.schemaName);
    out.append(",\"llm_hints\":");
    appendRaw(out, b.llmHints);
    out.append(",\"version\":").append(QByteArray::number(b.version));
    out.append(",\"updated_at\":");
    appendQuotedTimestamp(out, b.updatedAt);
    out.append('}');
    return out;
}

QByteArray fullView(const Breadcrumb &b)
{
    QByteArray out = "{\"id\":\"" + b.idText + "\",\"owner_id\":";
    appendUuid(out, b.owner);
    out.append(",\"title\":");
    appendJsonString(out, b.title);
    out.append(",\"description\":");
    appendOptionalString(out, b.description);
    out.append(",\"semantic_version\":");
    appendOptionalString(out, b.semanticVersion);
    out.append(",\"context\":").append(b.context);
    out.append(",\"tags\":");
    appendJsonStringArray(out, b.tags);
    out.append(",\"schema_name\":");
    appendOptionalString(out, b.schemaName);
    out.append(",\"llm_hints\":");
    appendRaw(out, b.llmHints);
    out.append(",\"visibility\":\"").append(visibilityName(b.visibility));
    out.append("\",\"sensitivity\":\"").append(sensitivityName(b.sensitivity));
    out.append("\",\"version\":").append(QByteArray::number(b.version));
    out.append(",\"checksum\":\"").append(checksumOf(b.context)).append('"');
    out.append(",\"ttl\":");
    if (b.ttl)
        appendQuotedTimestamp(out, *b.ttl);
    else
        out.append("null");
    out.append(",\"ttl_type\":null,\"ttl_config\":null,\"read_count\":0,\"ttl_source\":null");
    out.append(",\"created_at\":");
    appendQuotedTimestamp(out, b.createdAt);
    out.append(",\"updated_at\":");
    appendQuotedTimestamp(out, b.updatedAt);
    out.append(",\"created_by\":");
    appendUuid(out, b.createdBy);
    out.append(",\"updated_by\":");
    appendUuid(out, b.updatedBy);
    out.append(",\"size_bytes\":").append(QByteArray::number(b.context.size()));
    out.append(",\"embedding\":null}");
    return out;
}

QByteArray historyView(const Breadcrumb &b)
{
    auto appendEntry = [](QByteArray &out, int version, const QByteArray &context, qint64 at,
                          const QUuid &by) {
        out.append("{\"version\":").append(QByteArray::number(version));
        out.append(",\"context\":").append(context);
        out.append(",\"updated_at\":");
        appendQuotedTimestamp(out, at);
        out.append(",\"updated_by\":");
        appendUuid(out, by);
        out.append('}');
    };
    QByteArray out = "[";
    appendEntry(out, b.version, b.context, b.updatedAt, b.updatedBy);
    for (qsizetype i = b.history.size() - 1; i >= 0; --i) {
        const HistoryEntry &h = b.history.at(i);
        out.append(',');
        appendEntry(out, h.version, h.context, h.updatedAt, h.updatedBy);
    }
    out.append(']');
    return out;
}

void appendListItem(QByteArray &out, const Breadcrumb &b, bool includeContext)
{
    out.append("{\"id\":\"").append(b.idText).append("\",\"title\":");
    appendJsonString(out, b.title);
    if (includeContext) {
        // description, semantic_version and llm_hints are not selected by the list SQL.
        out.append(",\"description\":null,\"semantic_version\":null,\"context\":").append(b.context);
    }
    out.append(",\"tags\":");
    appendJsonStringArray(out, b.tags);
    out.append(",\"schema_name\":");
    appendOptionalString(out, b.schemaName);
    if (includeContext)
        out.append(",\"llm_hints\":null");
    out.append(",\"version\":").append(QByteArray::number(b.version));
    out.append(",\"updated_at\":");
    appendQuotedTimestamp(out, b.updatedAt);
    out.append('}');
}

QByteArray eventFrame(const Breadcrumb &b, bool created, const QUuid &writerOwner)
{
    QByteArray out;
    out.reserve(160 + b.context.size() + 24 * b.tags.size());
    out.append(created ? "data: {" : "data: {\"type\":\"breadcrumb.updated\",");
    out.append("\"breadcrumb_id\":\"").append(b.idText).append("\",\"owner_id\":");
    appendUuid(out, writerOwner);
    out.append(",\"version\":").append(QByteArray::number(b.version));
    out.append(",\"tags\":");
    appendJsonStringArray(out, b.tags);
    out.append(",\"schema_name\":");
    appendOptionalString(out, b.schemaName);
    out.append(",\"updated_at\":");
    appendQuotedTimestamp(out, b.updatedAt);
    out.append(",\"context\":").append(b.context);
    out.append(created ? ",\"type\":\"breadcrumb.updated\"}\n\n" : "}\n\n");
    return out;
}

QByteArray pingFrame(qint64 micros)
{
    return "data: {\"type\":\"ping\",\"ts\":\"" + formatSeconds(micros) + "\"}\n\n";
}

} // namespace rcrt::sim
