#pragma once

#include "model/eventrecord.h"
#include "model/streamevent.h"

#include <QByteArrayView>
#include <QList>
#include <QObject>

#include <memory>
#include <optional>

namespace rcrt {

// Every decoded event, deduplicated on (breadcrumb_id, version) (DESIGN.md data flow).
//
// Single-threaded: it lives in the ingest thread; other threads only see EventBatch values
// delivered by queued `batchReady` signals.
//
// Records get a store-wide sequence number (seq) in arrival order; `at(i)` is the i-th held
// record, `recordBySeq` survives eviction of older records.
//
// Bound: when a new record makes size() exceed Options::maxEvents, the oldest record (lowest
// seq) is evicted and every index forgets it. An id whose records were all evicted is
// unknown again (latestVersion → 0), so a very late copy of it would count as new.
// maxUpdatedAtNs() and the counters are totals and are not lowered by eviction.
//
// Memory: records are kept compact (80 bytes plus the shared raw payload; UUID ids as 16
// bytes, schemas/tags/owners interned); EventRecord values are built on demand by at() and
// recordBySeq() and for batches. Measured: about 150 bytes per record beyond the raw payload,
// plus ~8 bytes per tag and ~125 bytes per distinct tag text (e.g. each `request:<id>`).
//
// Batches: the first change after a batch starts a single-shot timer (batchIntervalMs); when
// it fires, or on flush(), everything pending goes out as one EventBatch. Nothing is emitted
// while the thread's event loop is blocked, so call flush() when ingesting without one. While
// nothing is connected to batchReady, batches are not built.
class EventStore final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qsizetype maxEvents = 1'000'000;
        int batchIntervalMs = 33;      // batchReady at most ~30 times per second
        qsizetype maxPingLog = 100'000;
        qsizetype maxRejectLog = 1'000;
    };

    enum class IngestResult : quint8 { NewVersion, RepeatArrival, Ping, Other, Rejected };
    Q_ENUM(IngestResult)

    explicit EventStore(QObject *parent = nullptr);
    explicit EventStore(const Options &options, QObject *parent = nullptr);
    ~EventStore() override;
    Q_DISABLE_COPY_MOVE(EventStore)

    const Options &options() const;

    // Decodes and files one payload; never throws. Rejected payloads are counted and logged.
    IngestResult ingest(StreamEvent event);

    // --- records ---
    qsizetype size() const;
    bool isEmpty() const { return size() == 0; }
    qint64 firstSeq() const;       // seq of at(0); equals nextSeq() when empty
    qint64 nextSeq() const;
    EventRecord at(qsizetype index) const;               // 0 <= index < size()
    std::optional<EventRecord> recordBySeq(qint64 seq) const;
    bool containsSeq(qint64 seq) const;

    // --- indexes (seqs ascending; only held records) ---
    int latestVersion(QByteArrayView breadcrumbId) const; // 0 when unknown
    std::optional<qint64> seqOf(QByteArrayView breadcrumbId, qint32 version) const;
    QList<qint64> seqsForId(QByteArrayView breadcrumbId) const;
    QList<qint64> seqsForSchema(QByteArrayView schemaName) const;
    QList<qint64> seqsForTag(QByteArrayView tag) const;
    QList<QByteArray> schemaNames() const;                // of held records, unordered
    qsizetype distinctIds() const;

    // --- totals and logs ---
    qint64 maxUpdatedAtNs() const;  // 0 before the first breadcrumb
    qint64 lastPingTsNs() const;    // server `ts` of the newest ping; 0 before any
    qint64 lastPingArrivalNs() const;
    QList<PingRecord> pingLog() const;      // oldest first, bounded by maxPingLog
    QList<RejectRecord> rejectLog() const;  // oldest first, bounded by maxRejectLog
    QString lastRejectError() const;
    StoreCounters counters() const;

public slots:
    void ingestBatch(const QList<rcrt::StreamEvent> &events);
    // Emits batchReady now if anything changed since the last batch.
    void flush();
    // Forgets what the next batch would carry, without emitting it: for a bulk load whose
    // consumers read the store itself (a replay), so no batch of everything is ever built.
    void discardPending();

signals:
    void batchReady(const rcrt::EventBatch &batch);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt
