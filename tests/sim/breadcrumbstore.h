#pragma once

#include "breadcrumb.h"

#include <QHash>
#include <QSet>

#include <functional>
#include <map>
#include <memory>

namespace rcrt::sim {

// In-memory `breadcrumbs` table with an updated_at index for the list endpoint. Bounded:
// past maxSize the least recently updated rows are evicted silently (like hygiene: no event).
class BreadcrumbStore
{
public:
    explicit BreadcrumbStore(int maxSize) : m_maxSize(maxSize) {}
    ~BreadcrumbStore();
    BreadcrumbStore(const BreadcrumbStore &) = delete;
    BreadcrumbStore &operator=(const BreadcrumbStore &) = delete;

    Breadcrumb *insert(std::unique_ptr<Breadcrumb> breadcrumb);
    Breadcrumb *find(const QUuid &id) const;
    // Call after changing updatedAt so the list order follows.
    void reindex(Breadcrumb *breadcrumb, qint64 previousUpdatedAt, quint64 previousSeq);
    bool remove(const QUuid &id);
    int size() const { return int(m_rows.size()); }
    quint64 nextSeq() { return ++m_seq; }

    // Newest first by updated_at (ties: latest write first); stop when visit returns false.
    void forEachNewestFirst(const std::function<bool(const Breadcrumb &)> &visit) const;

    // Deletes rows whose ttl has passed; returns how many.
    int purgeExpired(qint64 nowMicros);

    // Idempotency-Key table: global, never cleaned (§1.3). False when the key exists.
    bool recordIdempotencyKey(const QByteArray &key);

private:
    using OrderKey = std::pair<qint64, quint64>;
    void evictOverflow();

    int m_maxSize;
    quint64 m_seq = 0;
    QHash<QUuid, Breadcrumb *> m_rows; // owning (QHash is much faster than unordered_map here)
    std::map<OrderKey, Breadcrumb *> m_byUpdated;
    QSet<QByteArray> m_idempotencyKeys;
};

} // namespace rcrt::sim
