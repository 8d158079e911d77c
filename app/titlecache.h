#pragma once

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <deque>
#include <optional>

namespace rcrt {

class RestCall;
class RestClient;
struct RestResult;

// Lazy breadcrumb titles. SSE events carry no title (rcrt-protocol.md §3.4), so the events view
// asks for the titles of the rows the user can see, and this fetches them with
// `GET /breadcrumbs/{id}/full`: at most Options::maxInFlight requests at once, newest visible
// ids first, never blocking. Answers are cached by id in a bounded LRU; a 404 is cached as
// deletedMarker() so a deleted breadcrumb is not asked for again. Other failures are retried
// only after Options::retryAfterMs.
class TitleCache final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TitleCache)

public:
    struct Options
    {
        int maxInFlight = 4;
        int capacity = 20'000;     // cached titles (LRU)
        int maxQueued = 2'000;     // pending ids; the oldest are dropped beyond it
        int retryAfterMs = 30'000; // after a failure other than 404
    };

    // client may be null (replay): then nothing is fetched and only insert() fills the cache.
    explicit TitleCache(RestClient *client, QObject *parent = nullptr);
    TitleCache(RestClient *client, const Options &options, QObject *parent = nullptr);
    ~TitleCache() override;

    void setClient(RestClient *client);
    RestClient *client() const;
    const Options &options() const { return m_options; }

    // The cached title (deletedMarker() for a deleted breadcrumb); nullopt when not known yet.
    // Never starts a fetch.
    std::optional<QString> title(const QByteArray &id) const;
    bool isDeleted(const QByteArray &id) const;

    // A title learnt another way (e.g. a REST list item's `title`); emits titleReady if new.
    void insert(const QByteArray &id, const QString &title);

    // The ids on screen now, top to bottom. They go to the front of the queue; queued ids that
    // are no longer visible are dropped, so scrolling fast never builds a backlog.
    void requestVisible(const QList<QByteArray> &ids);
    // One id, queued behind the others.
    void request(const QByteArray &id);

    int inFlight() const { return int(m_inFlight.size()); }
    int queued() const { return int(m_queue.size()); }
    void clear();

    static QString deletedMarker();

signals:
    void titleReady(const QByteArray &id, const QString &title);
    void fetchFailed(const QByteArray &id, const QString &error);

private:
    struct Entry
    {
        QString title;
        bool deleted = false;
    };

    bool wanted(const QByteArray &id) const;
    void pump();
    void onFinished(const QByteArray &id, const RestResult &result);
    void store(const QByteArray &id, const QString &title, bool deleted);

    QPointer<RestClient> m_client;
    Options m_options;
    QCache<QByteArray, Entry> m_cache;
    std::deque<QByteArray> m_queue;
    QSet<QByteArray> m_queuedIds;
    QHash<QByteArray, QPointer<RestCall>> m_inFlight;
    QHash<QByteArray, qint64> m_retryAfterMs; // id → steady-clock ms before which it is not asked
};

} // namespace rcrt
