#include "net/restclient.h"

#include "net/httptransport.h"
#include "net/tokenprovider.h"

#include <QNetworkAccessManager>

namespace rcrt {

namespace {

// QUrlQuery leaves '+' alone, which axum decodes as a space; encode every value ourselves.
QString encodeQuery(const QList<QPair<QString, QString>> &items)
{
    QString out;
    for (const auto &[key, value] : items) {
        if (!out.isEmpty())
            out += u'&';
        out += QString::fromLatin1(QUrl::toPercentEncoding(key)) + u'='
            + QString::fromLatin1(QUrl::toPercentEncoding(value));
    }
    return out;
}

} // namespace

RestClient::RestClient(QNetworkAccessManager *nam, QUrl baseUrl, TokenProvider *tokens,
                       QObject *parent)
    : QObject(parent)
    , m_http(new HttpTransport(nam, this))
    , m_nam(nam)
    , m_baseUrl(std::move(baseUrl))
    , m_tokens(tokens)
    , m_httpEnabled(qEnvironmentVariable("RCRT_REST_TRANSPORT") != QLatin1String("qnam"))
{
}

RestClient::~RestClient() = default;

QUrl RestClient::endpointUrl(const QUrl &baseUrl, const QString &path, const QUrlQuery &query)
{
    QUrl url = baseUrl;
    QString basePath = baseUrl.path(QUrl::FullyEncoded);
    while (basePath.endsWith(u'/'))
        basePath.chop(1);
    url.setPath(basePath + path, QUrl::TolerantMode);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    if (items.isEmpty())
        url.setQuery(QString());
    else
        url.setQuery(encodeQuery(items), QUrl::TolerantMode);
    return url;
}

QString RestClient::idPath(const QString &id, const QString &suffix)
{
    return QStringLiteral("/breadcrumbs/") + QString::fromLatin1(QUrl::toPercentEncoding(id))
        + suffix;
}

RestCall *RestClient::health()
{
    return start("GET", endpointUrl(m_baseUrl, QStringLiteral("/health")), {}, {}, false);
}

RestCall *RestClient::listBreadcrumbs(const ListQuery &query)
{
    QUrlQuery q;
    if (!query.tag.isEmpty())
        q.addQueryItem(QStringLiteral("tag"), query.tag);
    if (!query.schemaName.isEmpty())
        q.addQueryItem(QStringLiteral("schema_name"), query.schemaName);
    if (query.limit)
        q.addQueryItem(QStringLiteral("limit"), QString::number(*query.limit));
    if (query.offset)
        q.addQueryItem(QStringLiteral("offset"), QString::number(*query.offset));
    if (query.includeContext)
        q.addQueryItem(QStringLiteral("include_context"), QStringLiteral("true"));
    // The server has no auth on the list (§1.3), so no token is spent on it.
    return start("GET", endpointUrl(m_baseUrl, QStringLiteral("/breadcrumbs"), q), {}, {}, false);
}

RestCall *RestClient::getBreadcrumb(const QString &id)
{
    return start("GET", endpointUrl(m_baseUrl, idPath(id)), {}, {}, true);
}

RestCall *RestClient::getBreadcrumbFull(const QString &id)
{
    return start("GET", endpointUrl(m_baseUrl, idPath(id, QStringLiteral("/full"))), {}, {}, true);
}

RestCall *RestClient::getHistory(const QString &id)
{
    return start("GET", endpointUrl(m_baseUrl, idPath(id, QStringLiteral("/history"))), {}, {},
                 true);
}

RestCall *RestClient::createBreadcrumb(const QByteArray &jsonBody, const QString &idempotencyKey)
{
    Headers headers;
    if (!idempotencyKey.isEmpty())
        headers.append({QByteArrayLiteral("Idempotency-Key"), idempotencyKey.toUtf8()});
    return start("POST", endpointUrl(m_baseUrl, QStringLiteral("/breadcrumbs")), jsonBody, headers,
                 true);
}

RestCall *RestClient::updateBreadcrumb(const QString &id, const QByteArray &jsonBody,
                                       std::optional<int> ifMatchVersion)
{
    Headers headers;
    if (ifMatchVersion) // the server trims the quotes and parses an i32 (§1.3 Update)
        headers.append({QByteArrayLiteral("If-Match"),
                        '"' + QByteArray::number(*ifMatchVersion) + '"'});
    return start("PATCH", endpointUrl(m_baseUrl, idPath(id)), jsonBody, headers, true);
}

RestCall *RestClient::deleteBreadcrumb(const QString &id)
{
    return start("DELETE", endpointUrl(m_baseUrl, idPath(id)), {}, {}, true);
}

RestCall *RestClient::send(const QByteArray &verb, const QString &path, const QUrlQuery &query,
                           const QByteArray &jsonBody, const Headers &extraHeaders,
                           bool authenticated)
{
    return start(verb, endpointUrl(m_baseUrl, path, query), jsonBody, extraHeaders, authenticated);
}

RestCall *RestClient::start(const QByteArray &verb, const QUrl &url, const QByteArray &jsonBody,
                            const Headers &extraHeaders, bool authenticated)
{
    RestRequest request;
    request.verb = verb;
    request.url = url;
    request.body = jsonBody;
    request.sendsBody = !jsonBody.isEmpty() || verb == "POST" || verb == "PATCH" || verb == "PUT";
    request.headers = extraHeaders;
    request.timeoutMs = m_transferTimeoutMs;
    auto *call = new RestCall(std::move(request), m_nam, m_httpEnabled ? m_http : nullptr, m_tokens,
                              authenticated, this);
    call->send();
    return call;
}

} // namespace rcrt
