#include "model/latencyroundtrips.h"

#include "model/jsonspan.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rcrt {

namespace {

const QByteArray kRequestSchema = QByteArrayLiteral("tool.request.v1");
const QByteArray kResponseSchema = QByteArrayLiteral("tool.response.v1");
constexpr QByteArrayView kRequestTagPrefix = "request:";
constexpr QByteArrayView kLlmTag = "request:llm";

} // namespace

LatencyRoundTrips::LatencyRoundTrips()
    : LatencyRoundTrips(Options{})
{
}

LatencyRoundTrips::LatencyRoundTrips(const Options &options)
    : m_options(options)
{
}

std::optional<QByteArray> LatencyRoundTrips::contextString(QByteArrayView context, std::string_view key)
{
    const std::string_view text(context.data(), size_t(context.size()));
    const auto span = json::topLevelValueSpan(text, key);
    if (!span || span->length < 2 || text[span->offset] != '"')
        return std::nullopt;
    const QByteArrayView literal = context.sliced(qsizetype(span->offset), qsizetype(span->length));
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    if (!inner.contains('\\'))
        return inner.toByteArray();
    // Escapes are rare in ids and tool names; let Qt's parser undo them.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + literal.toByteArray() + "]");
    if (!doc.isArray() || !doc.array().at(0).isString())
        return std::nullopt;
    return doc.array().at(0).toString().toUtf8();
}

QByteArray LatencyRoundTrips::requestKeyOf(const EventRecord &request)
{
    if (auto id = contextString(request.context(), "requestId"); id && !id->isEmpty())
        return *id;
    return request.envelope.breadcrumbId;
}

QList<QByteArray> LatencyRoundTrips::responseKeysOf(const EventRecord &response)
{
    QList<QByteArray> keys;
    if (auto id = contextString(response.context(), "request_id"); id && !id->isEmpty())
        keys.append(*id);
    bool llm = false;
    for (const QByteArray &tag : response.envelope.tags) {
        if (tag == kLlmTag) {
            llm = true;
            continue;
        }
        if (tag.startsWith(kRequestTagPrefix) && tag.size() > kRequestTagPrefix.size()) {
            const QByteArray id = tag.sliced(kRequestTagPrefix.size());
            if (!keys.contains(id))
                keys.append(id);
        }
    }
    if (llm && keys.isEmpty())
        keys.append(QByteArrayLiteral("llm"));
    return keys;
}

std::optional<LatencyRoundTrips::RoundTrip> LatencyRoundTrips::add(const EventRecord &record)
{
    const Envelope &e = record.envelope;
    const bool isRequest = e.schemaName == kRequestSchema;
    if (!isRequest && e.schemaName != kResponseSchema)
        return std::nullopt;

    Side side;
    side.breadcrumbId = e.breadcrumbId;
    side.tool = contextString(record.context(), "tool").value_or(QByteArray());
    side.updatedAtNs = e.updatedAtNs;
    side.arrivalNs = record.first.arrivalNs;

    auto pair = [this](const QByteArray &key, const Side &request, const Side &response) {
        ++m_matched;
        return RoundTrip{request.tool.isEmpty() ? response.tool : request.tool, key,
                         request.updatedAtNs, response.updatedAtNs, request.arrivalNs,
                         response.arrivalNs};
    };

    if (isRequest) {
        const QByteArray key = requestKeyOf(record);
        if (auto it = m_responses.find(key); it != m_responses.end()) {
            const Side response = *it;
            m_responses.erase(it);
            return pair(key, side, response);
        }
        if (auto it = m_requests.find(key); it != m_requests.end() && it->breadcrumbId == side.breadcrumbId)
            return std::nullopt; // a later version of a request already pending
        insert(m_requests, m_requestOrder, m_options.maxPendingRequests, key, side);
        return std::nullopt;
    }

    const QList<QByteArray> keys = responseKeysOf(record);
    for (const QByteArray &key : keys) {
        if (auto it = m_requests.find(key); it != m_requests.end()) {
            const Side request = *it;
            m_requests.erase(it);
            return pair(key, request, side);
        }
    }
    if (!keys.isEmpty())
        insert(m_responses, m_responseOrder, m_options.maxWaitingResponses, keys.first(), side);
    return std::nullopt;
}

void LatencyRoundTrips::insert(Table &table, Order &order, qsizetype cap, const QByteArray &key, Side side)
{
    side.stamp = m_nextStamp++;
    table.insert(key, side);
    order.emplace_back(key, side.stamp);
    while (table.size() > cap && !order.empty()) {
        const auto [oldKey, stamp] = order.front();
        order.pop_front();
        if (auto it = table.find(oldKey); it != table.end() && it->stamp == stamp) {
            table.erase(it);
            ++m_evicted;
        }
    }
    // Matched entries leave stale order entries behind; compact before they pile up.
    if (order.size() > size_t(table.size()) * 2 + 1024) {
        Order live;
        for (const auto &entry : order)
            if (auto it = table.constFind(entry.first); it != table.constEnd() && it->stamp == entry.second)
                live.push_back(entry);
        order.swap(live);
    }
}

void LatencyRoundTrips::clear()
{
    m_requests.clear();
    m_responses.clear();
    m_requestOrder.clear();
    m_responseOrder.clear();
    m_matched = 0;
    m_evicted = 0;
}

} // namespace rcrt
