#pragma once

#include "model/streamevent.h"

#include <QByteArray>
#include <QList>

namespace rcrt::eventblock {

// A block holds up to this many consecutive events, or stops growing once its payloads reach
// kMaxBytes (a single larger event gets a block of its own). One SQLite row per block instead
// of one per event is what makes reading a whole session fast (docs/session-format.md).
inline constexpr int kMaxEvents = 256;
inline constexpr qint64 kMaxBytes = 128 * 1024;

// The columns of one `event_blocks` row: little-endian packed arrays, one entry per event, and
// the payloads back to back.
struct Columns
{
    qint64 count = 0;
    qint64 firstArrivalNs = 0;
    qint64 lastArrivalNs = 0;
    qint64 checksum = 0; // checksum() of the four arrays, bit for bit as a signed SQLite integer
    QByteArray arrivals; // int64 each
    QByteArray sources;  // one byte each (EventSource)
    QByteArray lengths;  // uint32 each: the payload's size in `raw`
    QByteArray raw;
};

// A 64-bit hash of the arrays. Most of a block lies on overflow pages whose contents SQLite
// never checks, so without it a page of garbage inside a block would read back as payloads.
qint64 checksum(const Columns &block);

Columns encode(const StreamEvent *begin, const StreamEvent *end);

// Appends the block's events [skip, skip + take) to `out`. False, with `out` unchanged, when
// the columns disagree with each other (checksum, sizes, payload total, a source out of range,
// arrivals decreasing or not matching first/last): a damaged row.
bool decode(const Columns &block, qint64 skip, qint64 take, QList<StreamEvent> &out);

// For a block whose `raw` was cut short (a damaged file): appends the events whose payloads
// lie wholly in what is left, when the arrays are consistent; the checksum is not checked.
void decodeIntactPrefix(const Columns &block, QList<StreamEvent> &out);

// The arrival time of each event of a block; empty when the array does not fit `count`.
QList<qint64> arrivals(qint64 count, const QByteArray &packed);

} // namespace rcrt::eventblock
