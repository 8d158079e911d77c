#pragma once

#include "auth.h"
#include "httpserver.h"

#include <QHash>
#include <QMap>

namespace rcrt::sim {

class BreadcrumbStore;
class BreadcrumbWriter;
class EventHub;
class SelectorRegistry;

// Routes and handlers of the real server's REST surface (rcrt-protocol.md §1) and the
// /events/stream entry (§3.1). Error bodies are plain text, as every real handler returns.
class RestApi
{
public:
    RestApi(const SimOptions &options, Authenticator &auth, BreadcrumbStore &store,
            SelectorRegistry &selectors, BreadcrumbWriter &writer, EventHub &hub);

    HttpResponse handle(HttpExchange &exchange);

private:
    HttpResponse route(HttpExchange &exchange);
    std::optional<Identity> authenticate(const HttpRequest &request, HttpResponse &failure);

    HttpResponse listBreadcrumbs(const HttpRequest &request);
    HttpResponse createBreadcrumb(const HttpRequest &request);
    HttpResponse breadcrumbById(const HttpRequest &request, const QByteArray &idText,
                                const QByteArray &suffix);
    HttpResponse selectors(const HttpRequest &request, const QByteArray &rest);
    HttpResponse stream(HttpExchange &exchange);
    HttpResponse agents(const HttpRequest &request, const QByteArray &rest);
    HttpResponse metrics() const;

    struct AgentRow
    {
        QUuid owner;
        QByteArrayList roles;
        qint64 createdAt = 0;
    };

    const SimOptions &m_options;
    Authenticator &m_auth;
    BreadcrumbStore &m_store;
    SelectorRegistry &m_selectors;
    BreadcrumbWriter &m_writer;
    EventHub &m_hub;
    QHash<QUuid, AgentRow> m_agents;
    QMap<QByteArray, qint64> m_requestCounts;
};

} // namespace rcrt::sim
