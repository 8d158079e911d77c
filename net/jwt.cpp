#include "net/jwt.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace rcrt {

namespace {

std::optional<qint64> secondsClaim(const QJsonValue &value)
{
    // NumericDate: a JSON number, possibly with a fraction.
    if (!value.isDouble())
        return std::nullopt;
    return static_cast<qint64>(value.toDouble());
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

std::optional<JwtClaims> decodeJwtClaims(QStringView token, QString *error)
{
    const QStringView trimmed = token.trimmed();
    const auto parts = trimmed.split(u'.');
    if (parts.size() != 3 || parts.at(1).isEmpty()) {
        fail(error, QStringLiteral("not a JWT (expected three dot-separated segments)"));
        return std::nullopt;
    }
    const auto decoded = QByteArray::fromBase64Encoding(
        parts.at(1).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        fail(error, QStringLiteral("JWT payload is not base64url"));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        fail(error, QStringLiteral("JWT payload is not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject payload = doc.object();
    JwtClaims claims;
    claims.exp = secondsClaim(payload.value(QLatin1String("exp")));
    claims.iat = secondsClaim(payload.value(QLatin1String("iat")));
    claims.sub = payload.value(QLatin1String("sub")).toString();
    claims.ownerId = payload.value(QLatin1String("owner_id")).toString();
    const QJsonArray roles = payload.value(QLatin1String("roles")).toArray();
    for (const QJsonValue &role : roles)
        claims.roles.append(role.toString());
    return claims;
}

QString tokenFingerprint(QStringView token)
{
    if (token.isEmpty())
        return {};
    const QByteArray digest =
        QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex().left(8);
    return QLatin1String("sha256:") + QString::fromLatin1(digest);
}

} // namespace rcrt
