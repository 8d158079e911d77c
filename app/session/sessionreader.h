#pragma once

#include "app/session/sessiontypes.h"
#include "model/streamevent.h"

#include <QList>
#include <QPair>
#include <QStringList>

#include <memory>

namespace rcrt {

// Reads a session file (docs/session-format.md). Opens read-only and never modifies the file
// nor its -wal companion (a reader never checkpoints); works in a read-only directory.
//
// A damaged file (truncated, pages overwritten) opens with whatever is readable: when SQLite
// cannot read the events table whole, the reader scans the file page by page and recovers
// every intact row; problems() says what was lost. A newer format version, an empty file or
// a file that is not a session are refused by open() with a clear message.
//
// Use from one thread.
class SessionReader
{
public:
    static std::unique_ptr<SessionReader> open(const QString &path, QString *error);
    ~SessionReader();
    SessionReader(const SessionReader &) = delete;
    SessionReader &operator=(const SessionReader &) = delete;

    const SessionHeader &header() const;
    // What was not valid, one readable sentence each. May grow while reading (readEvents).
    QStringList problems() const;

    qint64 eventCount() const;       // events readable, rows 0 .. eventCount()-1
    qint64 firstArrivalNs() const;   // 0 when there are no events
    qint64 lastArrivalNs() const;

    // Events in arrival order, rows [from, from+count) clipped to eventCount(). Each keeps its
    // recorded source (sse/backfill/local); a replay sets its own. Sequential reads are fast:
    // read in chunks of ~10,000 to drive a progress bar. Returns fewer rows only when some
    // turned out unreadable now; they are then listed in problems().
    QList<StreamEvent> readEvents(qint64 from, qint64 count);
    // First row with arrival >= arrivalNs (eventCount() when none); arrival never decreases
    // along the rows, so this is a binary search.
    qint64 indexAtOrAfter(qint64 arrivalNs);

    QList<SessionLogEntry> log() const;
    QList<SessionDetail> details() const;
    QList<QPair<qint64, QByteArray>> probes() const;

private:
    SessionReader();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt
