#include "jwt.h"

#include <QJsonDocument>
#include <QJsonParseError>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace rcrt::sim {

struct Rs256Key::Key
{
    EVP_PKEY *pkey = nullptr;
};

Rs256Key::Rs256Key()
    : m_pending(std::async(std::launch::async, []() -> Key * {
          EVP_PKEY *pkey = EVP_RSA_gen(2048);
          return pkey ? new Key{pkey} : nullptr;
      }))
{
}

Rs256Key::~Rs256Key()
{
    if (Key *k = key()) {
        EVP_PKEY_free(k->pkey);
        delete k;
    }
}

Rs256Key::Key *Rs256Key::key() const
{
    if (m_pending.valid())
        m_key = m_pending.get();
    return m_key;
}

QByteArray Rs256Key::publicKeyPem() const
{
    if (!key())
        return {};
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key()->pkey);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QByteArray pem(data, size);
    BIO_free(bio);
    return pem;
}

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray Rs256Key::sign(const QByteArray &claimsJson) const
{
    static const QByteArray header = base64Url(R"({"alg":"RS256","typ":"JWT"})");
    const QByteArray input = header + '.' + base64Url(claimsJson);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t length = 0;
    QByteArray signature;
    if (key() && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key()->pkey) == 1
        && EVP_DigestSign(ctx, nullptr, &length,
                          reinterpret_cast<const unsigned char *>(input.constData()),
                          size_t(input.size())) == 1) {
        signature.resize(qsizetype(length));
        if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(signature.data()), &length,
                           reinterpret_cast<const unsigned char *>(input.constData()),
                           size_t(input.size())) != 1)
            signature.clear();
        signature.resize(qsizetype(length));
    }
    EVP_MD_CTX_free(ctx);
    return input + '.' + base64Url(signature);
}

bool Rs256Key::verify(QByteArrayView signingInput, const QByteArray &signature) const
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    const bool ok = key() && EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key()->pkey) == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(signature.constData()),
                            size_t(signature.size()),
                            reinterpret_cast<const unsigned char *>(signingInput.data()),
                            size_t(signingInput.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

namespace {

bool decodeSegment(QByteArrayView segment, QByteArray &out)
{
    auto result = QByteArray::fromBase64Encoding(
        segment.toByteArray(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return false;
    out = *result;
    return true;
}

JwtCheck failed(const char *kind) { return JwtCheck{false, kind, {}}; }

} // namespace

JwtCheck verifyJwt(const Rs256Key &key, QByteArrayView token, qint64 nowSecs, int leewaySecs)
{
    // Same order of checks as jsonwebtoken::decode: shape, header alg, signature, claims.
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = token.lastIndexOf('.');
    if (dot1 < 0 || dot2 == dot1 || token.sliced(dot1 + 1, dot2 - dot1 - 1).contains('.'))
        return failed("InvalidToken");
    QByteArray headerJson, claimsJson, signature;
    if (!decodeSegment(token.first(dot1), headerJson))
        return failed("Base64(InvalidByte)");
    QJsonParseError parseError;
    const QJsonDocument header = QJsonDocument::fromJson(headerJson, &parseError);
    if (!header.isObject())
        return failed("Json(Error(\"invalid header\"))");
    if (header.object().value(QStringLiteral("alg")).toString() != QStringLiteral("RS256"))
        return failed("InvalidAlgorithm");
    if (!decodeSegment(token.sliced(dot2 + 1), signature))
        return failed("Base64(InvalidByte)");
    if (!key.verify(token.first(dot2), signature))
        return failed("InvalidSignature");
    if (!decodeSegment(token.sliced(dot1 + 1, dot2 - dot1 - 1), claimsJson))
        return failed("Base64(InvalidByte)");
    const QJsonDocument claims = QJsonDocument::fromJson(claimsJson, &parseError);
    if (!claims.isObject())
        return failed("Json(Error(\"invalid claims\"))");
    const QJsonObject object = claims.object();
    const QJsonValue exp = object.value(QStringLiteral("exp"));
    if (exp.isUndefined())
        return failed("MissingRequiredClaim(\"exp\")");
    if (!exp.isDouble())
        return failed("InvalidClaimFormat(\"exp\")");
    if (qint64(exp.toDouble()) < nowSecs - leewaySecs)
        return failed("ExpiredSignature");
    if (object.contains(QStringLiteral("aud")))
        return failed("InvalidAudience");
    return JwtCheck{true, {}, object};
}

} // namespace rcrt::sim
