// Client-side JWT payload decoding (no signature check), token fingerprints, refresh timing.
#include "net/jwt.h"
#include "net/tokenprovider.h"

#include <QTest>

using rcrt::decodeJwtClaims;
using rcrt::tokenFingerprint;

namespace {

QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A token shaped like the server's: RS256 header, claims, a (fake) signature segment.
QString makeToken(const QByteArray &payloadJson)
{
    return QString::fromLatin1(b64url(R"({"alg":"RS256","typ":"JWT"})") + '.'
                               + b64url(payloadJson) + '.' + b64url("not-a-real-signature"));
}

} // namespace

class TstJwtClaims : public QObject
{
    Q_OBJECT

private slots:
    void decodesServerClaims()
    {
        const QString token = makeToken(
            R"({"sub":"00000000-0000-0000-0000-0000000000bb","owner_id":"00000000-0000-0000-0000-000000000001","roles":["curator","emitter","subscriber"],"iat":1762510205,"exp":1762513805})");
        QString error;
        const auto claims = decodeJwtClaims(token, &error);
        QVERIFY2(claims, qPrintable(error));
        QCOMPARE(claims->sub, QStringLiteral("00000000-0000-0000-0000-0000000000bb"));
        QCOMPARE(claims->ownerId, QStringLiteral("00000000-0000-0000-0000-000000000001"));
        QCOMPARE(claims->roles, (QStringList{QStringLiteral("curator"), QStringLiteral("emitter"),
                                             QStringLiteral("subscriber")}));
        QCOMPARE(claims->iat, std::optional<qint64>(1762510205));
        QCOMPARE(claims->exp, std::optional<qint64>(1762513805));
    }

    void unpaddedPayloadsOfEveryLength_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<qint64>("exp");
        // 11, 12 and 13 bytes: base64 would need 1, 0 and 2 '=' of padding, which JWT omits.
        QTest::newRow("11 bytes") << QByteArray(R"({"exp":100})") << qint64(100);
        QTest::newRow("12 bytes") << QByteArray(R"({"exp":1000})") << qint64(1000);
        QTest::newRow("13 bytes") << QByteArray(R"({"exp":10000})") << qint64(10000);
        // '?' and '>' produce '/' and '+' in standard base64, i.e. '_' and '-' in base64url.
        QTest::newRow("url alphabet") << QByteArray(R"({"exp":7,"sub":"???>>>~~~"})") << qint64(7);
    }
    void unpaddedPayloadsOfEveryLength()
    {
        QFETCH(QByteArray, payload);
        QFETCH(qint64, exp);
        const QString token = makeToken(payload);
        QVERIFY(!token.contains(u'='));
        const auto claims = decodeJwtClaims(token);
        QVERIFY(claims);
        QCOMPARE(claims->exp, std::optional<qint64>(exp));
    }

    void urlAlphabetIsReallyExercised()
    {
        const QByteArray encoded = b64url(R"({"exp":7,"sub":"???>>>~~~"})");
        QVERIFY(encoded.contains('_') || encoded.contains('-'));
    }

    void surroundingWhitespaceIsIgnored()
    {
        const QString token = QStringLiteral("  ") + makeToken(R"({"exp":5})")
            + QStringLiteral("\n");
        const auto claims = decodeJwtClaims(token);
        QVERIFY(claims);
        QCOMPARE(claims->exp, std::optional<qint64>(5));
    }

    void missingExpIsAbsentNotZero()
    {
        const auto claims = decodeJwtClaims(makeToken(R"({"sub":"x"})"));
        QVERIFY(claims);
        QVERIFY(!claims->exp);
        QCOMPARE(claims->sub, QStringLiteral("x"));
    }

    void rejectsMalformedTokens_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("two segments") << QStringLiteral("abc.def");
        QTest::newRow("four segments") << QStringLiteral("a.b.c.d");
        QTest::newRow("not base64") << QStringLiteral("a.!!!!.c");
        QTest::newRow("not json") << QString::fromLatin1("a." + b64url("hello") + ".c");
        QTest::newRow("json array") << QString::fromLatin1("a." + b64url("[1,2]") + ".c");
    }
    void rejectsMalformedTokens()
    {
        QFETCH(QString, token);
        QString error;
        QVERIFY(!decodeJwtClaims(token, &error));
        QVERIFY(!error.isEmpty());
    }

    void fingerprintHidesTheToken()
    {
        const QString token = makeToken(R"({"exp":1})");
        const QString fp = tokenFingerprint(token);
        QVERIFY(fp.startsWith(QStringLiteral("sha256:")));
        QCOMPARE(fp.size(), 15);
        QVERIFY(!token.contains(fp.mid(7)));
        QCOMPARE(tokenFingerprint(token), fp);
        QVERIFY(tokenFingerprint(makeToken(R"({"exp":2})")) != fp);
        QVERIFY(tokenFingerprint(QString()).isEmpty());
    }

    void refreshDelayBeforeExpiry_data()
    {
        QTest::addColumn<qint64>("lifetimeMs");
        QTest::addColumn<qint64>("expectedMs");
        QTest::newRow("default 3600 s: 80 %") << qint64(3600'000) << qint64(2880'000);
        QTest::newRow("120 s: 60 s before") << qint64(120'000) << qint64(60'000);
        QTest::newRow("100 s: 80 % (margin would eat half)") << qint64(100'000) << qint64(80'000);
        QTest::newRow("3 s test token") << qint64(3000) << qint64(2400);
        QTest::newRow("tiny: floor") << qint64(500) << qint64(1000);
        QTest::newRow("already expired: floor") << qint64(-5000) << qint64(1000);
    }
    void refreshDelayBeforeExpiry()
    {
        QFETCH(qint64, lifetimeMs);
        QFETCH(qint64, expectedMs);
        QCOMPARE(rcrt::TokenProvider::refreshDelayMs(lifetimeMs), expectedMs);
    }

    void staticTokenExposesExpWithoutMinting()
    {
        rcrt::TokenProvider tokens(nullptr);
        const QString token = makeToken(R"({"exp":1762513805})");
        tokens.setStaticToken(QStringLiteral(" ") + token + QStringLiteral("\n"));
        QCOMPARE(tokens.mode(), rcrt::TokenProvider::Mode::Static);
        QVERIFY(!tokens.canMint());
        QCOMPARE(tokens.token(), token);
        QVERIFY(tokens.expiresAt());
        QCOMPARE(tokens.expiresAt()->toSecsSinceEpoch(), qint64(1762513805));
        QVERIFY(!tokens.nextRefreshAt());
        tokens.setNone();
        QVERIFY(!tokens.hasToken());
    }
};

QTEST_GUILESS_MAIN(TstJwtClaims)
#include "tst_jwtclaims.moc"
