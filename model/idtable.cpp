#include "model/idtable.h"

#include "model/payloadarena.h"

#include <QHashFunctions>

namespace rcrt {

IdTable::Key IdTable::keyOf(std::string_view id)
{
    Key key{};
    key.isUuid = UuidKey::parse(id, key.uuid);
    size_t h;
    if (key.isUuid) {
        h = qHash(key.uuid);
    } else {
        key.text = id;
        h = qHash(QByteArrayView(id.data(), qsizetype(id.size())));
    }
    key.hash = fold(h);
    return key;
}

quint32 IdTable::lookup(const Key &key) const
{
    return m_index.find(key.hash, [&](quint32 slot) {
        const Entry &e = m_entries[slot];
        if (key.isUuid)
            return !e.isText && e.uuid == key.uuid;
        return e.isText && textOf(e) == key.text;
    });
}

const IdTable::Entry *IdTable::find(std::string_view id) const
{
    const quint32 slot = lookup(keyOf(id));
    return slot == FlatIndex::kNone ? nullptr : &m_entries[slot];
}

quint32 IdTable::acquire(const Key &key)
{
    if (const quint32 slot = lookup(key); slot != FlatIndex::kNone)
        return slot;

    quint32 slot;
    if (!m_freeSlots.empty()) {
        slot = m_freeSlots.back();
        m_freeSlots.pop_back();
    } else {
        slot = quint32(m_entries.size());
        m_entries.emplace_back();
    }
    Entry &entry = m_entries[slot];
    entry = Entry{};
    if (key.isUuid) {
        entry.uuid = key.uuid;
    } else {
        entry.isText = true;
        if (!m_freeTexts.empty()) {
            entry.uuid.hi = m_freeTexts.back();
            m_freeTexts.pop_back();
        } else {
            entry.uuid.hi = m_texts.size();
            m_texts.emplace_back();
        }
        m_texts[size_t(entry.uuid.hi)] = QByteArray(key.text.data(), qsizetype(key.text.size()));
    }
    m_index.insert(key.hash, slot);
    return slot;
}

void IdTable::release(quint32 slot)
{
    Entry &entry = m_entries[slot];
    m_index.remove(entry.isText ? fold(qHash(QByteArrayView(m_texts[size_t(entry.uuid.hi)]))) : fold(qHash(entry.uuid)), slot);
    if (entry.isText) {
        m_texts[size_t(entry.uuid.hi)] = QByteArray();
        m_freeTexts.push_back(entry.uuid.hi);
    }
    entry = Entry{};
    m_freeSlots.push_back(slot);
}

QByteArray IdTable::text(quint32 slot) const
{
    const Entry &entry = m_entries[slot];
    return entry.isText ? m_texts[size_t(entry.uuid.hi)] : entry.uuid.toText();
}

QByteArray IdTable::text(quint32 slot, PayloadArena &arena) const
{
    const Entry &entry = m_entries[slot];
    if (entry.isText)
        return m_texts[size_t(entry.uuid.hi)];
    entry.uuid.writeText(arena.reserve(UuidKey::kTextSize));
    arena.commit(UuidKey::kTextSize);
    return arena.take();
}

} // namespace rcrt
