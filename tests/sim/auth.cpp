#include "auth.h"

#include "fastrandom.h"
#include "httprequest.h"
#include "jsonwriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace rcrt::sim {
namespace {

const QByteArrayList kAllRoles{"curator", "emitter", "subscriber"};

HttpResponse unauthorized(const QByteArray &text) { return HttpResponse::text(401, text); }

// The first access_token= or token= pair of the raw query, percent-decoded without turning
// '+' into a space (rcrt-protocol.md §2.1).
std::optional<QByteArray> queryToken(const QByteArray &rawQuery)
{
    const QList<QByteArray> pairs = rawQuery.split('&');
    for (const QByteArray &pair : pairs) {
        if (pair.startsWith("access_token="))
            return percentDecode(QByteArrayView(pair).sliced(13), false);
        if (pair.startsWith("token="))
            return percentDecode(QByteArrayView(pair).sliced(6), false);
    }
    return std::nullopt;
}

bool isUuidText(const QString &text)
{
    const QUuid uuid = QUuid::fromString(text);
    if (!uuid.isNull())
        return true;
    return text == QStringLiteral("00000000-0000-0000-0000-000000000000");
}

} // namespace

Authenticator::Authenticator(const SimOptions &options)
    : m_mode(options.auth),
      m_disabledIdentity{options.ownerId, options.agentId, kAllRoles},
      m_leewaySecs(options.jwtLeewayS),
      m_defaultTtlSecs(options.tokenTtlS)
{
}

std::optional<Identity> Authenticator::authenticate(const HttpRequest &request,
                                                    HttpResponse &failure) const
{
    if (m_mode == AuthMode::Disabled)
        return m_disabledIdentity;

    QByteArray token;
    if (const auto header = request.header("authorization")) {
        if (!header->startsWith("Bearer ")) {
            failure = unauthorized("invalid Authorization header");
            return std::nullopt;
        }
        token = header->mid(7).trimmed();
    } else if (const auto fromQuery = queryToken(request.rawQuery)) {
        token = *fromQuery;
    } else {
        failure = unauthorized("missing Authorization");
        return std::nullopt;
    }

    const JwtCheck check = verifyJwt(m_key, token, QDateTime::currentSecsSinceEpoch(), m_leewaySecs);
    if (!check.ok) {
        failure = unauthorized("invalid token: " + check.errorKind);
        return std::nullopt;
    }
    const QJsonValue sub = check.claims.value(QStringLiteral("sub"));
    const QJsonValue owner = check.claims.value(QStringLiteral("owner_id"));
    if (!sub.isString() || !owner.isString()) {
        failure = unauthorized(QByteArray("invalid token: Json(Error(\"missing field `")
                               + (sub.isString() ? "owner_id" : "sub") + "`\"))");
        return std::nullopt;
    }
    if (!isUuidText(owner.toString())) {
        failure = unauthorized("invalid owner_id in token");
        return std::nullopt;
    }
    if (!isUuidText(sub.toString())) {
        failure = unauthorized("invalid sub in token");
        return std::nullopt;
    }
    Identity identity{QUuid::fromString(owner.toString()), QUuid::fromString(sub.toString()), {}};
    const QJsonArray roles = check.claims.value(QStringLiteral("roles")).toArray();
    for (const QJsonValue &role : roles)
        identity.roles.append(role.toString().toUtf8());
    return identity;
}

QByteArray Authenticator::mint(const QUuid &owner, const QUuid &agent, const QByteArrayList &roles,
                               qint64 ttlSecs, qint64 *expOut) const
{
    const qint64 iat = QDateTime::currentSecsSinceEpoch();
    if (expOut)
        *expOut = iat + ttlSecs;
    QByteArray claims = "{\"sub\":\"" + uuidText(agent) + "\",\"owner_id\":\"" + uuidText(owner)
        + "\",\"roles\":";
    appendJsonStringArray(claims, roles);
    claims += ",\"iat\":" + QByteArray::number(iat) + ",\"exp\":" + QByteArray::number(iat + ttlSecs)
        + '}';
    return m_key.sign(claims);
}

HttpResponse Authenticator::mintToken(const QByteArray &body) const
{
    QJsonValue value;
    QString error;
    if (!parseJsonValue(body, value, error))
        return HttpResponse::text(400, "Failed to parse the request body as JSON: " + error.toUtf8());
    const QByteArray shapeError = "Failed to deserialize the JSON body into the target type: ";
    if (!value.isObject())
        return HttpResponse::text(422, shapeError + "invalid type: expected struct TokenRequest");
    const QJsonObject object = value.toObject();
    for (const char *field : {"owner_id", "agent_id"}) {
        const QJsonValue v = object.value(QLatin1String(field));
        if (v.isUndefined())
            return HttpResponse::text(422, shapeError + "missing field `" + field + '`');
        if (!v.isString())
            return HttpResponse::text(422, shapeError + field + ": invalid type, expected a string");
    }
    QByteArrayList roles = kAllRoles;
    const QJsonValue rolesValue = object.value(QStringLiteral("roles"));
    if (!rolesValue.isUndefined() && !rolesValue.isNull()) {
        if (!rolesValue.isArray())
            return HttpResponse::text(422, shapeError + "roles: invalid type, expected a sequence");
        roles.clear();
        const QJsonArray array = rolesValue.toArray();
        for (const QJsonValue &role : array) {
            if (!role.isString())
                return HttpResponse::text(422, shapeError + "roles: invalid type, expected a string");
            roles.append(role.toString().toUtf8());
        }
    }
    qint64 ttl = m_defaultTtlSecs;
    const QJsonValue ttlValue = object.value(QStringLiteral("ttl_sec"));
    if (!ttlValue.isUndefined() && !ttlValue.isNull()) {
        if (!ttlValue.isDouble() || ttlValue.toDouble() != double(qint64(ttlValue.toDouble())))
            return HttpResponse::text(422, shapeError + "ttl_sec: invalid type, expected i64");
        ttl = qint64(ttlValue.toDouble());
    }
    const QString ownerText = object.value(QStringLiteral("owner_id")).toString();
    const QString agentText = object.value(QStringLiteral("agent_id")).toString();
    if (!isUuidText(ownerText))
        return HttpResponse::text(400, "invalid owner_id format");
    if (!isUuidText(agentText))
        return HttpResponse::text(400, "invalid agent_id format");
    const QUuid owner = QUuid::fromString(ownerText);
    const QUuid agent = QUuid::fromString(agentText);
    qint64 exp = 0;
    const QByteArray token = mint(owner, agent, roles, ttl, &exp);
    QByteArray out = "{\"token\":\"" + token + "\",\"owner_id\":\""
        + uuidText(owner) + "\",\"agent_id\":\"" + uuidText(agent) + "\",\"roles\":";
    appendJsonStringArray(out, roles);
    out += ",\"exp\":" + QByteArray::number(exp) + '}';
    return HttpResponse::json(200, out);
}

} // namespace rcrt::sim
