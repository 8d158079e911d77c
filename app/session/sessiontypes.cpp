#include "app/session/sessiontypes.h"

#include <QRegularExpression>
#include <QUrlQuery>

namespace rcrt {

QString sessionLogKindName(SessionLogKind kind)
{
    switch (kind) {
    case SessionLogKind::Connect: return QStringLiteral("connect");
    case SessionLogKind::Disconnect: return QStringLiteral("disconnect");
    case SessionLogKind::Error: return QStringLiteral("error");
    case SessionLogKind::Backfill: return QStringLiteral("backfill");
    case SessionLogKind::Info: return QStringLiteral("info");
    case SessionLogKind::Probe: return QStringLiteral("probe");
    }
    return QStringLiteral("info");
}

SessionLogKind sessionLogKindFromName(QStringView name)
{
    for (SessionLogKind kind : {SessionLogKind::Connect, SessionLogKind::Disconnect,
                                SessionLogKind::Error, SessionLogKind::Backfill,
                                SessionLogKind::Info, SessionLogKind::Probe}) {
        if (name == sessionLogKindName(kind))
            return kind;
    }
    return SessionLogKind::Info;
}

namespace {
bool isCredentialKey(const QString &key)
{
    const QString k = key.toLower();
    return k == QLatin1String("token") || k == QLatin1String("access_token");
}
} // namespace

QString sanitizeServerUrl(const QUrl &url)
{
    QUrl clean = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment);
    if (clean.hasQuery()) {
        QUrlQuery query(clean);
        const auto items = query.queryItems(QUrl::FullyEncoded);
        QUrlQuery kept;
        for (const auto &item : items) {
            if (!isCredentialKey(QUrl::fromPercentEncoding(item.first.toUtf8())))
                kept.addQueryItem(item.first, item.second);
        }
        if (kept.isEmpty())
            clean = clean.adjusted(QUrl::RemoveQuery);
        else
            clean.setQuery(kept.query(QUrl::FullyEncoded), QUrl::StrictMode);
    }
    return clean.toString(QUrl::FullyEncoded);
}

QString scrubCredentials(QString text)
{
    static const QRegularExpression token(QStringLiteral("((?:access_)?token=)[^&\\s\"']+"),
                                          QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bearer(QStringLiteral("(Bearer\\s+)[A-Za-z0-9._~+/=-]+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression userInfo(QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s@]+@"));
    text.replace(userInfo, QStringLiteral("\\1"));
    text.replace(token, QStringLiteral("\\1***"));
    text.replace(bearer, QStringLiteral("\\1***"));
    return text;
}

} // namespace rcrt
