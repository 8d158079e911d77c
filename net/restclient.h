#pragma once

#include "net/restcall.h"
#include "net/restresult.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QUrl>
#include <QUrlQuery>

#include <optional>

class QNetworkAccessManager;

namespace rcrt {

class HttpTransport;
class TokenProvider;

// Query of `GET /breadcrumbs` (§1.3 List). Filters are ANDed; other params are ignored there.
struct BreadcrumbListQuery
{
    QString tag; // empty: no filter
    QString schemaName; // empty: no filter
    std::optional<int> limit; // absent: the server returns everything
    std::optional<int> offset;
    bool includeContext = false; // true → the long item shape with `context`
};

// Async client for the RCRT REST API (rcrt-protocol.md §1). Never blocks: every method returns a
// RestCall at once; its finished(RestResult) arrives later on this object's thread. Bodies are
// passed through raw (callers decode), so both list shapes and odd server answers survive.
//
// Authenticated calls carry `Authorization: Bearer <token>` when the TokenProvider has one. A 401
// while the provider can mint → one token refresh and one retry (the SDK's rule, §2.3).
// `GET /breadcrumbs`, `GET /health` are unauthenticated on the server and sent without a token.
//
// Calls go over an HttpTransport of this client (kept-alive HTTP/1.1 connections driven by this
// thread's event loop; ~10x cheaper per call than QNetworkAccessManager on loopback) whenever it
// can carry the URL: http or https without a proxy. Otherwise, or with the transport turned off
// (setHttpTransportEnabled(false), or RCRT_REST_TRANSPORT=qnam in the environment), they go over
// the QNetworkAccessManager. Results, errors and the 401 rule are the same on both paths.
class RestClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestClient)

public:
    using ListQuery = BreadcrumbListQuery;
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    // nam and tokens are not owned; tokens may be null (no auth at all).
    RestClient(QNetworkAccessManager *nam, QUrl baseUrl, TokenProvider *tokens,
               QObject *parent = nullptr);
    ~RestClient() override;

    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &baseUrl) { m_baseUrl = baseUrl; }
    // Transfer timeout for every call (0 disables). Default 30000 ms.
    void setTransferTimeoutMs(int ms) { m_transferTimeoutMs = ms; }
    int transferTimeoutMs() const { return m_transferTimeoutMs; }
    void setHttpTransportEnabled(bool enabled) { m_httpEnabled = enabled; }
    bool httpTransportEnabled() const { return m_httpEnabled; }
    // Its limits (answer sizes) and counters.
    HttpTransport *httpTransport() const { return m_http; }

    RestCall *health(); // GET /health
    RestCall *listBreadcrumbs(const ListQuery &query = {}); // GET /breadcrumbs, raw JSON array
    RestCall *getBreadcrumb(const QString &id); // GET /breadcrumbs/{id} (context view)
    RestCall *getBreadcrumbFull(const QString &id); // GET /breadcrumbs/{id}/full
    RestCall *getHistory(const QString &id); // GET /breadcrumbs/{id}/history
    // POST /breadcrumbs; result.createdId() gives the new id. 409 on a repeated key.
    RestCall *createBreadcrumb(const QByteArray &jsonBody, const QString &idempotencyKey = {});
    // PATCH /breadcrumbs/{id}; with ifMatchVersion a stale version gives 412 (isVersionMismatch).
    RestCall *updateBreadcrumb(const QString &id, const QByteArray &jsonBody,
                               std::optional<int> ifMatchVersion = {});
    RestCall *deleteBreadcrumb(const QString &id); // DELETE /breadcrumbs/{id}

    // Any other endpoint (agents, selectors, metrics...). `path` is relative to the base URL,
    // e.g. "/agents". A non-empty body is sent as application/json.
    RestCall *send(const QByteArray &verb, const QString &path, const QUrlQuery &query = {},
                   const QByteArray &jsonBody = {}, const Headers &extraHeaders = {},
                   bool authenticated = true);

    // base + path (+ query), keeping a base path prefix such as "http://host/api".
    static QUrl endpointUrl(const QUrl &baseUrl, const QString &path,
                            const QUrlQuery &query = {});

private:
    RestCall *start(const QByteArray &verb, const QUrl &url, const QByteArray &jsonBody,
                    const Headers &extraHeaders, bool authenticated);
    static QString idPath(const QString &id, const QString &suffix = {});

    // First child: destroyed before the calls, which then find it gone and cancel nothing.
    HttpTransport *m_http = nullptr;
    QPointer<QNetworkAccessManager> m_nam;
    QUrl m_baseUrl;
    QPointer<TokenProvider> m_tokens;
    int m_transferTimeoutMs = 30000;
    bool m_httpEnabled = true;
};

} // namespace rcrt
