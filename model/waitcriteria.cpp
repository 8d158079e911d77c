#include "model/waitcriteria.h"

#include <QJsonArray>

namespace rcrt {

namespace {

struct OpName
{
    ContextMatch::Op op;
    QLatin1StringView name;
};

constexpr OpName kOps[] = {
    {ContextMatch::Op::Eq, QLatin1StringView("eq")},
    {ContextMatch::Op::Ne, QLatin1StringView("ne")},
    {ContextMatch::Op::Gt, QLatin1StringView("gt")},
    {ContextMatch::Op::Lt, QLatin1StringView("lt")},
    {ContextMatch::Op::Contains, QLatin1StringView("contains")},
};

QString opName(ContextMatch::Op op)
{
    for (const OpName &o : kOps)
        if (o.op == op)
            return o.name;
    return {};
}

// JSON equality with numbers compared by value (1 == 1.0), as JavaScript's === does for them.
bool jsonEquals(const QJsonValue &a, const QJsonValue &b)
{
    if (a.isDouble() && b.isDouble())
        return a.toDouble() == b.toDouble();
    return a == b;
}

// gt/lt: numbers by value, strings by code points; anything else never compares.
int compareOrdered(const QJsonValue &a, const QJsonValue &b, bool *comparable)
{
    *comparable = true;
    if (a.isDouble() && b.isDouble()) {
        const double x = a.toDouble(), y = b.toDouble();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.isString() && b.isString())
        return a.toString().compare(b.toString());
    *comparable = false;
    return 0;
}

bool holds(const ContextMatch &m, const QJsonObject &context)
{
    const QJsonValue actual = valueAtPath(context, m.path);
    switch (m.op) {
    case ContextMatch::Op::Eq:
        return !actual.isUndefined() && jsonEquals(actual, m.value);
    case ContextMatch::Op::Ne:
        return actual.isUndefined() || !jsonEquals(actual, m.value); // absent differs from anything
    case ContextMatch::Op::Gt:
    case ContextMatch::Op::Lt: {
        bool comparable = false;
        const int c = compareOrdered(actual, m.value, &comparable);
        return comparable && (m.op == ContextMatch::Op::Gt ? c > 0 : c < 0);
    }
    case ContextMatch::Op::Contains:
        if (actual.isArray()) {
            const QJsonArray items = actual.toArray();
            for (const QJsonValue &item : items)
                if (jsonEquals(item, m.value))
                    return true;
            return false;
        }
        return actual.isString() && m.value.isString()
            && actual.toString().contains(m.value.toString());
    }
    return false;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool readString(const QJsonObject &json, const QString &key, QString &out, QString *error)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined() || v.isNull())
        return true;
    if (!v.isString())
        return fail(error, QStringLiteral("`%1` must be a string").arg(key));
    out = v.toString();
    return true;
}

} // namespace

QJsonValue valueAtPath(const QJsonValue &root, const QString &path)
{
    QStringView rest(path);
    if (rest.startsWith(QLatin1StringView("$.")))
        rest = rest.mid(2); // selector-style "$.key"
    QJsonValue current = root;
    qsizetype i = 0;
    const qsizetype n = rest.size();
    if (n == 0)
        return current;
    while (i < n) {
        if (rest[i] == QLatin1Char('[')) {
            const qsizetype close = rest.indexOf(QLatin1Char(']'), i);
            if (close < 0)
                return QJsonValue(QJsonValue::Undefined);
            bool ok = false;
            const qsizetype index = rest.mid(i + 1, close - i - 1).toLongLong(&ok);
            if (!ok || index < 0 || !current.isArray() || index >= current.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toArray().at(index);
            i = close + 1;
            if (i < n && rest[i] == QLatin1Char('.'))
                ++i;
            continue;
        }
        qsizetype end = i;
        while (end < n && rest[end] != QLatin1Char('.') && rest[end] != QLatin1Char('['))
            ++end;
        if (end == i || !current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = current.toObject().value(rest.mid(i, end - i).toString());
        if (current.isUndefined())
            return current;
        i = end;
        if (i < n && rest[i] == QLatin1Char('.'))
            ++i;
    }
    return current;
}

bool WaitCriteria::matches(const QJsonObject &breadcrumb) const
{
    if (!schemaName.isEmpty() && breadcrumb.value(QLatin1StringView("schema_name")).toString() != schemaName)
        return false;
    if (!tags.isEmpty()) {
        const QJsonArray have = breadcrumb.value(QLatin1StringView("tags")).toArray();
        for (const QString &tag : tags) {
            bool found = false;
            for (const QJsonValue &t : have) {
                if (t.toString() == tag) {
                    found = true;
                    break;
                }
            }
            if (!found)
                return false;
        }
    }
    if (requestId.isEmpty() && contextMatch.isEmpty())
        return true;
    const QJsonValue contextValue = breadcrumb.value(QLatin1StringView("context"));
    if (!contextValue.isObject())
        return false;
    const QJsonObject context = contextValue.toObject();
    if (!requestId.isEmpty()) {
        const QJsonValue snake = context.value(QLatin1StringView("request_id"));
        const QJsonValue camel = context.value(QLatin1StringView("requestId"));
        if (!(snake.isString() && snake.toString() == requestId)
            && !(camel.isString() && camel.toString() == requestId))
            return false;
    }
    for (const ContextMatch &m : contextMatch)
        if (!holds(m, context))
            return false;
    return true;
}

std::optional<WaitCriteria> WaitCriteria::fromJson(const QJsonObject &json, QString *error)
{
    WaitCriteria c;
    if (!readString(json, QStringLiteral("schema_name"), c.schemaName, error)
        || !readString(json, QStringLiteral("request_id"), c.requestId, error))
        return std::nullopt;
    const QJsonValue tags = json.value(QLatin1StringView("tags"));
    if (!tags.isUndefined() && !tags.isNull()) {
        if (!tags.isArray()) {
            fail(error, QStringLiteral("`tags` must be an array of strings"));
            return std::nullopt;
        }
        const QJsonArray tagArray = tags.toArray();
        for (const QJsonValue &t : tagArray) {
            if (!t.isString()) {
                fail(error, QStringLiteral("`tags` must be an array of strings"));
                return std::nullopt;
            }
            c.tags.append(t.toString());
        }
    }
    const QJsonValue matches = json.value(QLatin1StringView("context_match"));
    if (!matches.isUndefined() && !matches.isNull()) {
        if (!matches.isArray()) {
            fail(error, QStringLiteral("`context_match` must be an array"));
            return std::nullopt;
        }
        const QJsonArray matchArray = matches.toArray();
        for (qsizetype i = 0; i < matchArray.size(); ++i) {
            const QJsonValue item = matchArray.at(i);
            const QJsonObject o = item.toObject();
            const QJsonValue path = o.value(QLatin1StringView("path"));
            const QJsonValue op = o.value(QLatin1StringView("op"));
            if (!item.isObject() || !path.isString() || path.toString().isEmpty()) {
                fail(error, QStringLiteral("`context_match[%1]` needs a non-empty string `path`").arg(i));
                return std::nullopt;
            }
            ContextMatch m;
            m.path = path.toString();
            m.value = o.value(QLatin1StringView("value"));
            bool known = false;
            for (const OpName &candidate : kOps) {
                if (op.isString() && op.toString() == candidate.name) {
                    m.op = candidate.op;
                    known = true;
                }
            }
            if (!known) {
                fail(error, QStringLiteral("`context_match[%1].op` must be one of eq, ne, gt, lt, contains")
                                .arg(i));
                return std::nullopt;
            }
            c.contextMatch.append(m);
        }
    }
    return c;
}

QJsonObject WaitCriteria::toJson() const
{
    QJsonObject json;
    if (!schemaName.isEmpty())
        json.insert(QStringLiteral("schema_name"), schemaName);
    if (!requestId.isEmpty())
        json.insert(QStringLiteral("request_id"), requestId);
    if (!tags.isEmpty())
        json.insert(QStringLiteral("tags"), QJsonArray::fromStringList(tags));
    if (!contextMatch.isEmpty()) {
        QJsonArray matches;
        for (const ContextMatch &m : contextMatch)
            matches.append(QJsonObject{{QStringLiteral("path"), m.path},
                                       {QStringLiteral("op"), opName(m.op)},
                                       {QStringLiteral("value"), m.value}});
        json.insert(QStringLiteral("context_match"), matches);
    }
    return json;
}

WaitCriteria WaitCriteria::responseTo(const QString &requestId)
{
    WaitCriteria c;
    c.schemaName = QStringLiteral("tool.response.v1");
    c.requestId = requestId;
    return c;
}

} // namespace rcrt
