#pragma once

#include <QList>
#include <QtGlobal>

#include <deque>
#include <memory>

namespace rcrt {

// Ascending record seqs for one index key (a tag, a schema). Appends at the back, drops at the
// front as the store evicts its oldest record. The first seq lives inline and the rest only
// exists once needed, so the many keys that only ever see one record (e.g. each response's
// `request:<id>` tag) take 16 bytes and no allocation.
class SeqList
{
public:
    bool isEmpty() const { return m_head < 0; }
    qsizetype size() const { return m_head < 0 ? 0 : 1 + (m_tail ? m_tail->size() : 0); }
    qint64 front() const { return m_head; }

    void append(qint64 seq)
    {
        if (m_head < 0) {
            m_head = seq;
            return;
        }
        if (!m_tail)
            m_tail = std::make_unique<std::deque<qint64>>();
        m_tail->push_back(seq);
    }

    void popFront()
    {
        if (!m_tail) {
            m_head = -1;
        } else {
            m_head = m_tail->front();
            m_tail->pop_front();
            if (m_tail->empty())
                m_tail.reset(); // give the block back
        }
    }

    QList<qint64> toList() const
    {
        QList<qint64> list;
        if (m_head < 0)
            return list;
        list.reserve(size());
        list.append(m_head);
        if (m_tail)
            list.append(QList<qint64>(m_tail->begin(), m_tail->end()));
        return list;
    }

private:
    qint64 m_head = -1;
    // A deque, not a QList: popping the front must give memory back as the store evicts, and
    // a deque frees whole blocks where a QList would keep its high-water capacity.
    std::unique_ptr<std::deque<qint64>> m_tail; // 8 bytes while unused
};

} // namespace rcrt
