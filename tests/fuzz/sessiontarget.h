#pragma once

// Fuzz target 3: the session-file reader. Shared by fuzz_session.cpp and
// tests/unit/tst_fuzz_regressions.cpp.
//
// The input is written to a temp file (the reader's API takes a path), opened, and everything
// is read through the public API: events in chunks, log, details, probes, seeks. The reader
// must answer within its own counts, and must leave the file exactly as it was (it promises
// never to modify a session file).

#include "app/session/sessionreader.h"

#include <QByteArrayView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>

#include <algorithm>
#include <limits>
#include <memory>

namespace rcrt::fuzz {

// One scratch directory per process; each run rewrites the same file and drops any companion
// a previous run's SQLite may have left.
inline QString sessionScratchPath()
{
    static QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/rcrt-fuzz-session-XXXXXX"));
    const QString path = dir.filePath(QStringLiteral("input.rcrtsession"));
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(path + QLatin1String(suffix));
    return path;
}

inline QString readWholeSession(SessionReader &reader)
{
    const qint64 count = reader.eventCount();
    if (count < 0)
        return QStringLiteral("negative event count");
    constexpr qint64 kChunk = 97; // odd-sized chunks cross the reader's block boundaries
    qint64 read = 0;
    qint64 lastArrival = 0;
    for (qint64 from = 0; from < count; from += kChunk) {
        const QList<StreamEvent> events = reader.readEvents(from, kChunk);
        if (events.size() > std::min(kChunk, count - from))
            return QStringLiteral("readEvents(%1, %2) gave %3 rows of %4")
                .arg(from)
                .arg(kChunk)
                .arg(events.size())
                .arg(count);
        read += events.size();
        if (!events.isEmpty())
            lastArrival = events.last().arrivalNs;
    }
    if (!reader.readEvents(count, 10).isEmpty())
        return QStringLiteral("rows past eventCount() were returned");
    if (read < count && reader.problems().isEmpty())
        return QStringLiteral("%1 of %2 rows read and no problem listed").arg(read).arg(count);

    // Seeks: any arrival maps into 0..count.
    for (const qint64 at : {std::numeric_limits<qint64>::min(), qint64(0), reader.firstArrivalNs(),
                            lastArrival, reader.lastArrivalNs(),
                            std::numeric_limits<qint64>::max()}) {
        const qint64 index = reader.indexAtOrAfter(at);
        if (index < 0 || index > count)
            return QStringLiteral("indexAtOrAfter(%1) = %2 outside 0..%3").arg(at).arg(index).arg(count);
    }
    if (count > 0 && reader.indexAtOrAfter(std::numeric_limits<qint64>::min()) != 0)
        return QStringLiteral("indexAtOrAfter(min) is not the first row");

    (void)reader.log();
    (void)reader.details();
    (void)reader.probes();
    (void)reader.header();
    return {};
}

inline QString runSessionReader(QByteArrayView input)
{
    const QString path = sessionScratchPath();
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(input.data(), input.size()) != input.size())
            return {}; // the scratch disk is not what is under test
    }
    QString error;
    std::unique_ptr<SessionReader> reader = SessionReader::open(path, &error);
    if (!reader) {
        if (error.isEmpty())
            return QStringLiteral("open() refused without a message");
    } else if (const QString p = readWholeSession(*reader); !p.isEmpty()) {
        return p;
    }
    reader.reset();

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.readAll() != input)
        return QStringLiteral("the reader changed the session file");
    // A header that says WAL makes SQLite create an empty -wal (and -shm) even for a read-only
    // connection; content in either companion would be a write.
    if (QFileInfo(path + QStringLiteral("-wal")).size() > 0)
        return QStringLiteral("the reader wrote a -wal file");
    if (QFile::exists(path + QStringLiteral("-journal")))
        return QStringLiteral("the reader left a -journal file");
    return {};
}

} // namespace rcrt::fuzz
