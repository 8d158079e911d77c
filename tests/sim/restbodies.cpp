#include "restbodies.h"

#include "httprequest.h"
#include "jsonwriter.h"
#include "timestamps.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rcrt::sim {
namespace {

// Reads the optional fields CreateReq and UpdateReq share; absent and null both mean "none".
class FieldReader
{
public:
    explicit FieldReader(const QJsonObject &object) : m_object(object) {}

    bool failed() const { return !m_error.isEmpty(); }
    QByteArray error() const { return m_error; }

    std::optional<QByteArray> string(const char *name)
    {
        const QJsonValue v = m_object.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isString()) {
            fail(name, "invalid type: expected a string");
            return std::nullopt;
        }
        return v.toString().toUtf8();
    }

    std::optional<QByteArrayList> stringList(const char *name)
    {
        const QJsonValue v = m_object.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isArray()) {
            fail(name, "invalid type: expected a sequence");
            return std::nullopt;
        }
        QByteArrayList list;
        const QJsonArray array = v.toArray();
        for (const QJsonValue &item : array) {
            if (!item.isString()) {
                fail(name, "invalid type: expected a string");
                return std::nullopt;
            }
            list.append(item.toString().toUtf8());
        }
        return list;
    }

    std::optional<QByteArray> json(const char *name)
    {
        const QJsonValue v = m_object.value(QLatin1String(name));
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        return canonicalJson(v);
    }

    std::optional<qint64> timestamp(const char *name)
    {
        const std::optional<QByteArray> text = string(name);
        if (!text)
            return std::nullopt;
        qint64 micros = 0;
        if (!parseRfc3339(*text, micros)) {
            fail(name, "input contains invalid characters");
            return std::nullopt;
        }
        return micros;
    }

    std::optional<Visibility> visibility()
    {
        // Only exact lower-case names count; anything else is ignored (§1.3).
        const auto text = string("visibility");
        if (text == "public")
            return Visibility::Public;
        if (text == "team")
            return Visibility::Team;
        if (text == "private")
            return Visibility::Private;
        return std::nullopt;
    }

    std::optional<Sensitivity> sensitivity()
    {
        const auto text = string("sensitivity");
        if (text == "low")
            return Sensitivity::Low;
        if (text == "pii")
            return Sensitivity::Pii;
        if (text == "secret")
            return Sensitivity::Secret;
        return std::nullopt;
    }

private:
    void fail(const char *name, const char *what)
    {
        if (m_error.isEmpty())
            m_error = QByteArray(name) + ": " + what;
    }

    const QJsonObject &m_object;
    QByteArray m_error;
};

bool isJsonContentType(const QByteArray &value)
{
    const QByteArray essence = value.split(';').first().trimmed().toLower();
    return essence == "application/json"
        || (essence.startsWith("application/") && essence.endsWith("+json"));
}

} // namespace

HttpResponse unprocessable(const QByteArray &message)
{
    return HttpResponse::text(422, "Failed to deserialize the JSON body into the target type: " + message);
}

std::optional<QJsonValue> jsonBody(const HttpRequest &request, HttpResponse &failure)
{
    if (!isJsonContentType(request.header("content-type").value_or(QByteArray()))) {
        failure = HttpResponse::text(415, "Expected request with `Content-Type: application/json`");
        return std::nullopt;
    }
    QJsonValue value;
    QString error;
    if (!parseJsonValue(request.body, value, error)) {
        failure = HttpResponse::text(400, "Failed to parse the request body as JSON: " + error.toUtf8());
        return std::nullopt;
    }
    return value;
}

std::optional<NewBreadcrumb> parseCreate(const QJsonValue &body, HttpResponse &failure)
{
    if (!body.isObject()) {
        failure = unprocessable("invalid type: expected struct CreateReq at line 1 column 1");
        return std::nullopt;
    }
    const QJsonObject object = body.toObject();
    FieldReader r(object);
    NewBreadcrumb f;
    const auto title = r.string("title");
    const auto tags = r.stringList("tags");
    f.schemaName = r.string("schema_name");
    f.description = r.string("description");
    f.semanticVersion = r.string("semantic_version");
    f.llmHints = r.json("llm_hints").value_or(QByteArray());
    f.visibility = r.visibility();
    f.sensitivity = r.sensitivity();
    f.ttl = r.timestamp("ttl");
    if (r.failed()) {
        failure = unprocessable(r.error());
        return std::nullopt;
    }
    // A required field given as null is a type error in serde; absent is "missing field".
    for (const char *name : {"title", "context", "tags"}) {
        const QJsonValue v = object.value(QLatin1String(name));
        if (v.isUndefined()) {
            failure = unprocessable(QByteArray("missing field `") + name + '`');
            return std::nullopt;
        }
        if (v.isNull() && qstrcmp(name, "context") != 0) {
            failure = unprocessable(QByteArray(name) + ": invalid type: null");
            return std::nullopt;
        }
    }
    f.title = *title;
    f.tags = *tags;
    f.context = canonicalJson(object.value(QStringLiteral("context")));
    return f;
}

std::optional<BreadcrumbPatch> parsePatch(const QJsonValue &body, HttpResponse &failure)
{
    if (!body.isObject()) {
        failure = unprocessable("invalid type: expected struct UpdateReq at line 1 column 1");
        return std::nullopt;
    }
    const QJsonObject object = body.toObject();
    FieldReader r(object);
    BreadcrumbPatch p;
    p.title = r.string("title");
    p.description = r.string("description");
    p.semanticVersion = r.string("semantic_version");
    p.context = r.json("context");
    p.tags = r.stringList("tags");
    p.schemaName = r.string("schema_name");
    p.llmHints = r.json("llm_hints");
    p.visibility = r.visibility();
    p.sensitivity = r.sensitivity();
    p.ttl = r.timestamp("ttl");
    if (r.failed()) {
        failure = unprocessable(r.error());
        return std::nullopt;
    }
    return p;
}

} // namespace rcrt::sim
