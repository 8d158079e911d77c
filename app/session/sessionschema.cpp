#include "app/session/sessionschema.h"

#include <atomic>

namespace rcrt::sessionschema {

QStringList createStatements()
{
    return {
        QStringLiteral("CREATE TABLE meta(key TEXT NOT NULL UNIQUE, value TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE events(id INTEGER PRIMARY KEY, arrival_ns INTEGER NOT NULL, "
                       "source INTEGER NOT NULL, raw BLOB NOT NULL)"),
        // Events in blocks (app/session/eventblock.h); `id` is the index of the block's first
        // event. The small columns come first, so the block index is read without the blobs.
        QStringLiteral("CREATE TABLE event_blocks(id INTEGER PRIMARY KEY, count INTEGER NOT NULL, "
                       "first_arrival_ns INTEGER NOT NULL, last_arrival_ns INTEGER NOT NULL, "
                       "checksum INTEGER NOT NULL, arrivals BLOB NOT NULL, sources BLOB NOT NULL, lengths BLOB NOT NULL, "
                       "raw BLOB NOT NULL)"),
        QStringLiteral("CREATE TABLE log(id INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, "
                       "kind TEXT NOT NULL, text TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE details(id INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, "
                       "breadcrumb_id TEXT NOT NULL, version INTEGER NOT NULL, "
                       "full_json BLOB NOT NULL)"),
        QStringLiteral("CREATE TABLE probes(id INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, "
                       "json BLOB NOT NULL)"),
    };
}

QString newConnectionName(const char *prefix)
{
    static std::atomic<int> counter{0};
    return QStringLiteral("rcrt-session-%1-%2").arg(QLatin1String(prefix)).arg(++counter);
}

} // namespace rcrt::sessionschema
