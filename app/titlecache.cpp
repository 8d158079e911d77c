#include "app/titlecache.h"

#include "net/restclient.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>

namespace rcrt {

namespace {

qint64 steadyMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

TitleCache::TitleCache(RestClient *client, QObject *parent) : TitleCache(client, Options{}, parent) {}

TitleCache::TitleCache(RestClient *client, const Options &options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(options)
{
    m_cache.setMaxCost(std::max(1, options.capacity));
}

TitleCache::~TitleCache()
{
    for (const QPointer<RestCall> &call : std::as_const(m_inFlight)) {
        if (call) {
            disconnect(call, nullptr, this, nullptr);
            call->abort();
        }
    }
}

void TitleCache::setClient(RestClient *client)
{
    m_client = client;
    pump();
}

RestClient *TitleCache::client() const
{
    return m_client;
}

QString TitleCache::deletedMarker()
{
    return QCoreApplication::translate("TitleCache", "(deleted)");
}

std::optional<QString> TitleCache::title(const QByteArray &id) const
{
    if (const Entry *entry = m_cache.object(id))
        return entry->deleted ? deletedMarker() : entry->title;
    return std::nullopt;
}

bool TitleCache::isDeleted(const QByteArray &id) const
{
    const Entry *entry = m_cache.object(id);
    return entry && entry->deleted;
}

void TitleCache::insert(const QByteArray &id, const QString &title)
{
    if (const Entry *entry = m_cache.object(id); entry && !entry->deleted && entry->title == title)
        return;
    store(id, title, false);
}

bool TitleCache::wanted(const QByteArray &id) const
{
    if (id.isEmpty() || m_cache.contains(id) || m_inFlight.contains(id))
        return false;
    const auto retry = m_retryAfterMs.constFind(id);
    return retry == m_retryAfterMs.constEnd() || *retry <= steadyMs();
}

void TitleCache::requestVisible(const QList<QByteArray> &ids)
{
    m_queue.clear();
    m_queuedIds.clear();
    for (const QByteArray &id : ids) {
        if (qsizetype(m_queue.size()) >= m_options.maxQueued)
            break;
        if (wanted(id) && !m_queuedIds.contains(id)) {
            m_queue.push_back(id);
            m_queuedIds.insert(id);
        }
    }
    pump();
}

void TitleCache::request(const QByteArray &id)
{
    if (!wanted(id) || m_queuedIds.contains(id))
        return;
    m_queue.push_back(id);
    m_queuedIds.insert(id);
    while (qsizetype(m_queue.size()) > m_options.maxQueued) {
        m_queuedIds.remove(m_queue.front());
        m_queue.pop_front();
    }
    pump();
}

void TitleCache::clear()
{
    m_cache.clear();
    m_queue.clear();
    m_queuedIds.clear();
    m_retryAfterMs.clear();
}

void TitleCache::pump()
{
    if (!m_client)
        return;
    while (inFlight() < m_options.maxInFlight && !m_queue.empty()) {
        const QByteArray id = m_queue.front();
        m_queue.pop_front();
        m_queuedIds.remove(id);
        if (!wanted(id))
            continue;
        RestCall *call = m_client->getBreadcrumbFull(QString::fromLatin1(id));
        m_inFlight.insert(id, call);
        connect(call, &RestCall::finished, this,
                [this, id](const RestResult &result) { onFinished(id, result); });
    }
}

void TitleCache::onFinished(const QByteArray &id, const RestResult &result)
{
    m_inFlight.remove(id);
    if (result.ok()) {
        const QJsonDocument doc = QJsonDocument::fromJson(result.body);
        const QJsonValue title = doc.object().value(QLatin1String("title"));
        if (title.isString()) {
            store(id, title.toString(), false);
        } else {
            // Not the /full shape: do not hammer the server with the same question.
            m_retryAfterMs.insert(id, steadyMs() + m_options.retryAfterMs);
            emit fetchFailed(id, tr("no title in the /full answer"));
        }
    } else if (result.isNotFound()) {
        store(id, {}, true);
    } else {
        if (m_retryAfterMs.size() > 10 * m_options.maxQueued)
            m_retryAfterMs.clear(); // bounded; forgetting only means an earlier retry
        m_retryAfterMs.insert(id, steadyMs() + m_options.retryAfterMs);
        emit fetchFailed(id, result.error);
    }
    pump();
}

void TitleCache::store(const QByteArray &id, const QString &title, bool deleted)
{
    m_retryAfterMs.remove(id);
    m_cache.insert(id, new Entry{title, deleted});
    emit titleReady(id, deleted ? deletedMarker() : title);
}

} // namespace rcrt
