// The /breadcrumbs handlers of RestApi (rcrt-protocol.md §1.3).
#include "restapi.h"

#include "breadcrumbstore.h"
#include "breadcrumbviews.h"
#include "breadcrumbwriter.h"
#include "restbodies.h"

#include <limits>

namespace rcrt::sim {
namespace {

HttpResponse badQuery(const QByteArray &message)
{
    return HttpResponse::text(400, "Failed to deserialize query string: " + message);
}

struct ListQuery
{
    std::optional<QByteArray> tag;
    std::optional<QByteArray> schemaName;
    std::optional<qint64> limit;
    std::optional<qint64> offset;
    bool includeContext = false;
};

// serde_urlencoded into the list's query struct: unknown keys ignored, repeats refused.
std::optional<ListQuery> parseListQuery(const HttpRequest &request, HttpResponse &failure)
{
    ListQuery q;
    QList<QByteArray> seen;
    for (const auto &[key, value] : request.query) {
        const bool known = key == "tag" || key == "schema_name" || key == "limit"
            || key == "offset" || key == "include_context";
        if (!known)
            continue;
        if (seen.contains(key)) {
            failure = badQuery("duplicate field `" + key + '`');
            return std::nullopt;
        }
        seen.append(key);
        if (key == "tag") {
            q.tag = value;
        } else if (key == "schema_name") {
            q.schemaName = value;
        } else if (key == "include_context") {
            if (value != "true" && value != "false") {
                failure = badQuery("provided string was not `true` or `false`");
                return std::nullopt;
            }
            q.includeContext = value == "true";
        } else {
            bool ok = false;
            const qint64 number = value.toLongLong(&ok);
            if (!ok) {
                failure = badQuery(value.isEmpty() ? "cannot parse integer from empty string"
                                                   : "invalid digit found in string");
                return std::nullopt;
            }
            (key == "limit" ? q.limit : q.offset) = number;
        }
    }
    return q;
}

std::optional<QUuid> parsePathId(const QByteArray &text, HttpResponse &failure)
{
    const QUuid id = QUuid::fromString(QLatin1String(text));
    if (id.isNull() && text != "00000000-0000-0000-0000-000000000000") {
        failure = HttpResponse::text(400, "Invalid URL: UUID parsing failed: invalid character or length in `"
                                              + text + '`');
        return std::nullopt;
    }
    return id;
}

} // namespace

HttpResponse RestApi::listBreadcrumbs(const HttpRequest &request)
{
    // No auth and no owner filter, like the real list (§1.3).
    HttpResponse failure;
    const auto q = parseListQuery(request, failure);
    if (!q)
        return failure;
    const qint64 limit = q->limit ? qMax<qint64>(1, *q->limit) : std::numeric_limits<qint64>::max();
    qint64 skip = q->offset ? qMax<qint64>(0, *q->offset) : 0;
    qint64 emitted = 0;
    QByteArray out = "[";
    m_store.forEachNewestFirst([&](const Breadcrumb &b) {
        if (q->tag && !b.hasTag(*q->tag))
            return true;
        if (q->schemaName && b.schemaName != q->schemaName)
            return true;
        if (skip > 0) {
            --skip;
            return true;
        }
        if (emitted > 0)
            out.append(',');
        appendListItem(out, b, q->includeContext);
        return ++emitted < limit;
    });
    out.append(']');
    return HttpResponse::json(200, out);
}

HttpResponse RestApi::createBreadcrumb(const HttpRequest &request)
{
    HttpResponse failure;
    const auto identity = authenticate(request, failure);
    if (!identity)
        return failure;
    const auto body = jsonBody(request, failure);
    if (!body)
        return failure;
    auto fields = parseCreate(*body, failure);
    if (!fields)
        return failure;
    if (!identity->hasAnyRole("emitter", "curator"))
        return HttpResponse::text(403, "emitter role required");
    if (const auto key = request.header("idempotency-key")) {
        if (!m_store.recordIdempotencyKey(*key))
            return HttpResponse::text(409, "duplicate idempotency key");
    }
    const Breadcrumb &created = m_writer.create(*identity, std::move(*fields));
    return HttpResponse::json(200, "{\"id\":\"" + created.idText + "\"}");
}

HttpResponse RestApi::breadcrumbById(const HttpRequest &request, const QByteArray &idText,
                                     const QByteArray &suffix)
{
    const QByteArray &method = request.method;
    const bool allowed = suffix.isEmpty() ? (method == "GET" || method == "PATCH" || method == "DELETE")
                                          : method == "GET";
    if (!allowed)
        return HttpResponse::empty(405);
    HttpResponse failure;
    const auto identity = authenticate(request, failure);
    if (!identity)
        return failure;
    const auto id = parsePathId(idText, failure);
    if (!id)
        return failure;

    const Breadcrumb *row = m_store.find(*id);
    const bool visible = row && row->owner == identity->owner;
    if (suffix == "/history")
        return HttpResponse::json(200, visible ? historyView(*row) : QByteArray("[]"));
    if (method == "GET") {
        if (!visible)
            return HttpResponse::text(404, "not found");
        return HttpResponse::json(200, suffix.isEmpty() ? contextView(*row) : fullView(*row));
    }
    if (method == "DELETE") {
        return m_writer.remove(*identity, *id) ? HttpResponse::json(200, "{\"ok\":true}")
                                               : HttpResponse::text(404, "not found");
    }

    // PATCH: If-Match with surrounding quotes trimmed; unparsable values are ignored (§1.3).
    std::optional<int> ifMatch;
    if (const auto header = request.header("if-match")) {
        QByteArray text = *header;
        while (text.startsWith('"'))
            text.remove(0, 1);
        while (text.endsWith('"'))
            text.chop(1);
        bool ok = false;
        const int version = text.toInt(&ok);
        if (ok)
            ifMatch = version;
    }
    const auto body = jsonBody(request, failure);
    if (!body)
        return failure;
    auto patch = parsePatch(*body, failure);
    if (!patch)
        return failure;
    switch (m_writer.patch(*identity, *id, std::move(*patch), ifMatch)) {
    case BreadcrumbWriter::PatchOutcome::Ok: return HttpResponse::json(200, "{\"ok\":true}");
    case BreadcrumbWriter::PatchOutcome::VersionMismatch:
        return HttpResponse::text(412, "version_mismatch");
    case BreadcrumbWriter::PatchOutcome::NotFound:
        return HttpResponse::text(500, "no rows returned by a query that expected to return at least one row");
    }
    return HttpResponse::empty(500);
}

} // namespace rcrt::sim
