#pragma once

#include <QString>
#include <QStringList>

namespace rcrt::sessionschema {

// SQLite's application_id of a session file ("RCRT"), so `file` and tools can tell it apart.
inline constexpr int kApplicationId = 0x52435254;

// The tables of format version 1 (docs/session-format.md). Every table has a distinct column
// shape, so page-by-page recovery can tell rows apart without the schema. `events` holds the
// events not (yet) in an `event_blocks` row: the tail of a recording between two blocks (all
// events, in files written before blocks existed).
QStringList createStatements();

// Unique QtSql connection names (one per writer or reader object).
QString newConnectionName(const char *prefix);

} // namespace rcrt::sessionschema
