#include "breadcrumbstore.h"

namespace rcrt::sim {

BreadcrumbStore::~BreadcrumbStore() { qDeleteAll(m_rows); }

Breadcrumb *BreadcrumbStore::insert(std::unique_ptr<Breadcrumb> breadcrumb)
{
    Breadcrumb *row = breadcrumb.release();
    row->orderSeq = nextSeq();
    m_byUpdated.emplace_hint(m_byUpdated.end(), OrderKey{row->updatedAt, row->orderSeq}, row);
    if (Breadcrumb *replaced = m_rows.value(row->id)) { // an id collision: keep the newer row
        m_byUpdated.erase(OrderKey{replaced->updatedAt, replaced->orderSeq});
        delete replaced;
    }
    m_rows.insert(row->id, row);
    evictOverflow();
    return row;
}

Breadcrumb *BreadcrumbStore::find(const QUuid &id) const { return m_rows.value(id); }

void BreadcrumbStore::reindex(Breadcrumb *breadcrumb, qint64 previousUpdatedAt, quint64 previousSeq)
{
    m_byUpdated.erase(OrderKey{previousUpdatedAt, previousSeq});
    breadcrumb->orderSeq = nextSeq();
    m_byUpdated.emplace(OrderKey{breadcrumb->updatedAt, breadcrumb->orderSeq}, breadcrumb);
}

bool BreadcrumbStore::remove(const QUuid &id)
{
    Breadcrumb *row = m_rows.take(id);
    if (!row)
        return false;
    m_byUpdated.erase(OrderKey{row->updatedAt, row->orderSeq});
    delete row;
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
    for (const Breadcrumb *row : std::as_const(m_rows))
        if (row->ttl && *row->ttl < nowMicros)
            expired.append(row->id);
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
        Breadcrumb *row = oldest->second;
        m_byUpdated.erase(oldest);
        m_rows.remove(row->id);
        delete row;
    }
}

} // namespace rcrt::sim
