#pragma once

#include <QByteArray>
#include <QJsonObject>

#include <future>
#include <memory>

namespace rcrt::sim {

// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signing and verification with an RSA key generated
// at startup: the sim's tokens are real JWTs that any JWT library accepts. The 2048-bit key is
// generated on a worker thread (it can take a second on a busy machine) so the server is
// listening at once; the first sign or verify waits for it.
class Rs256Key
{
public:
    Rs256Key();
    ~Rs256Key();
    Rs256Key(const Rs256Key &) = delete;
    Rs256Key &operator=(const Rs256Key &) = delete;

    bool isValid() const { return key() != nullptr; }
    QByteArray publicKeyPem() const;
    // header.claims.signature with header {"alg":"RS256","typ":"JWT"}.
    QByteArray sign(const QByteArray &claimsJson) const;
    bool verify(QByteArrayView signingInput, const QByteArray &signature) const;

private:
    struct Key;
    Key *key() const;

    mutable std::future<Key *> m_pending;
    mutable Key *m_key = nullptr;
};

// Outcome of checking a token like jsonwebtoken 9 with Validation::new(RS256).
struct JwtCheck
{
    bool ok = false;
    QByteArray errorKind; // e.g. ExpiredSignature, InvalidSignature, InvalidToken
    QJsonObject claims;
};

JwtCheck verifyJwt(const Rs256Key &key, QByteArrayView token, qint64 nowSecs, int leewaySecs);

QByteArray base64Url(const QByteArray &bytes);

} // namespace rcrt::sim
