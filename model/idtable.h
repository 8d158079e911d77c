#pragma once

#include "model/flatindex.h"
#include "model/uuidkey.h"

#include <QByteArray>

#include <string_view>
#include <vector>

namespace rcrt {

class PayloadArena;

// The breadcrumb ids the EventStore holds records for, each in a reusable slot. UUID ids (all
// of them on the real wire) are kept as their 16 bytes; anything else as its text.
class IdTable
{
public:
    struct Entry
    {
        UuidKey uuid;           // for a non-UUID id, uuid.hi indexes m_texts
        qint64 newestSeq = -1;  // head of the id's record chain (EventStore's prevSameId)
        qint32 latestVersion = 0;
        quint32 live : 31 = 0;  // held records of this id
        quint32 isText : 1 = 0;
    };

    // An id parsed and hashed, for acquire(); its text view must outlive that call.
    struct Key
    {
        bool isUuid;
        UuidKey uuid;
        std::string_view text;
        quint32 hash;
    };
    // The key of `id`, with its first index bucket prefetched: a batch prepares its next
    // event's id while it files this one, so the (usually cache-missing) probe finds it loaded.
    Key prepare(std::string_view id) const
    {
        const Key key = keyOf(id);
        m_index.prefetch(key.hash);
        return key;
    }

    // The slot of `id`, created (with live == 0) if the id is new.
    quint32 acquire(std::string_view id) { return acquire(keyOf(id)); }
    quint32 acquire(const Key &key);
    const Entry *find(std::string_view id) const;
    // Frees the slot; call when its last record is gone.
    void release(quint32 slot);

    Entry &operator[](quint32 slot) { return m_entries[slot]; }
    const Entry &operator[](quint32 slot) const { return m_entries[slot]; }
    QByteArray text(quint32 slot) const;
    // The same, with a UUID's text written into `arena` (no allocation of its own).
    QByteArray text(quint32 slot, PayloadArena &arena) const;
    qsizetype size() const { return qsizetype(m_index.size()); }

private:
    static Key keyOf(std::string_view id);
    static quint32 fold(size_t h) { return quint32(h ^ (quint64(h) >> 32)); }
    std::string_view textOf(const Entry &e) const
    {
        const QByteArray &t = m_texts[size_t(e.uuid.hi)];
        return std::string_view(t.constData(), size_t(t.size()));
    }
    quint32 lookup(const Key &key) const;

    std::vector<Entry> m_entries;
    std::vector<quint32> m_freeSlots;
    std::vector<QByteArray> m_texts;
    std::vector<quint64> m_freeTexts;
    FlatIndex m_index;
};

} // namespace rcrt
