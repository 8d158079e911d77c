#include "app/session/eventblock.h"

#include <QtEndian>

#include <cstring>

namespace rcrt::eventblock {

namespace {

constexpr quint64 kMultiplier = 0x9E3779B97F4A7C15ull;

quint64 word(const char *p)
{
    quint64 v = 0;
    std::memcpy(&v, p, 8);
    return qFromLittleEndian(v);
}

// One step of a lane: a bijection of the lane for a given word, so any change in one word
// changes the lane's end state.
quint64 step(quint64 lane, quint64 w)
{
    lane = (lane ^ w) * kMultiplier;
    return lane ^ (lane >> 31);
}

// Four independent lanes, so the multiplies overlap and the hash keeps up with memcpy.
quint64 hashBytes(const QByteArray &bytes, quint64 seed)
{
    const char *p = bytes.constData();
    const qint64 n = bytes.size();
    quint64 lanes[4] = {seed ^ 0x243F6A8885A308D3ull, seed ^ 0x13198A2E03707344ull,
                        seed ^ 0xA4093822299F31D0ull, seed ^ 0x082EFA98EC4E6C89ull};
    qint64 i = 0;
    for (; i + 32 <= n; i += 32) {
        lanes[0] = step(lanes[0], word(p + i));
        lanes[1] = step(lanes[1], word(p + i + 8));
        lanes[2] = step(lanes[2], word(p + i + 16));
        lanes[3] = step(lanes[3], word(p + i + 24));
    }
    for (; i + 8 <= n; i += 8)
        lanes[0] = step(lanes[0], word(p + i));
    if (i < n) {
        char last[8] = {};
        std::memcpy(last, p + i, size_t(n - i));
        lanes[1] = step(lanes[1], word(last));
    }
    quint64 h = step(quint64(n), lanes[0]);
    h = step(h, lanes[1]);
    h = step(h, lanes[2]);
    return step(h, lanes[3]);
}

} // namespace

qint64 checksum(const Columns &block)
{
    quint64 h = hashBytes(block.arrivals, 1);
    h = hashBytes(block.sources, h);
    h = hashBytes(block.lengths, h);
    return qint64(hashBytes(block.raw, h));
}

Columns encode(const StreamEvent *begin, const StreamEvent *end)
{
    Columns c;
    c.count = end - begin;
    if (c.count == 0)
        return c;
    c.firstArrivalNs = begin->arrivalNs;
    c.lastArrivalNs = (end - 1)->arrivalNs;
    c.arrivals.resize(c.count * 8);
    c.sources.resize(c.count);
    c.lengths.resize(c.count * 4);
    qint64 total = 0;
    for (const StreamEvent *e = begin; e != end; ++e)
        total += e->raw.size();
    c.raw.reserve(total);
    char *arrival = c.arrivals.data();
    char *source = c.sources.data();
    char *length = c.lengths.data();
    for (const StreamEvent *e = begin; e != end; ++e) {
        qToLittleEndian<qint64>(e->arrivalNs, arrival);
        *source++ = char(e->source);
        qToLittleEndian<quint32>(quint32(e->raw.size()), length);
        arrival += 8;
        length += 4;
        c.raw.append(e->raw);
    }
    c.checksum = checksum(c);
    return c;
}

QList<qint64> arrivals(qint64 count, const QByteArray &packed)
{
    QList<qint64> out;
    if (count <= 0 || packed.size() != count * 8)
        return out;
    out.resize(count);
    for (qint64 k = 0; k < count; ++k)
        out[k] = qFromLittleEndian<qint64>(packed.constData() + 8 * k);
    return out;
}

namespace {

// The arrays agree with `count` and with each other; *total is the sum of the lengths.
bool arraysConsistent(const Columns &block, qint64 *total)
{
    const qint64 n = block.count;
    if (n <= 0 || block.arrivals.size() != n * 8 || block.sources.size() != n || block.lengths.size() != n * 4)
        return false;
    *total = 0;
    qint64 previous = block.firstArrivalNs;
    for (qint64 k = 0; k < n; ++k) {
        *total += qFromLittleEndian<quint32>(block.lengths.constData() + 4 * k);
        const qint64 at = qFromLittleEndian<qint64>(block.arrivals.constData() + 8 * k);
        if (at < previous || quint8(block.sources[k]) > quint8(EventSource::Replay))
            return false;
        previous = at;
    }
    return qFromLittleEndian<qint64>(block.arrivals.constData()) == block.firstArrivalNs
        && previous == block.lastArrivalNs;
}

void append(const Columns &block, qint64 from, qint64 to, qint64 offset, QList<StreamEvent> &out)
{
    for (qint64 k = from; k < to; ++k) {
        const qint64 length = qFromLittleEndian<quint32>(block.lengths.constData() + 4 * k);
        out.append(StreamEvent{qFromLittleEndian<qint64>(block.arrivals.constData() + 8 * k),
                               EventSource(block.sources[k]), QByteArray(block.raw.constData() + offset, length)});
        offset += length;
    }
}

} // namespace

void decodeIntactPrefix(const Columns &block, QList<StreamEvent> &out)
{
    qint64 total = 0;
    if (!arraysConsistent(block, &total))
        return;
    qint64 end = 0;
    qint64 k = 0;
    for (; k < block.count; ++k) {
        const qint64 next = end + qFromLittleEndian<quint32>(block.lengths.constData() + 4 * k);
        if (next > block.raw.size())
            break;
        end = next;
    }
    append(block, 0, k, 0, out);
}

bool decode(const Columns &block, qint64 skip, qint64 take, QList<StreamEvent> &out)
{
    qint64 total = 0;
    if (skip < 0 || take < 0 || skip + take > block.count || !arraysConsistent(block, &total)
        || total != block.raw.size() || checksum(block) != block.checksum)
        return false;
    qint64 offset = 0;
    for (qint64 k = 0; k < skip; ++k)
        offset += qFromLittleEndian<quint32>(block.lengths.constData() + 4 * k);
    append(block, skip, skip + take, offset, out);
    return true;
}

} // namespace rcrt::eventblock
