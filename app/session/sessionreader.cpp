#include "app/session/sessionreader.h"

#include "app/session/eventblock.h"
#include "app/session/sessionrecovery.h"
#include "app/session/sessionschema.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>
#include <vector>

namespace rcrt {

struct SessionReader::Private
{
    QString path;
    QString connection;
    QSqlDatabase db;
    std::unique_ptr<QSqlQuery> rangeQuery;
    std::unique_ptr<QSqlQuery> arrivalQuery;
    std::unique_ptr<QSqlQuery> blockQuery;
    std::unique_ptr<QSqlQuery> blockArrivalsQuery;
    SessionHeader header;
    QStringList problems;
    qint64 count = 0;
    qint64 firstArrival = 0;
    qint64 lastArrival = 0;
    // Set when the events are held in memory (a damaged file was recovered page by page).
    // Otherwise rows [0, blocked) are in event_blocks (the index below, read at open, a few
    // bytes per 256 events) and row i >= blocked is the events table's id i.
    bool inMemory = false;
    struct Block
    {
        qint64 first = 0;
        qint64 count = 0;
        qint64 firstArrival = 0;
        qint64 lastArrival = 0;
    };
    std::vector<Block> blocks;
    qint64 blocked = 0;
    std::vector<StreamEvent> events;
    QList<SessionLogEntry> log;
    QList<SessionDetail> details;
    QList<QPair<qint64, QByteArray>> probes;

    ~Private() { closeDb(); }

    void closeDb()
    {
        rangeQuery.reset();
        arrivalQuery.reset();
        blockQuery.reset();
        blockArrivalsQuery.reset();
        if (connection.isEmpty())
            return;
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connection);
        connection.clear();
    }

    bool readSqlRange(qint64 from, qint64 to, QList<StreamEvent> &out);
    void readRangeSkippingBadRows(qint64 from, qint64 to, QList<StreamEvent> &out);
    qint64 arrivalAt(qint64 row);
    bool readBlockIndex(QString &why);
    void readBlocks(qint64 from, qint64 to, QList<StreamEvent> &out);
    size_t readBlocksFrom(size_t k, qint64 from, qint64 to, QList<StreamEvent> &out);
    qint64 indexInBlocks(qint64 arrivalNs);
};

namespace {

QString programName()
{
    const QString name = QCoreApplication::applicationName();
    return name.isEmpty() ? QStringLiteral("RCRT Console") : name;
}

// Header fields from meta key/values; false with *error when the file is not one we may read.
bool headerFromMeta(const QHash<QString, QString> &meta, int fallbackVersion, SessionHeader &h,
                    QStringList &problems, QString *error)
{
    bool ok = false;
    int version = meta.value(QStringLiteral("format_version")).toInt(&ok);
    if (!ok) {
        version = fallbackVersion;
        problems << QStringLiteral("the header (meta table) is damaged; the format version comes "
                                   "from the file header");
    }
    if (version > kSessionFormatVersion) {
        if (error)
            *error = QStringLiteral("session format %1 is newer than this %2 understands (%3); "
                                    "update RCRT Console")
                         .arg(version)
                         .arg(programName())
                         .arg(kSessionFormatVersion);
        return false;
    }
    if (version < 1) {
        if (error)
            *error = QStringLiteral("unknown session format version %1").arg(version);
        return false;
    }
    h.formatVersion = version;
    h.appVersion = meta.value(QStringLiteral("app_version"));
    h.serverUrl = meta.value(QStringLiteral("server_url"));
    h.startNs = meta.value(QStringLiteral("start_ns")).toLongLong();
    if (meta.contains(QStringLiteral("clock_offset_ns")))
        h.clockOffsetNs = meta.value(QStringLiteral("clock_offset_ns")).toLongLong();
    h.note = meta.value(QStringLiteral("note"));
    return true;
}

QString sqlProblem(const QString &what, const QSqlError &e)
{
    return QStringLiteral("%1: %2").arg(what, e.text());
}

} // namespace

SessionReader::SessionReader()
    : d(std::make_unique<Private>())
{
}

SessionReader::~SessionReader() = default;

std::unique_ptr<SessionReader> SessionReader::open(const QString &path, QString *error)
{
    auto refuse = [error](const QString &message) -> std::unique_ptr<SessionReader> {
        if (error)
            *error = message;
        return nullptr;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() == 0)
        return refuse(QStringLiteral("%1 is empty, not a session file").arg(path));
    const QByteArray magic = file.read(16);
    file.close();
    // A damaged first page looks like "not SQLite" too; the page scan below tells them apart.
    const bool sqliteMagic = magic == QByteArray("SQLite format 3", 16);

    std::unique_ptr<SessionReader> r(new SessionReader);
    Private &p = *r->d;
    p.path = path;
    p.connection = sessionschema::newConnectionName("reader");
    p.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), p.connection);
    p.db.setDatabaseName(path);
    // Read-only: SQLite then never checkpoints or deletes a -wal file, and never writes the
    // main file; the -wal of a crashed recording is read, not merged.
    p.db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));

    bool sqlOk = sqliteMagic && p.db.open();
    QString sqlError = sqlOk ? QString()
        : sqliteMagic        ? p.db.lastError().text()
                             : QStringLiteral("no SQLite header");
    QHash<QString, QString> meta;
    int applicationId = 0;
    int userVersion = 0;
    bool headerRead = false;
    if (sqlOk) {
        QSqlQuery q(p.db);
        q.setForwardOnly(true);
        // Map the file instead of copying pages through read(): whole-file reads get faster.
        q.exec(QStringLiteral("PRAGMA mmap_size=%1").arg(qint64(1) << 40));
        if (q.exec(QStringLiteral("PRAGMA application_id")) && q.next()) {
            applicationId = q.value(0).toInt();
            headerRead = true;
        }
        if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
            userVersion = q.value(0).toInt();
        if (q.exec(QStringLiteral("SELECT key, value FROM meta"))) {
            while (q.next())
                meta.insert(q.value(0).toString(), q.value(1).toString());
        } else {
            sqlOk = false;
            sqlError = q.lastError().text();
        }
        if (q.lastError().isValid() && sqlOk) {
            sqlOk = false;
            sqlError = q.lastError().text();
        }
    }
    if (headerRead && applicationId != sessionschema::kApplicationId)
        return refuse(QStringLiteral("%1 is an SQLite database but not an RCRT session").arg(path));

    // Fast path: the events table is whole and its ids are 0..n-1 (the writer's promise).
    if (sqlOk) {
        if (!headerFromMeta(meta, userVersion, p.header, p.problems, error))
            return nullptr;
        QString why;
        if (!p.readBlockIndex(why))
            sqlOk = false, sqlError = why;
    }
    if (sqlOk) {
        QSqlQuery q(p.db);
        q.setForwardOnly(true);
        // Three queries: SQLite answers count(*) alone from the b-tree pages and min/max alone
        // from its ends; the combined query would read every row.
        qint64 n = -1;
        qint64 minId = 0;
        qint64 maxId = -1;
        if (q.exec(QStringLiteral("SELECT count(*) FROM events")) && q.next())
            n = q.value(0).toLongLong();
        if (n > 0 && q.exec(QStringLiteral("SELECT min(id) FROM events")) && q.next())
            minId = q.value(0).toLongLong();
        if (n > 0 && q.exec(QStringLiteral("SELECT max(id) FROM events")) && q.next())
            maxId = q.value(0).toLongLong();
        if (n >= 0 && !q.lastError().isValid()) {
            // The single rows continue where the blocks end.
            const bool contiguous = n == 0 || (minId == p.blocked && maxId == p.blocked + n - 1);
            if (contiguous)
                p.count = p.blocked + n;
            else
                sqlOk = false, sqlError = QStringLiteral("event ids are not contiguous");
        } else {
            sqlOk = false;
            sqlError = q.lastError().text();
        }
    }
    if (sqlOk) {
        QSqlQuery q(p.db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral("SELECT at_ns, kind, text FROM log ORDER BY id"))) {
            while (q.next())
                p.log.append({q.value(0).toLongLong(), sessionLogKindFromName(q.value(1).toString()),
                              q.value(2).toString()});
        }
        if (q.lastError().isValid())
            p.problems << sqlProblem(QStringLiteral("connection log unreadable"), q.lastError());
        if (q.exec(QStringLiteral("SELECT at_ns, breadcrumb_id, version, full_json FROM details ORDER BY id"))) {
            while (q.next())
                p.details.append({q.value(0).toLongLong(), q.value(1).toString().toUtf8(),
                                  q.value(2).toInt(), q.value(3).toByteArray()});
        }
        if (q.lastError().isValid())
            p.problems << sqlProblem(QStringLiteral("breadcrumb details unreadable"), q.lastError());
        if (q.exec(QStringLiteral("SELECT at_ns, json FROM probes ORDER BY id"))) {
            while (q.next())
                p.probes.append({q.value(0).toLongLong(), q.value(1).toByteArray()});
        }
        if (q.lastError().isValid())
            p.problems << sqlProblem(QStringLiteral("probe results unreadable"), q.lastError());
        p.rangeQuery = std::make_unique<QSqlQuery>(p.db);
        p.rangeQuery->setForwardOnly(true);
        p.rangeQuery->prepare(QStringLiteral(
            "SELECT arrival_ns, source, raw FROM events WHERE id >= ? AND id < ? ORDER BY id"));
        p.arrivalQuery = std::make_unique<QSqlQuery>(p.db);
        p.arrivalQuery->setForwardOnly(true);
        p.arrivalQuery->prepare(QStringLiteral("SELECT arrival_ns FROM events WHERE id = ?"));
        if (!p.blocks.empty()) {
            p.blockQuery = std::make_unique<QSqlQuery>(p.db);
            p.blockQuery->setForwardOnly(true);
            p.blockQuery->prepare(QStringLiteral(
                "SELECT id, count, first_arrival_ns, last_arrival_ns, checksum, arrivals, sources, lengths, raw "
                "FROM event_blocks WHERE id >= ? AND id < ? ORDER BY id"));
            p.blockArrivalsQuery = std::make_unique<QSqlQuery>(p.db);
            p.blockArrivalsQuery->setForwardOnly(true);
            p.blockArrivalsQuery->prepare(QStringLiteral("SELECT arrivals FROM event_blocks WHERE id = ?"));
        }
        if (p.count > 0) {
            p.firstArrival = p.blocks.empty() ? p.arrivalAt(0) : p.blocks.front().firstArrival;
            p.lastArrival = p.count == p.blocked ? p.blocks.back().lastArrival : p.arrivalAt(p.count - 1);
        }
        return r;
    }

    // Damaged: read what the pages still hold.
    p.closeDb();
    RecoveredSession rec = recoverSessionPages(path);
    if (!rec.isSession && !sqliteMagic)
        return refuse(QStringLiteral("%1 is not a session file (not an SQLite database)").arg(path));
    if (!rec.isSession)
        return refuse(QStringLiteral("%1 is not a readable session file (%2)")
                          .arg(path, rec.problems.isEmpty() ? sqlError : rec.problems.join(QStringLiteral("; "))));
    p.problems << QStringLiteral("SQLite could not read the file whole (%1); recovered what the "
                                 "pages still hold")
                      .arg(sqlError);
    p.problems << rec.problems;
    if (!headerFromMeta(rec.meta, rec.userVersion, p.header, p.problems, error))
        return nullptr;
    p.inMemory = true;
    p.events = std::move(rec.events);
    p.count = qint64(p.events.size());
    if (p.count > 0) {
        p.firstArrival = p.events.front().arrivalNs;
        p.lastArrival = p.events.back().arrivalNs;
    }
    p.log = rec.log;
    p.details = rec.details;
    p.probes = rec.probes;
    return r;
}

// The block index: one row per block, its small columns only (they sit before the blobs, so
// SQLite reads them from the leaf pages without following the overflow chains).
bool SessionReader::Private::readBlockIndex(QString &why)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'event_blocks'"))
        || !q.next()) {
        why = q.lastError().text();
        return false;
    }
    if (q.value(0).toInt() == 0)
        return true; // written before blocks existed: every event is a row of `events`
    if (!q.exec(QStringLiteral(
            "SELECT id, count, first_arrival_ns, last_arrival_ns FROM event_blocks ORDER BY id"))) {
        why = q.lastError().text();
        return false;
    }
    qint64 previousLast = std::numeric_limits<qint64>::min();
    while (q.next()) {
        const Block b{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                      q.value(3).toLongLong()};
        if (b.first != blocked || b.count <= 0 || b.firstArrival > b.lastArrival || b.firstArrival < previousLast) {
            why = QStringLiteral("the block of event %1 does not continue the blocks before it").arg(b.first);
            return false;
        }
        blocks.push_back(b);
        blocked += b.count;
        previousLast = b.lastArrival;
    }
    if (q.lastError().isValid()) {
        why = q.lastError().text();
        return false;
    }
    return true;
}

// Reads the events [from, to) of blocks k, k+1, ... in one query; returns the first block it
// did not read (blocks.size() or past `to` when it read them all).
size_t SessionReader::Private::readBlocksFrom(size_t k, qint64 from, qint64 to, QList<StreamEvent> &out)
{
    blockQuery->bindValue(0, blocks[k].first);
    blockQuery->bindValue(1, to);
    bool ok = blockQuery->exec();
    while (ok && k < blocks.size() && blocks[k].first < to && blockQuery->next()) {
        const Block &b = blocks[k];
        eventblock::Columns c;
        c.count = blockQuery->value(1).toLongLong();
        c.firstArrivalNs = blockQuery->value(2).toLongLong();
        c.lastArrivalNs = blockQuery->value(3).toLongLong();
        c.checksum = blockQuery->value(4).toLongLong();
        c.arrivals = blockQuery->value(5).toByteArray();
        c.sources = blockQuery->value(6).toByteArray();
        c.lengths = blockQuery->value(7).toByteArray();
        c.raw = blockQuery->value(8).toByteArray();
        if (blockQuery->value(0).toLongLong() != b.first)
            break;
        const qint64 begin = std::max(from, b.first);
        const qint64 end = std::min(to, b.first + b.count);
        const bool same = c.count == b.count && c.firstArrivalNs == b.firstArrival && c.lastArrivalNs == b.lastArrival;
        if (!same || !eventblock::decode(c, begin - b.first, end - begin, out))
            problems << QStringLiteral("events %1 to %2 are unreadable (damaged block)")
                            .arg(b.first)
                            .arg(b.first + b.count - 1);
        ++k;
    }
    blockQuery->finish();
    return k;
}

// One query for a whole range; a block that fails (a damaged page under SQLite) is listed and
// skipped, and reading goes on with the next.
void SessionReader::Private::readBlocks(qint64 from, qint64 to, QList<StreamEvent> &out)
{
    auto it = std::upper_bound(blocks.begin(), blocks.end(), from,
                               [](qint64 row, const Block &b) { return row < b.first; });
    size_t k = size_t(it - blocks.begin()) - 1; // from < blocked, so some block starts at or before it
    while (k < blocks.size() && blocks[k].first < to) {
        k = readBlocksFrom(k, from, to, out);
        if (k < blocks.size() && blocks[k].first < to) {
            problems << QStringLiteral("events %1 to %2 are unreadable (damaged page)")
                            .arg(blocks[k].first)
                            .arg(blocks[k].first + blocks[k].count - 1);
            ++k;
        }
    }
}

// First row with arrival >= arrivalNs among the blocks; -1 when every block is earlier.
qint64 SessionReader::Private::indexInBlocks(qint64 arrivalNs)
{
    auto it = std::lower_bound(blocks.begin(), blocks.end(), arrivalNs,
                               [](const Block &b, qint64 t) { return b.lastArrival < t; });
    if (it == blocks.end())
        return -1;
    if (it->firstArrival >= arrivalNs)
        return it->first;
    blockArrivalsQuery->bindValue(0, it->first);
    QList<qint64> arrivals;
    if (blockArrivalsQuery->exec() && blockArrivalsQuery->next())
        arrivals = eventblock::arrivals(it->count, blockArrivalsQuery->value(0).toByteArray());
    blockArrivalsQuery->finish();
    if (arrivals.isEmpty())
        return it->first; // unreadable block: a seek lands at its start
    return it->first + (std::lower_bound(arrivals.cbegin(), arrivals.cend(), arrivalNs) - arrivals.cbegin());
}

qint64 SessionReader::Private::arrivalAt(qint64 row)
{
    if (inMemory)
        return events[size_t(row)].arrivalNs;
    arrivalQuery->bindValue(0, row);
    if (arrivalQuery->exec() && arrivalQuery->next()) {
        const qint64 v = arrivalQuery->value(0).toLongLong();
        arrivalQuery->finish();
        return v;
    }
    arrivalQuery->finish();
    return -1; // unreadable row: seeks treat it as "before"
}

bool SessionReader::Private::readSqlRange(qint64 from, qint64 to, QList<StreamEvent> &out)
{
    const qsizetype start = out.size();
    rangeQuery->bindValue(0, from);
    rangeQuery->bindValue(1, to);
    bool ok = rangeQuery->exec();
    while (ok && rangeQuery->next()) {
        StreamEvent e;
        e.arrivalNs = rangeQuery->value(0).toLongLong();
        e.source = EventSource(rangeQuery->value(1).toInt());
        e.raw = rangeQuery->value(2).toByteArray();
        out.append(std::move(e));
    }
    ok = ok && !rangeQuery->lastError().isValid() && out.size() - start == to - from;
    rangeQuery->finish();
    if (!ok)
        out.resize(start);
    return ok;
}

// Halves a failing range down to single rows, so one bad page costs only its rows.
void SessionReader::Private::readRangeSkippingBadRows(qint64 from, qint64 to, QList<StreamEvent> &out)
{
    if (from >= to || readSqlRange(from, to, out))
        return;
    if (to - from == 1) {
        problems << QStringLiteral("event %1 is unreadable (damaged page)").arg(from);
        return;
    }
    const qint64 mid = from + (to - from) / 2;
    readRangeSkippingBadRows(from, mid, out);
    readRangeSkippingBadRows(mid, to, out);
}

QList<StreamEvent> SessionReader::readEvents(qint64 from, qint64 count)
{
    QList<StreamEvent> out;
    from = std::max<qint64>(from, 0);
    const qint64 to = std::min(d->count, from + std::max<qint64>(count, 0));
    if (from >= to)
        return out;
    out.reserve(to - from);
    if (d->inMemory) {
        out.append(QList<StreamEvent>(d->events.begin() + from, d->events.begin() + to));
        return out;
    }
    if (from < d->blocked)
        d->readBlocks(from, std::min(to, d->blocked), out);
    if (to > d->blocked)
        d->readRangeSkippingBadRows(std::max(from, d->blocked), to, out);
    return out;
}

qint64 SessionReader::indexAtOrAfter(qint64 arrivalNs)
{
    qint64 lo = 0;
    if (!d->inMemory && !d->blocks.empty()) {
        const qint64 row = d->indexInBlocks(arrivalNs);
        if (row >= 0)
            return row;
        lo = d->blocked;
    }
    qint64 hi = d->count;
    while (lo < hi) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (d->arrivalAt(mid) < arrivalNs)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const SessionHeader &SessionReader::header() const { return d->header; }
QStringList SessionReader::problems() const { return d->problems; }
qint64 SessionReader::eventCount() const { return d->count; }
qint64 SessionReader::firstArrivalNs() const { return d->firstArrival; }
qint64 SessionReader::lastArrivalNs() const { return d->lastArrival; }
QList<SessionLogEntry> SessionReader::log() const { return d->log; }
QList<SessionDetail> SessionReader::details() const { return d->details; }
QList<QPair<qint64, QByteArray>> SessionReader::probes() const { return d->probes; }

} // namespace rcrt
