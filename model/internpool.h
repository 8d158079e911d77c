#pragma once

#include <QByteArray>
#include <QHash>

#include <string_view>
#include <vector>

namespace rcrt {

// Reference-counted string interning: one QByteArray per distinct text, addressed by a small
// key, so a million stored events carry 4-byte keys instead of a string per schema/tag/owner.
// Key 0 means "none". Keys of released strings are reused. Not thread-safe.
class InternPool
{
public:
    using Key = quint32;

    InternPool() { m_entries.push_back({}); } // key 0

    // Returns the key of `text`, adding it if new, and takes one reference.
    Key acquire(std::string_view text)
    {
        const QByteArray probe = QByteArray::fromRawData(text.data(), qsizetype(text.size()));
        if (const auto it = m_index.constFind(probe); it != m_index.constEnd()) {
            ++m_entries[it.value()].refs;
            return it.value();
        }
        Key key;
        if (!m_free.empty()) {
            key = m_free.back();
            m_free.pop_back();
        } else {
            key = Key(m_entries.size());
            m_entries.push_back({});
        }
        Entry &entry = m_entries[key];
        entry.text = QByteArray(text.data(), qsizetype(text.size()));
        entry.refs = 1;
        m_index.insert(entry.text, key);
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
        m_index.remove(entry.text);
        entry.text = QByteArray();
        m_free.push_back(key);
        return true;
    }

    Key find(std::string_view text) const
    {
        return m_index.value(QByteArray::fromRawData(text.data(), qsizetype(text.size())), 0);
    }

    const QByteArray &text(Key key) const { return m_entries[key].text; }
    quint32 refs(Key key) const { return m_entries[key].refs; }
    size_t keyLimit() const { return m_entries.size(); } // every key is below this
    qsizetype size() const { return m_index.size(); }

    template<typename F>
    void forEach(F &&f) const
    {
        for (auto it = m_index.constBegin(); it != m_index.constEnd(); ++it)
            f(it.value(), it.key());
    }

    void clear()
    {
        m_entries.assign(1, {});
        m_index.clear();
        m_free.clear();
    }

private:
    struct Entry
    {
        QByteArray text;
        quint32 refs = 0;
    };
    std::vector<Entry> m_entries;
    QHash<QByteArray, Key> m_index;
    std::vector<Key> m_free;
};

} // namespace rcrt
