#include "restapi.h"

#include "breadcrumbstore.h"
#include "eventhub.h"
#include "fastrandom.h"
#include "jsonwriter.h"
#include "restbodies.h"
#include "selectors.h"
#include "simlog.h"
#include "timestamps.h"

#include <QTcpSocket>

#include <algorithm>

namespace rcrt::sim {

RestApi::RestApi(const SimOptions &options, Authenticator &auth, BreadcrumbStore &store,
                 SelectorRegistry &selectors, BreadcrumbWriter &writer, EventHub &hub)
    : m_options(options), m_auth(auth), m_store(store), m_selectors(selectors), m_writer(writer),
      m_hub(hub)
{
}

HttpResponse RestApi::handle(HttpExchange &exchange)
{
    HttpResponse response = route(exchange);
    QByteArray path = exchange.request.path.left(64);
    const QByteArray key = "method=\"" + exchange.request.method + "\",path=\"" + path
        + "\",status=\"" + QByteArray::number(exchange.takenOver ? 200 : response.status) + '"';
    ++m_requestCounts[key];
    return response;
}

std::optional<Identity> RestApi::authenticate(const HttpRequest &request, HttpResponse &failure)
{
    auto identity = m_auth.authenticate(request, failure);
    if (identity && m_auth.jwtMode()) {
        // Every authenticated request upserts the caller into `agents` (§2.1).
        auto it = m_agents.find(identity->agent);
        if (it == m_agents.end())
            m_agents.insert(identity->agent, AgentRow{identity->owner, identity->roles, nowMicros()});
        else
            it->roles = identity->roles;
    }
    return identity;
}

HttpResponse RestApi::route(HttpExchange &exchange)
{
    const HttpRequest &request = exchange.request;
    const QByteArray &method = request.method;
    const QByteArray &path = request.path;

    if (method == "OPTIONS") {
        // CorsLayer with any origin, method and header answers preflights itself.
        HttpResponse preflight = HttpResponse::empty(200);
        preflight.headers = {{"access-control-allow-methods", "*"},
                             {"access-control-allow-headers", "*"}};
        return preflight;
    }
    auto only = [&](std::initializer_list<const char *> allowed) {
        for (const char *m : allowed)
            if (method == m)
                return true;
        return false;
    };
    const HttpResponse notAllowed = HttpResponse::empty(405);

    if (path == "/health")
        return only({"GET", "HEAD"}) ? HttpResponse::text(200, "ok") : notAllowed;
    if (path == "/metrics")
        return only({"GET"}) ? metrics() : notAllowed;
    if (path == "/auth/token")
        return only({"POST"}) ? m_auth.mintToken(request.body) : notAllowed;
    if (path == "/events/stream")
        return only({"GET"}) ? stream(exchange) : notAllowed;
    if (path == "/breadcrumbs") {
        if (method == "GET")
            return listBreadcrumbs(request);
        if (method == "POST")
            return createBreadcrumb(request);
        return notAllowed;
    }
    if (path == "/breadcrumbs/search") {
        if (method != "GET")
            return notAllowed;
        HttpResponse failure;
        if (!authenticate(request, failure))
            return failure;
        return HttpResponse::json(200, "[]"); // no embeddings in the sim: like an embed failure
    }
    if (path.startsWith("/breadcrumbs/")) {
        const QByteArray rest = path.mid(13);
        const qsizetype slash = rest.indexOf('/');
        const QByteArray id = slash < 0 ? rest : rest.left(slash);
        const QByteArray suffix = slash < 0 ? QByteArray() : rest.mid(slash);
        if (!id.isEmpty() && (suffix.isEmpty() || suffix == "/full" || suffix == "/history"))
            return breadcrumbById(request, id, suffix);
    }
    if (path == "/subscriptions/selectors" || path.startsWith("/subscriptions/selectors/"))
        return selectors(request, path.mid(24));
    if (path == "/agents" || path.startsWith("/agents/"))
        return agents(request, path.mid(7));
    return HttpResponse::empty(404);
}

HttpResponse RestApi::stream(HttpExchange &exchange)
{
    HttpResponse failure;
    const auto identity = authenticate(exchange.request, failure);
    if (!identity)
        return failure;
    if (m_options.streamStatus != 0 && m_options.streamStatus != 200) {
        const int code = m_options.streamStatus;
        qCInfo(lcStream) << "answering /events/stream with fault status" << code;
        if (code == 204 || code == 304)
            return HttpResponse::empty(code);
        return HttpResponse::text(code, "rcrt-sim --stream-status " + QByteArray::number(code));
    }
    exchange.takenOver = true;
    m_hub.attach(exchange.socket, *identity, exchange.request, m_options.streamContentType);
    return {};
}

HttpResponse RestApi::selectors(const HttpRequest &request, const QByteArray &rest)
{
    HttpResponse failure;
    const auto identity = authenticate(request, failure);
    if (!identity)
        return failure;
    if (!rest.isEmpty()) {
        if (request.method != "PUT" && request.method != "DELETE")
            return HttpResponse::empty(405);
        // Both statements target a table no migration creates (§1.4).
        return HttpResponse::text(500, "error returned from database: relation \"selectors\" does not exist");
    }
    if (request.method == "GET") {
        if (!identity->hasAnyRole("subscriber", "curator"))
            return HttpResponse::text(403, "subscriber role required");
        QByteArray out = "[";
        const auto list = m_selectors.forAgent(identity->owner, identity->agent);
        for (const auto &s : list) {
            if (out.size() > 1)
                out.append(',');
            out.append(selectorSubscriptionJson(s));
        }
        return HttpResponse::json(200, out + ']');
    }
    if (request.method != "POST")
        return HttpResponse::empty(405);
    const auto body = jsonBody(request, failure);
    if (!body)
        return failure;
    QByteArray error;
    const auto selector = parseSelector(*body, error);
    if (!selector)
        return unprocessable(error);
    if (!identity->hasAnyRole("subscriber", "curator"))
        return HttpResponse::text(403, "subscriber role required");
    const SelectorSubscription subscription{QUuid::createUuid(), identity->owner, identity->agent,
                                            *selector};
    m_selectors.add(subscription);
    return HttpResponse::json(200, selectorSubscriptionJson(subscription));
}

HttpResponse RestApi::agents(const HttpRequest &request, const QByteArray &rest)
{
    HttpResponse failure;
    const auto identity = authenticate(request, failure);
    if (!identity)
        return failure;
    if (request.method != "GET")
        return HttpResponse::empty(405);
    auto rowJson = [](const QUuid &id, const AgentRow &row) {
        QByteArray out = "{\"id\":\"" + uuidText(id) + "\",\"roles\":";
        appendJsonStringArray(out, row.roles);
        return out + ",\"created_at\":\"" + formatTimestamp(row.createdAt) + "\"}";
    };
    if (rest.size() > 1) {
        const QUuid id = QUuid::fromString(QLatin1String(rest.mid(1)));
        const auto it = m_agents.constFind(id);
        if (it == m_agents.cend() || it->owner != identity->owner)
            return HttpResponse::text(404, "agent not found");
        return HttpResponse::json(200, rowJson(id, *it));
    }
    QList<QPair<qint64, QUuid>> order;
    for (auto it = m_agents.cbegin(); it != m_agents.cend(); ++it)
        if (it->owner == identity->owner)
            order.append({it->createdAt, it.key()});
    std::sort(order.begin(), order.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    QByteArray out = "[";
    for (const auto &entry : order) {
        if (out.size() > 1)
            out.append(',');
        out.append(rowJson(entry.second, m_agents.value(entry.second)));
    }
    return HttpResponse::json(200, out + ']');
}

HttpResponse RestApi::metrics() const
{
    QByteArray out = "# HELP http_requests_total Total HTTP requests\n# TYPE http_requests_total counter\n";
    for (auto it = m_requestCounts.cbegin(); it != m_requestCounts.cend(); ++it)
        out += "http_requests_total{" + it.key() + "} " + QByteArray::number(it.value()) + '\n';
    out += "# rcrt-sim: breadcrumbs " + QByteArray::number(m_store.size()) + ", open streams "
        + QByteArray::number(m_hub.streamCount()) + '\n';
    return HttpResponse{200, "text/plain; version=0.0.4", out, {}, false};
}

} // namespace rcrt::sim
