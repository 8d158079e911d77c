#pragma once

#include "model/flatindex.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHashFunctions>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <vector>

namespace rcrt {

// Reference-counted string interning: one QByteArray per distinct text, addressed by a small
// key, so a million stored events carry 4-byte keys instead of a string per schema/tag/owner,
// and materialised envelopes share the pool's bytes. Key 0 means "none". Keys of released
// strings are reused. Not thread-safe.
class InternPool
{
public:
    using Key = quint32;

    InternPool() { m_entries.emplace_back(); } // key 0

    // Returns the key of `text`, adding it if new, and takes one reference.
    Key acquire(std::string_view text)
    {
        // Most texts repeat event after event (owner, schemas, workspace tags): a small
        // direct-mapped cache of recent keys skips the full hash and the table probe.
        Key &recent = m_recent[recentSlot(text)];
        if (recent != 0 && m_entries[recent].refs > 0 && equals(recent, text)) {
            ++m_entries[recent].refs;
            return recent;
        }
        const quint32 hash = hashOf(text);
        Key key = m_index.find(hash, [&](quint32 k) { return equals(k, text); });
        if (key != FlatIndex::kNone) {
            ++m_entries[key].refs;
            recent = key;
            return key;
        }
        if (!m_free.empty()) {
            key = m_free.back();
            m_free.pop_back();
        } else {
            key = Key(m_entries.size());
            m_entries.emplace_back();
        }
        Entry &entry = m_entries[key];
        entry.text = QByteArray(text.data(), qsizetype(text.size()));
        entry.refs = 1;
        entry.hash = hash;
        m_index.insert(hash, key);
        recent = key;
        return key;
    }

    // Drops one reference; returns true when that was the last one and the key is now free.
    bool release(Key key)
    {
        if (key == 0)
            return false;
        Entry &entry = m_entries[key];
        Q_ASSERT(entry.refs > 0);
        if (--entry.refs > 0)
            return false;
        m_index.remove(entry.hash, key);
        entry = Entry{};
        m_free.push_back(key);
        return true;
    }

    // 0 when absent.
    Key find(std::string_view text) const
    {
        const Key key = m_index.find(hashOf(text), [&](quint32 k) { return equals(k, text); });
        return key == FlatIndex::kNone ? 0 : key;
    }

    const QByteArray &text(Key key) const { return m_entries[key].text; }
    quint32 refs(Key key) const { return m_entries[key].refs; }
    qsizetype size() const { return qsizetype(m_index.size()); }

    template<typename F>
    void forEach(F &&f) const
    {
        for (size_t key = 1; key < m_entries.size(); ++key)
            if (m_entries[key].refs > 0)
                f(Key(key), m_entries[key].text);
    }

private:
    struct Entry
    {
        QByteArray text;
        quint32 refs = 0;
        quint32 hash = 0;
    };

    // From the length and the first and last 8 bytes: cheap, and enough to keep the few
    // frequent texts apart.
    static size_t recentSlot(std::string_view text)
    {
        quint64 head = 0;
        quint64 tail = 0;
        const size_t n = text.size();
        std::memcpy(&head, text.data(), std::min<size_t>(n, 8));
        if (n > 8)
            std::memcpy(&tail, text.data() + n - 8, 8);
        const quint64 mixed = (head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ n) * 0xFF51AFD7ED558CCDULL;
        return size_t(mixed >> (64 - kRecentBits));
    }

    static quint32 hashOf(std::string_view text)
    {
        const size_t h = qHash(QByteArrayView(text.data(), qsizetype(text.size())));
        return quint32(h ^ (quint64(h) >> 32));
    }

    bool equals(Key key, std::string_view text) const
    {
        const QByteArray &stored = m_entries[key].text;
        return std::string_view(stored.constData(), size_t(stored.size())) == text;
    }

    static constexpr int kRecentBits = 6;

    std::vector<Entry> m_entries;
    FlatIndex m_index;
    std::vector<Key> m_free;
    std::array<Key, size_t(1) << kRecentBits> m_recent{}; // 0: empty
};

} // namespace rcrt
