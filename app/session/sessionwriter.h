#pragma once

#include "app/session/sessiontypes.h"
#include "model/streamevent.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>

#include <memory>

namespace rcrt {

// Writes one session file (SQLite through QtSql, WAL; schema in docs/session-format.md).
//
// Rows go straight into an open transaction; commits happen at flush(), and on an append when
// the last commit is 250 ms old. Events are stored in blocks of up to 256 (eventblock.h); the
// events after the last full block are written as single rows at each commit and replaced by
// their block once it is full, so every commit holds every event appended before it. Whoever owns the writer calls flush() on a 250 ms timer (the
// Recorder does), so a crash (kill -9) loses at most the last 250 ms. close() (or the
// destructor) commits the rest, checkpoints and leaves a single self-contained file without
// -wal/-shm companions, ready to hand to someone else.
//
// Lives on one thread. Never stores a credential: the header's server URL goes through
// sanitizeServerUrl, log lines through scrubCredentials.
class SessionWriter
{
public:
    // Refuses an existing path (nothing is overwritten). Null plus *error on failure.
    static std::unique_ptr<SessionWriter> create(const QString &path, const SessionHeader &header,
                                                 QString *error);
    ~SessionWriter();
    SessionWriter(const SessionWriter &) = delete;
    SessionWriter &operator=(const SessionWriter &) = delete;

    // Events keep their order; an arrival earlier than the previous one (a wall-clock step
    // back) is stored as the previous one, so arrival times never decrease along the file.
    void appendEvents(const QList<StreamEvent> &events);
    void appendEvent(const StreamEvent &event);
    void appendLog(const SessionLogEntry &entry);
    void appendDetail(const SessionDetail &detail);
    void appendProbe(qint64 atNs, const QByteArray &json);
    void setClockOffsetNs(qint64 offsetNs);

    bool flush(QString *error = nullptr); // commit now
    bool close(QString *error = nullptr); // commit, checkpoint, leave one file; idempotent

    qint64 eventCount() const;
    qint64 bytesWritten() const;   // raw payload bytes of the events appended
    QString path() const;
    QString lastError() const;     // the first write error, empty when none

private:
    SessionWriter();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt
