#pragma once

#include <QtGlobal>

#include <memory>
#include <vector>

namespace rcrt {

// An open-addressing hash set of 32-bit handles (linear probing, backward-shift deletion),
// 8 bytes a bucket. The caller owns the keys: it passes a key's hash and a predicate that
// compares a stored handle with the key. Used by the id table and the intern pools, where
// QHash's per-node spans cost several cache misses and ~40 bytes per entry on a million keys.
class FlatIndex
{
public:
    static constexpr quint32 kNone = 0xFFFFFFFFu;

    // The handle whose key `equals` accepts, or kNone.
    template<typename Equals>
    quint32 find(quint32 hash, Equals &&equals) const
    {
        if (m_buckets.empty())
            return kNone;
        for (size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Bucket &b = m_buckets[i];
            if (b.handle == kNone)
                return kNone;
            if (b.hash == hash && equals(b.handle))
                return b.handle;
        }
    }

    // Adds a handle whose key is known to be absent.
    void insert(quint32 hash, quint32 handle)
    {
        if ((m_size + 1) * 4 > m_buckets.size() * 3)
            grow();
        place(hash, handle);
        ++m_size;
    }

    // Removes the handle stored under `hash`.
    void remove(quint32 hash, quint32 handle)
    {
        if (m_buckets.empty())
            return;
        size_t i = hash & m_mask;
        while (m_buckets[i].handle != handle) {
            if (m_buckets[i].handle == kNone)
                return;
            i = (i + 1) & m_mask;
        }
        // Backward-shift: move later members of the probe run into the gap so lookups never
        // stop early at it (no tombstones).
        size_t gap = i;
        for (size_t j = (i + 1) & m_mask; m_buckets[j].handle != kNone; j = (j + 1) & m_mask) {
            const size_t home = m_buckets[j].hash & m_mask;
            const bool canMove = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
            if (canMove) {
                m_buckets[gap] = m_buckets[j];
                gap = j;
            }
        }
        m_buckets[gap] = Bucket{};
        --m_size;
    }

    // Starts loading the bucket a find(hash) will read first (ahead of a batch's next event).
    void prefetch(quint32 hash) const
    {
        if (!m_buckets.empty())
            __builtin_prefetch(&m_buckets[hash & m_mask]);
    }

    size_t size() const { return m_size; }
    void clear()
    {
        m_buckets.clear();
        m_mask = 0;
        m_size = 0;
    }

private:
    struct Bucket
    {
        quint32 hash = 0;
        quint32 handle = kNone;
    };

    void place(quint32 hash, quint32 handle)
    {
        size_t i = hash & m_mask;
        while (m_buckets[i].handle != kNone)
            i = (i + 1) & m_mask;
        m_buckets[i] = Bucket{hash, handle};
    }

    void grow()
    {
        std::vector<Bucket> old = std::move(m_buckets);
        const size_t capacity = old.empty() ? 64 : old.size() * 2;
        m_buckets.assign(capacity, Bucket{});
        m_mask = capacity - 1;
        for (const Bucket &b : old)
            if (b.handle != kNone)
                place(b.hash, b.handle);
    }

    std::vector<Bucket> m_buckets;
    size_t m_mask = 0;
    size_t m_size = 0;
};

} // namespace rcrt
