#include "app/session/sessionwriter.h"

#include "app/session/eventblock.h"
#include "app/session/sessionschema.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <vector>

namespace rcrt {

namespace {
constexpr qint64 kCommitIntervalMs = 250;
} // namespace

struct SessionWriter::Private
{
    QString path;
    QString connection;
    QSqlDatabase db;
    std::unique_ptr<QSqlQuery> insertEvent;
    std::unique_ptr<QSqlQuery> insertBlock;
    std::unique_ptr<QSqlQuery> deleteTailRows;
    std::unique_ptr<QSqlQuery> insertLog;
    std::unique_ptr<QSqlQuery> insertDetail;
    std::unique_ptr<QSqlQuery> insertProbe;
    std::unique_ptr<QSqlQuery> setMeta;
    QElapsedTimer sinceCommit;
    bool inTransaction = false;
    bool closed = false;
    qint64 events = 0;
    qint64 bytes = 0;
    qint64 lastArrivalNs = 0;
    // The events after the last block, waiting for the next one; the first `tailStored` of them
    // are already rows of the `events` table (written at a commit, so that a crash keeps them).
    std::vector<StreamEvent> tail;
    qint64 tailBytes = 0;
    size_t tailStored = 0;
    QString error;

    void fail(const QString &what, const QSqlError &e)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1: %2").arg(what, e.text());
    }

    bool exec(const QString &sql)
    {
        QSqlQuery q(db);
        if (q.exec(sql))
            return true;
        fail(sql, q.lastError());
        return false;
    }

    bool begin()
    {
        if (inTransaction)
            return true;
        if (!db.transaction()) {
            fail(QStringLiteral("begin"), db.lastError());
            return false;
        }
        inTransaction = true;
        return true;
    }

    // The tail as one block; its rows in `events` go in the same transaction.
    void storeBlock()
    {
        if (tail.empty() || !begin())
            return;
        const qint64 first = events - qint64(tail.size());
        const eventblock::Columns c = eventblock::encode(tail.data(), tail.data() + tail.size());
        insertBlock->bindValue(0, first);
        insertBlock->bindValue(1, c.count);
        insertBlock->bindValue(2, c.firstArrivalNs);
        insertBlock->bindValue(3, c.lastArrivalNs);
        insertBlock->bindValue(4, c.checksum);
        insertBlock->bindValue(5, c.arrivals);
        insertBlock->bindValue(6, c.sources);
        insertBlock->bindValue(7, c.lengths);
        insertBlock->bindValue(8, c.raw);
        if (!insertBlock->exec())
            fail(QStringLiteral("event block"), insertBlock->lastError());
        if (tailStored > 0) {
            deleteTailRows->bindValue(0, first);
            if (!deleteTailRows->exec())
                fail(QStringLiteral("event block"), deleteTailRows->lastError());
        }
        tail.clear();
        tailBytes = 0;
        tailStored = 0;
    }

    // The tail's events not stored yet become single rows, so the commit keeps them.
    void storeTailRows()
    {
        if (tailStored == tail.size() || !begin())
            return;
        const qint64 first = events - qint64(tail.size());
        for (; tailStored < tail.size(); ++tailStored) {
            const StreamEvent &e = tail[tailStored];
            insertEvent->bindValue(0, first + qint64(tailStored));
            insertEvent->bindValue(1, qint64(e.arrivalNs));
            insertEvent->bindValue(2, int(e.source));
            insertEvent->bindValue(3, e.raw);
            if (!insertEvent->exec()) {
                fail(QStringLiteral("event"), insertEvent->lastError());
                return;
            }
        }
    }

    bool commit()
    {
        sinceCommit.restart();
        storeTailRows();
        if (!inTransaction)
            return error.isEmpty();
        inTransaction = false;
        if (!db.commit()) {
            fail(QStringLiteral("commit"), db.lastError());
            return false;
        }
        return error.isEmpty();
    }

    void commitIfDue()
    {
        if (sinceCommit.elapsed() >= kCommitIntervalMs)
            commit();
    }

    void meta(const QString &key, const QString &value)
    {
        setMeta->bindValue(0, key);
        setMeta->bindValue(1, value.isNull() ? QStringLiteral("") : value); // NOT NULL column
        if (!setMeta->exec())
            fail(QStringLiteral("meta %1").arg(key), setMeta->lastError());
    }
};

SessionWriter::SessionWriter()
    : d(std::make_unique<Private>())
{
}

SessionWriter::~SessionWriter()
{
    close();
}

std::unique_ptr<SessionWriter> SessionWriter::create(const QString &path, const SessionHeader &header,
                                                     QString *error)
{
    if (QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("%1 exists; a session is never overwritten").arg(path);
        return nullptr;
    }
    std::unique_ptr<SessionWriter> w(new SessionWriter);
    // A failure leaves nothing behind: the half-made file is ours, so it goes.
    auto setError = [&w, error, path](const QString &message) {
        if (error)
            *error = message;
        w.reset();
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(path + QLatin1String(suffix));
    };
    Private &p = *w->d;
    p.path = path;
    p.connection = sessionschema::newConnectionName("writer");
    p.db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), p.connection);
    p.db.setDatabaseName(path);
    if (!p.db.open()) {
        setError(QStringLiteral("cannot create %1: %2").arg(path, p.db.lastError().text()));
        return nullptr;
    }
    const QStringList setup{
        QStringLiteral("PRAGMA page_size=4096"),
        QStringLiteral("PRAGMA application_id=%1").arg(sessionschema::kApplicationId),
        QStringLiteral("PRAGMA user_version=%1").arg(kSessionFormatVersion),
        QStringLiteral("PRAGMA journal_mode=WAL"),
        // WAL + NORMAL: a commit survives the process being killed; only a power loss may
        // take the last commits back. Recording must not wait on fsync per batch.
        QStringLiteral("PRAGMA synchronous=NORMAL"),
    };
    for (const QString &sql : setup + sessionschema::createStatements()) {
        if (!p.exec(sql)) {
            setError(QStringLiteral("cannot create %1: %2").arg(path, p.error));
            return nullptr;
        }
    }
    p.insertEvent = std::make_unique<QSqlQuery>(p.db);
    p.insertBlock = std::make_unique<QSqlQuery>(p.db);
    p.deleteTailRows = std::make_unique<QSqlQuery>(p.db);
    p.insertLog = std::make_unique<QSqlQuery>(p.db);
    p.insertDetail = std::make_unique<QSqlQuery>(p.db);
    p.insertProbe = std::make_unique<QSqlQuery>(p.db);
    p.setMeta = std::make_unique<QSqlQuery>(p.db);
    const bool prepared =
        p.insertEvent->prepare(QStringLiteral("INSERT INTO events(id, arrival_ns, source, raw) VALUES(?,?,?,?)"))
        && p.insertBlock->prepare(QStringLiteral(
            "INSERT INTO event_blocks(id, count, first_arrival_ns, last_arrival_ns, checksum, arrivals, "
            "sources, lengths, raw) VALUES(?,?,?,?,?,?,?,?,?)"))
        && p.deleteTailRows->prepare(QStringLiteral("DELETE FROM events WHERE id >= ?"))
        && p.insertLog->prepare(QStringLiteral("INSERT INTO log(at_ns, kind, text) VALUES(?,?,?)"))
        && p.insertDetail->prepare(QStringLiteral(
            "INSERT INTO details(at_ns, breadcrumb_id, version, full_json) VALUES(?,?,?,?)"))
        && p.insertProbe->prepare(QStringLiteral("INSERT INTO probes(at_ns, json) VALUES(?,?)"))
        && p.setMeta->prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)"));
    if (!prepared) {
        setError(QStringLiteral("cannot create %1: %2").arg(path, p.db.lastError().text()));
        return nullptr;
    }
    p.begin();
    p.meta(QStringLiteral("format_version"), QString::number(kSessionFormatVersion));
    p.meta(QStringLiteral("app_version"),
           header.appVersion.isEmpty() ? QStringLiteral(RCRT_VERSION) : header.appVersion);
    p.meta(QStringLiteral("server_url"), sanitizeServerUrl(QUrl(header.serverUrl)));
    p.meta(QStringLiteral("start_ns"), QString::number(header.startNs));
    if (header.clockOffsetNs)
        p.meta(QStringLiteral("clock_offset_ns"), QString::number(*header.clockOffsetNs));
    if (!header.note.isEmpty())
        p.meta(QStringLiteral("note"), scrubCredentials(header.note));
    if (!p.commit()) {
        setError(QStringLiteral("cannot create %1: %2").arg(path, p.error));
        return nullptr;
    }
    return w;
}

void SessionWriter::appendEvent(const StreamEvent &event)
{
    Private &p = *d;
    if (p.closed)
        return;
    const qint64 arrival = std::max<qint64>(event.arrivalNs, p.lastArrivalNs);
    p.tail.push_back({arrival, event.source, event.raw});
    p.lastArrivalNs = arrival;
    ++p.events;
    p.bytes += event.raw.size();
    p.tailBytes += event.raw.size();
    if (qint64(p.tail.size()) >= eventblock::kMaxEvents || p.tailBytes >= eventblock::kMaxBytes)
        p.storeBlock();
}

void SessionWriter::appendEvents(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events)
        appendEvent(event);
    d->commitIfDue();
}

void SessionWriter::appendLog(const SessionLogEntry &entry)
{
    Private &p = *d;
    if (p.closed || !p.begin())
        return;
    p.insertLog->bindValue(0, entry.atNs);
    p.insertLog->bindValue(1, sessionLogKindName(entry.kind));
    p.insertLog->bindValue(2, scrubCredentials(entry.text));
    if (!p.insertLog->exec())
        p.fail(QStringLiteral("log"), p.insertLog->lastError());
    p.commitIfDue();
}

void SessionWriter::appendDetail(const SessionDetail &detail)
{
    Private &p = *d;
    if (p.closed || !p.begin())
        return;
    p.insertDetail->bindValue(0, detail.atNs);
    p.insertDetail->bindValue(1, QString::fromUtf8(detail.breadcrumbId));
    p.insertDetail->bindValue(2, detail.version);
    p.insertDetail->bindValue(3, detail.fullJson);
    if (!p.insertDetail->exec())
        p.fail(QStringLiteral("detail"), p.insertDetail->lastError());
    p.commitIfDue();
}

void SessionWriter::appendProbe(qint64 atNs, const QByteArray &json)
{
    Private &p = *d;
    if (p.closed || !p.begin())
        return;
    p.insertProbe->bindValue(0, atNs);
    p.insertProbe->bindValue(1, json);
    if (!p.insertProbe->exec())
        p.fail(QStringLiteral("probe"), p.insertProbe->lastError());
    p.commitIfDue();
}

void SessionWriter::setClockOffsetNs(qint64 offsetNs)
{
    Private &p = *d;
    if (p.closed || !p.begin())
        return;
    p.meta(QStringLiteral("clock_offset_ns"), QString::number(offsetNs));
    p.commitIfDue();
}

bool SessionWriter::flush(QString *error)
{
    const bool ok = d->closed ? d->error.isEmpty() : d->commit();
    if (!ok && error)
        *error = d->error;
    return ok;
}

bool SessionWriter::close(QString *error)
{
    Private &p = *d;
    if (p.closed)
        return flush(error);
    p.storeBlock(); // the last, short block: a closed file holds no single event rows
    p.commit();
    p.closed = true;
    p.insertEvent.reset();
    p.insertBlock.reset();
    p.deleteTailRows.reset();
    p.insertLog.reset();
    p.insertDetail.reset();
    p.insertProbe.reset();
    p.setMeta.reset();
    // Back to a rollback journal: checkpoints and removes -wal/-shm, so the finished session is
    // one file. (If a reader still has it open this fails quietly and the WAL stays valid.)
    {
        QSqlQuery q(p.db);
        q.exec(QStringLiteral("PRAGMA journal_mode=DELETE"));
    }
    p.db.close();
    p.db = QSqlDatabase();
    QSqlDatabase::removeDatabase(p.connection);
    return flush(error);
}

qint64 SessionWriter::eventCount() const { return d->events; }
qint64 SessionWriter::bytesWritten() const { return d->bytes; }
QString SessionWriter::path() const { return d->path; }
QString SessionWriter::lastError() const { return d->error; }

} // namespace rcrt
