#include "breadcrumbstore.h"

namespace rcrt::sim {

Breadcrumb *BreadcrumbStore::insert(std::unique_ptr<Breadcrumb> breadcrumb)
{
    Breadcrumb *row = breadcrumb.get();
    row->orderSeq = nextSeq();
    m_byUpdated.emplace(OrderKey{row->updatedAt, row->orderSeq}, row);
    m_rows[row->id] = std::move(breadcrumb);
    evictOverflow();
    return row;
}

Breadcrumb *BreadcrumbStore::find(const QUuid &id) const
{
    const auto it = m_rows.find(id);
    return it == m_rows.end() ? nullptr : it->second.get();
}

void BreadcrumbStore::reindex(Breadcrumb *breadcrumb, qint64 previousUpdatedAt, quint64 previousSeq)
{
    m_byUpdated.erase(OrderKey{previousUpdatedAt, previousSeq});
    breadcrumb->orderSeq = nextSeq();
    m_byUpdated.emplace(OrderKey{breadcrumb->updatedAt, breadcrumb->orderSeq}, breadcrumb);
}

bool BreadcrumbStore::remove(const QUuid &id)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return false;
    m_byUpdated.erase(OrderKey{it->second->updatedAt, it->second->orderSeq});
    m_rows.erase(it);
    return true;
}

void BreadcrumbStore::forEachNewestFirst(const std::function<bool(const Breadcrumb &)> &visit) const
{
    for (auto it = m_byUpdated.rbegin(); it != m_byUpdated.rend(); ++it)
        if (!visit(*it->second))
            return;
}

int BreadcrumbStore::purgeExpired(qint64 nowMicros)
{
    QList<QUuid> expired;
    for (const auto &[id, row] : m_rows)
        if (row->ttl && *row->ttl < nowMicros)
            expired.append(id);
    for (const QUuid &id : expired)
        remove(id);
    return int(expired.size());
}

bool BreadcrumbStore::recordIdempotencyKey(const QByteArray &key)
{
    if (m_idempotencyKeys.contains(key))
        return false;
    m_idempotencyKeys.insert(key);
    return true;
}

void BreadcrumbStore::evictOverflow()
{
    while (int(m_rows.size()) > m_maxSize && !m_byUpdated.empty()) {
        const auto oldest = m_byUpdated.begin();
        const QUuid id = oldest->second->id;
        m_byUpdated.erase(oldest);
        m_rows.erase(id);
    }
}

} // namespace rcrt::sim
