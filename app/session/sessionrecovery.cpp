#include "app/session/sessionrecovery.h"

#include "app/session/eventblock.h"
#include "app/session/sessionschema.h"

#include <QFile>
#include <QMap>

#include <algorithm>
#include <optional>

namespace rcrt {

namespace {

// One column value of an SQLite record.
struct Value
{
    enum Kind { Null, Int, Real, Text, Blob } kind = Null;
    qint64 i = 0;
    QByteArray bytes;
};

quint32 be(const uchar *p, int n)
{
    quint32 v = 0;
    for (int k = 0; k < n; ++k)
        v = (v << 8) | p[k];
    return v;
}

// SQLite varint; returns bytes used, 0 when it runs past `end`.
int readVarint(const uchar *p, const uchar *end, quint64 &out)
{
    quint64 v = 0;
    for (int k = 0; k < 9; ++k) {
        if (p + k >= end)
            return 0;
        if (k == 8) {
            out = (v << 8) | p[k];
            return 9;
        }
        v = (v << 7) | (p[k] & 0x7f);
        if (!(p[k] & 0x80)) {
            out = v;
            return k + 1;
        }
    }
    return 0;
}

// With `truncated`, the payload is only the start of the record: a blob or text that runs past
// its end is cut there and *truncated set, and decoding stops after it.
std::optional<QList<Value>> decodeRecord(const QByteArray &payload, bool *truncated = nullptr)
{
    const auto *p = reinterpret_cast<const uchar *>(payload.constData());
    const uchar *end = p + payload.size();
    quint64 headerSize = 0;
    int n = readVarint(p, end, headerSize);
    if (n == 0 || headerSize > quint64(payload.size()) || headerSize < quint64(n))
        return std::nullopt;
    const uchar *h = p + n;
    const uchar *hEnd = p + headerSize;
    const uchar *body = hEnd;
    QList<Value> values;
    while (h < hEnd) {
        quint64 type = 0;
        const int used = readVarint(h, hEnd, type);
        if (used == 0)
            return std::nullopt;
        h += used;
        Value v;
        qint64 size = 0;
        if (type == 0) {
            v.kind = Value::Null;
        } else if (type <= 6 || type == 8 || type == 9) {
            static constexpr int kIntBytes[] = {0, 1, 2, 3, 4, 6, 8};
            v.kind = Value::Int;
            if (type == 8 || type == 9) {
                v.i = qint64(type - 8);
            } else {
                size = kIntBytes[type];
                if (body + size > end)
                    return std::nullopt;
                quint64 raw = 0;
                for (qint64 k = 0; k < size; ++k)
                    raw = (raw << 8) | body[k];
                const int shift = int(64 - 8 * size);
                v.i = qint64(raw << shift) >> shift; // sign-extend
            }
        } else if (type == 7) {
            v.kind = Value::Real;
            size = 8;
        } else if (type >= 12) {
            v.kind = (type & 1) ? Value::Text : Value::Blob;
            size = qint64((type - (type & 1 ? 13 : 12)) / 2);
            if (body + size > end && truncated) {
                v.bytes = QByteArray(reinterpret_cast<const char *>(body), end - body);
                values.append(v);
                *truncated = true;
                return values;
            }
            if (body + size > end)
                return std::nullopt;
            v.bytes = QByteArray(reinterpret_cast<const char *>(body), size);
        } else {
            return std::nullopt; // 10, 11 are reserved
        }
        if (body + size > end)
            return std::nullopt;
        body += size;
        values.append(v);
    }
    return values;
}

bool shapeIs(const QList<Value> &values, std::initializer_list<Value::Kind> kinds)
{
    if (values.size() != qsizetype(kinds.size()))
        return false;
    qsizetype k = 0;
    for (Value::Kind kind : kinds) {
        if (values[k++].kind != kind)
            return false;
    }
    return true;
}

class Scanner
{
public:
    Scanner(const uchar *data, qint64 size, RecoveredSession &out)
        : m_data(data), m_size(size), m_out(out)
    {
    }

    void run()
    {
        readHeader();
        const qint64 pages = m_size / m_pageSize;
        if (m_size % m_pageSize != 0)
            m_out.problems << QStringLiteral("the file ends inside page %1: it was truncated")
                                  .arg(pages + 1);
        if (m_headerPages > pages)
            m_out.problems << QStringLiteral("only %1 of the %2 pages the header counts are "
                                             "present: the file was truncated")
                                  .arg(pages)
                                  .arg(m_headerPages);
        m_pages = pages;
        for (qint64 page = 1; page <= pages; ++page)
            scanPage(page);
        if (m_badCells > 0)
            m_out.problems << QStringLiteral("%1 damaged rows on %2 pages could not be read")
                                  .arg(m_badCells)
                                  .arg(m_badCellPages.size());
        finishEvents();
    }

private:
    void readHeader()
    {
        static const QByteArray magic("SQLite format 3", 16);
        const bool headerOk = m_size >= 100 && memcmp(m_data, magic.constData(), 16) == 0;
        if (!headerOk) {
            m_out.problems << QStringLiteral("the file header is damaged; assuming 4096-byte pages");
            return;
        }
        const quint32 pageSize = be(m_data + 16, 2);
        const qint64 size = pageSize == 1 ? 65536 : pageSize;
        if (size >= 512 && size <= 65536 && (size & (size - 1)) == 0)
            m_pageSize = size;
        else
            m_out.problems << QStringLiteral("the page size in the header is damaged; assuming 4096");
        const int reserved = m_data[20];
        if (m_pageSize - reserved >= 480)
            m_usable = m_pageSize - reserved;
        else
            m_usable = m_pageSize;
        m_headerPages = be(m_data + 28, 4);
        m_out.userVersion = int(be(m_data + 60, 4));
        m_out.isSession = int(be(m_data + 68, 4)) == sessionschema::kApplicationId;
    }

    const uchar *page(qint64 number) const { return m_data + (number - 1) * m_pageSize; }

    void scanPage(qint64 number)
    {
        const uchar *base = page(number);
        const qint64 headerAt = number == 1 ? 100 : 0;
        if (base[headerAt] != 0x0D) // table b-tree leaf
            return;
        const uchar *hdr = base + headerAt;
        const int cells = int(be(hdr + 3, 2));
        if (headerAt + 8 + 2 * cells > m_usable) {
            noteBad(number);
            return;
        }
        for (int c = 0; c < cells; ++c) {
            const qint64 offset = be(hdr + 8 + 2 * c, 2);
            if (offset < headerAt + 8 + 2 * cells || offset >= m_usable || !readCell(base, offset))
                noteBad(number);
        }
    }

    bool readCell(const uchar *base, qint64 offset)
    {
        const uchar *p = base + offset;
        const uchar *end = base + m_usable;
        quint64 payloadSize = 0;
        quint64 rowid = 0;
        int n = readVarint(p, end, payloadSize);
        if (n == 0)
            return false;
        p += n;
        n = readVarint(p, end, rowid);
        if (n == 0 || payloadSize > quint64(m_size))
            return false;
        p += n;
        const qint64 maxLocal = m_usable - 35;
        const qint64 minLocal = ((m_usable - 12) * 32 / 255) - 23;
        qint64 local = qint64(payloadSize);
        if (local > maxLocal) {
            const qint64 k = minLocal + (qint64(payloadSize) - minLocal) % (m_usable - 4);
            local = k <= maxLocal ? k : minLocal;
        }
        if (p + local > end)
            return false;
        QByteArray payload(reinterpret_cast<const char *>(p), local);
        if (local < qint64(payloadSize)) {
            if (p + local + 4 > end)
                return false;
            quint32 next = be(p + local, 4);
            qint64 guard = m_pages;
            qint64 trusted = payload.size(); // the bytes before the page that holds `next`
            while (payload.size() < qint64(payloadSize)) {
                if (next < 1 || next > m_pages || guard-- <= 0) {
                    // Past the end of a truncated file: the pages read so far are sound. Any
                    // other bad link: the page holding it is garbage, and so is its content.
                    const bool cutOff = next > m_pages && next <= m_headerPages;
                    return readBrokenCell(qint64(rowid), payload.left(cutOff ? payload.size() : trusted));
                }
                const uchar *ov = page(next);
                const qint64 take = std::min<qint64>(m_usable - 4, qint64(payloadSize) - payload.size());
                trusted = payload.size();
                payload.append(reinterpret_cast<const char *>(ov + 4), take);
                next = be(ov, 4);
            }
            if (next != 0) // the chain must end where the payload does: else a page was overwritten
                return readBrokenCell(qint64(rowid), payload.left(trusted));
        }
        const auto values = decodeRecord(payload);
        if (!values)
            return false;
        return file(qint64(rowid), *values);
    }

    // A row whose overflow chain breaks off: of an event block, the events whose bytes all lie
    // before the break are kept (the block's checksum cannot vouch for them, the page links
    // did). Always false: the row itself is damaged.
    bool readBrokenCell(qint64 rowid, const QByteArray &prefix)
    {
        using K = Value::Kind;
        bool truncated = false;
        const auto v = decodeRecord(prefix, &truncated);
        if (!v || !truncated || v->size() != 9
            || !shapeIs(*v, {K::Null, K::Int, K::Int, K::Int, K::Int, K::Blob, K::Blob, K::Blob, K::Blob}))
            return false;
        const eventblock::Columns c{(*v)[1].i, (*v)[2].i, (*v)[3].i, (*v)[4].i,
                                    (*v)[5].bytes, (*v)[6].bytes, (*v)[7].bytes, (*v)[8].bytes};
        QList<StreamEvent> events;
        eventblock::decodeIntactPrefix(c, events);
        for (qsizetype k = 0; k < events.size(); ++k)
            m_blockEvents.insert(rowid + k, std::move(events[k]));
        return false;
    }

    // Files a decoded row by its shape; false when it fits no table of a session.
    bool file(qint64 rowid, const QList<Value> &v)
    {
        using K = Value::Kind;
        if (shapeIs(v, {K::Null, K::Int, K::Int, K::Int, K::Int, K::Blob, K::Blob, K::Blob, K::Blob})) {
            const eventblock::Columns c{v[1].i, v[2].i, v[3].i, v[4].i, v[5].bytes, v[6].bytes, v[7].bytes, v[8].bytes};
            QList<StreamEvent> events;
            if (!eventblock::decode(c, 0, c.count, events))
                return false;
            for (qsizetype k = 0; k < events.size(); ++k)
                m_blockEvents.insert(rowid + k, std::move(events[k]));
        } else if (shapeIs(v, {K::Null, K::Int, K::Int, K::Blob})) {
            if (v[2].i < 0 || v[2].i > int(EventSource::Replay))
                return false;
            m_events.insert(rowid, StreamEvent{v[1].i, EventSource(v[2].i), v[3].bytes});
        } else if (shapeIs(v, {K::Null, K::Int, K::Text, K::Text})) {
            m_out.log.append({v[1].i, sessionLogKindFromName(QString::fromUtf8(v[2].bytes)),
                              QString::fromUtf8(v[3].bytes)});
        } else if (shapeIs(v, {K::Null, K::Int, K::Text, K::Int, K::Blob})) {
            m_out.details.append({v[1].i, v[2].bytes, qint32(v[3].i), v[4].bytes});
        } else if (shapeIs(v, {K::Null, K::Int, K::Blob})) {
            m_out.probes.append({v[1].i, v[2].bytes});
        } else if (shapeIs(v, {K::Text, K::Text})) {
            m_out.meta.insert(QString::fromUtf8(v[0].bytes), QString::fromUtf8(v[1].bytes));
        } else if (!shapeIs(v, {K::Text, K::Text, K::Text, K::Int, K::Text})) { // sqlite_schema
            return false;
        }
        return true;
    }

    void noteBad(qint64 page)
    {
        ++m_badCells;
        if (!m_badCellPages.contains(page))
            m_badCellPages.append(page);
    }

    void finishEvents()
    {
        // A single row whose block was written later is the same event; the block is what the
        // file last said. Single rows of a block that is lost still count.
        for (auto it = m_blockEvents.cbegin(); it != m_blockEvents.cend(); ++it)
            m_events.insert(it.key(), it.value());
        m_blockEvents.clear();
        if (!m_events.isEmpty())
            m_out.isSession = true;
        m_out.events.reserve(size_t(m_events.size()));
        m_out.eventIds.reserve(size_t(m_events.size()));
        qint64 expected = 0;
        qint64 lastArrival = 0;
        for (auto it = m_events.cbegin(); it != m_events.cend(); ++it) {
            if (it.key() != expected)
                m_out.problems << QStringLiteral("events %1 to %2 are missing (damaged pages)")
                                      .arg(expected)
                                      .arg(it.key() - 1);
            expected = it.key() + 1;
            StreamEvent event = it.value();
            // Keep the file's promise (arrival never decreases) even for a damaged row.
            event.arrivalNs = std::max<qint64>(event.arrivalNs, lastArrival);
            lastArrival = event.arrivalNs;
            m_out.events.push_back(std::move(event));
            m_out.eventIds.push_back(it.key());
        }
        std::sort(m_out.log.begin(), m_out.log.end(),
                  [](const SessionLogEntry &a, const SessionLogEntry &b) { return a.atNs < b.atNs; });
    }

    const uchar *m_data;
    qint64 m_size;
    RecoveredSession &m_out;
    qint64 m_pageSize = 4096;
    qint64 m_usable = 4096;
    qint64 m_headerPages = 0;
    qint64 m_pages = 0;
    qint64 m_badCells = 0;
    QList<qint64> m_badCellPages;
    QMap<qint64, StreamEvent> m_events;      // single rows (`events`), by id
    QMap<qint64, StreamEvent> m_blockEvents; // from event_blocks rows, by event index
};

} // namespace

RecoveredSession recoverSessionPages(const QString &path)
{
    RecoveredSession out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.problems << QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return out;
    }
    const qint64 size = file.size();
    const uchar *data = size > 0 ? file.map(0, size) : nullptr;
    QByteArray copy;
    if (size > 0 && !data) {
        copy = file.readAll();
        data = reinterpret_cast<const uchar *>(copy.constData());
    }
    if (data)
        Scanner(data, size, out).run();
    return out;
}

} // namespace rcrt
