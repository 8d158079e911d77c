#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace rcrt {

// The claims the console reads from an RCRT token (rcrt-protocol.md §2.2). Client-side decoding
// only: the signature is NOT checked; the server does that. We read `exp` to refresh in time.
struct JwtClaims
{
    std::optional<qint64> exp; // unix seconds
    std::optional<qint64> iat; // unix seconds
    QString sub; // agent id
    QString ownerId;
    QStringList roles;
};

// Decodes the payload (second base64url segment) of a compact JWS. Returns nullopt and sets
// *error when the token is not three dot-separated segments or the payload is not a JSON object.
std::optional<JwtClaims> decodeJwtClaims(QStringView token, QString *error = nullptr);

// A short, non-reversible label for logs and the UI ("sha256:1a2b3c4d"): tokens are never logged.
QString tokenFingerprint(QStringView token);

} // namespace rcrt
