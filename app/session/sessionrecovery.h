#pragma once

#include "app/session/sessiontypes.h"
#include "model/streamevent.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QStringList>

#include <vector>

namespace rcrt {

// What a page-by-page scan of a damaged session file could still read. SQLite itself gives up
// on a table when one page of its b-tree is bad; this scan reads every table leaf page on its
// own, decodes the intact rows and tells the tables apart by their column shapes (see
// sessionschema), so one bad page loses only the rows stored on it (an event block: all its
// events, when the page holds its cell or one of its overflow pages).
struct RecoveredSession
{
    QHash<QString, QString> meta;
    int userVersion = 0;       // PRAGMA user_version from the file header, 0 when unreadable
    bool isSession = false;    // application_id says RCRT, or session-shaped rows were found
    std::vector<StreamEvent> events; // by row id
    std::vector<qint64> eventIds;    // row id of each entry of `events`
    QList<SessionLogEntry> log;
    QList<SessionDetail> details;
    QList<QPair<qint64, QByteArray>> probes;
    QStringList problems;
};

// Scans the main file only (a -wal companion is not merged).
RecoveredSession recoverSessionPages(const QString &path);

} // namespace rcrt
