#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <algorithm>
#include <cstring>

namespace rcrt {

// Byte strings carved out of large shared blocks: for event payloads, one allocation per few
// megabytes instead of one per event, and the bytes copied once, from the read buffer into
// their final place; for the id texts of a batch's records, one per few dozen.
//
// Each string taken is an ordinary QByteArray (NUL-terminated, implicitly shared, safe to
// hand to other threads) that shares its block's reference count, so a block is freed when
// its last payload is; a writer detaches as with any shared QByteArray. The cost: one payload
// kept alone keeps its whole block alive, so use it where most payloads are kept in arrival
// order (the EventStore), and copy out the few kept elsewhere for long.
//
class PayloadArena
{
public:
    static constexpr qsizetype kPayloadBlockBytes = 4 * 1024 * 1024;

    explicit PayloadArena(qsizetype blockBytes = kPayloadBlockBytes) : m_blockBytes(blockBytes) {}
    Q_DISABLE_COPY_MOVE(PayloadArena) // two writers must never share a block

    // Room for `n` more bytes of the open payload; write them and call commit(n).
    char *reserve(qsizetype n)
    {
        const qsizetype needed = m_openSize + n + 1; // + NUL
        if (m_base == nullptr || m_cap - m_open < needed)
            newBlock(needed);
        return m_base + m_open + m_openSize;
    }
    void commit(qsizetype n) { m_openSize += n; }
    void append(const char *p, qsizetype n)
    {
        std::memcpy(reserve(n), p, size_t(n));
        commit(n);
    }

    qsizetype openSize() const { return m_openSize; }
    // Drops the last `n` bytes of the open payload.
    void chop(qsizetype n) { m_openSize -= std::min(n, m_openSize); }
    // Forgets the open payload.
    void discard() { m_openSize = 0; }

    // Closes the open payload and returns it (a null QByteArray when nothing was appended).
    QByteArray take()
    {
        if (m_base == nullptr)
            return QByteArray();
        char *begin = m_base + m_open;
        begin[m_openSize] = '\0';
        QByteArray::DataPointer &block = m_block.data_ptr();
        block.d_ptr()->ref();
        QByteArray out(QByteArray::DataPointer(block.d_ptr(), begin, m_openSize));
        m_open += m_openSize + 1;
        m_openSize = 0;
        return out;
    }

private:
    void newBlock(qsizetype needed)
    {
        const qsizetype cap = std::max(m_blockBytes, 2 * needed);
        QByteArray block(cap, Qt::Uninitialized);
        char *base = block.data_ptr().data();
        if (m_openSize > 0)
            std::memcpy(base, m_base + m_open, size_t(m_openSize));
        m_block = std::move(block); // drops this arena's reference to the old block
        m_base = base;
        m_cap = cap;
        m_open = 0;
    }

    qsizetype m_blockBytes;
    QByteArray m_block;     // this arena's reference to the current block
    char *m_base = nullptr; // its bytes (read through data_ptr(): never detaches)
    qsizetype m_cap = 0;
    qsizetype m_open = 0;     // where the open payload starts
    qsizetype m_openSize = 0; // its bytes so far
};

} // namespace rcrt
