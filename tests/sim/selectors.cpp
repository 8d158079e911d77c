#include "selectors.h"

#include "fastrandom.h"
#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rcrt::sim {
namespace {

bool readStringList(const QJsonValue &value, const char *field, std::optional<QByteArrayList> &out,
                    QByteArray &error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isArray()) {
        error = QByteArray(field) + ": invalid type, expected a sequence";
        return false;
    }
    QByteArrayList list;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        if (!item.isString()) {
            error = QByteArray(field) + ": invalid type, expected a string";
            return false;
        }
        list.append(item.toString().toUtf8());
    }
    out = list;
    return true;
}

void appendOptionalList(QByteArray &out, const std::optional<QByteArrayList> &list)
{
    if (list)
        appendJsonStringArray(out, *list);
    else
        out.append("null");
}

} // namespace

bool Selector::matches(const Breadcrumb &b, const QJsonValue &context) const
{
    if (anyTags) {
        bool any = false;
        for (const QByteArray &tag : *anyTags)
            any = any || b.hasTag(tag);
        if (!any)
            return false;
    }
    if (allTags)
        for (const QByteArray &tag : *allTags)
            if (!b.hasTag(tag))
                return false;
    if (schemaName && (!b.schemaName || *b.schemaName != *schemaName))
        return false;
    if (contextMatch) {
        for (const ContextMatch &m : *contextMatch) {
            // Only top-level `$.key` paths with eq / contains_any are checked; the rest pass.
            if (!m.path.startsWith("$.") || m.path.mid(2).contains('.') || m.path.contains('['))
                continue;
            const QJsonValue actual = context.toObject().value(QString::fromUtf8(m.path.mid(2)));
            if (m.op == "eq") {
                if (actual != m.value)
                    return false;
            } else if (m.op == "contains_any") {
                bool overlap = false;
                const QJsonArray have = actual.toArray();
                const QJsonArray want = m.value.toArray();
                for (const QJsonValue &w : want)
                    overlap = overlap || have.contains(w);
                if (!overlap)
                    return false;
            }
        }
    }
    return true;
}

std::optional<Selector> parseSelector(const QJsonValue &body, QByteArray &error)
{
    if (!body.isObject()) {
        error = "invalid type: expected struct Selector";
        return std::nullopt;
    }
    const QJsonObject o = body.toObject();
    Selector s;
    if (!readStringList(o.value(QStringLiteral("any_tags")), "any_tags", s.anyTags, error)
        || !readStringList(o.value(QStringLiteral("all_tags")), "all_tags", s.allTags, error))
        return std::nullopt;
    const QJsonValue schema = o.value(QStringLiteral("schema_name"));
    if (schema.isString())
        s.schemaName = schema.toString().toUtf8();
    else if (!schema.isUndefined() && !schema.isNull()) {
        error = "schema_name: invalid type, expected a string";
        return std::nullopt;
    }
    const QJsonValue cm = o.value(QStringLiteral("context_match"));
    if (!cm.isUndefined() && !cm.isNull()) {
        if (!cm.isArray()) {
            error = "context_match: invalid type, expected a sequence";
            return std::nullopt;
        }
        QList<ContextMatch> list;
        const QJsonArray array = cm.toArray();
        for (const QJsonValue &item : array) {
            const QJsonObject m = item.toObject();
            for (const char *field : {"path", "op", "value"}) {
                if (!m.contains(QLatin1String(field))) {
                    error = QByteArray("context_match: missing field `") + field + '`';
                    return std::nullopt;
                }
            }
            if (!m.value(QStringLiteral("path")).isString() || !m.value(QStringLiteral("op")).isString()) {
                error = "context_match: invalid type, expected a string";
                return std::nullopt;
            }
            list.append({m.value(QStringLiteral("path")).toString().toUtf8(),
                         m.value(QStringLiteral("op")).toString().toUtf8(),
                         m.value(QStringLiteral("value"))});
        }
        s.contextMatch = list;
    }
    return s;
}

QByteArray selectorSubscriptionJson(const SelectorSubscription &sub)
{
    QByteArray out = "{\"id\":\"" + uuidText(sub.id) + "\",\"owner_id\":\"" + uuidText(sub.owner)
        + "\",\"agent_id\":\"" + uuidText(sub.agent) + "\",\"selector\":{\"any_tags\":";
    appendOptionalList(out, sub.selector.anyTags);
    out.append(",\"all_tags\":");
    appendOptionalList(out, sub.selector.allTags);
    out.append(",\"schema_name\":");
    if (sub.selector.schemaName)
        appendJsonString(out, *sub.selector.schemaName);
    else
        out.append("null");
    out.append(",\"context_match\":");
    if (sub.selector.contextMatch) {
        out.append('[');
        bool first = true;
        for (const ContextMatch &m : *sub.selector.contextMatch) {
            if (!first)
                out.append(',');
            first = false;
            out.append("{\"path\":");
            appendJsonString(out, m.path);
            out.append(",\"op\":");
            appendJsonString(out, m.op);
            out.append(",\"value\":");
            appendCanonicalJson(out, m.value);
            out.append('}');
        }
        out.append(']');
    } else {
        out.append("null");
    }
    out.append("}}");
    return out;
}

QList<SelectorSubscription> SelectorRegistry::forAgent(const QUuid &owner, const QUuid &agent) const
{
    QList<SelectorSubscription> result;
    for (const auto &s : m_all)
        if (s.owner == owner && s.agent == agent)
            result.append(s);
    return result;
}

QHash<QUuid, int> SelectorRegistry::matchCounts(const Breadcrumb &b, const QUuid &writerOwner) const
{
    QHash<QUuid, int> counts;
    QJsonValue context;
    bool parsed = false;
    for (const auto &s : m_all) {
        if (s.owner != writerOwner)
            continue;
        if (s.selector.needsContext() && !parsed) {
            QString ignored;
            parseJsonValue(b.context, context, ignored);
            parsed = true;
        }
        if (s.selector.matches(b, context))
            ++counts[s.agent];
    }
    return counts;
}

} // namespace rcrt::sim
