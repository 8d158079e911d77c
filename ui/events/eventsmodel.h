#pragma once

#include "model/eventrecord.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QColor>
#include <QHash>
#include <QPointer>
#include <QSet>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

namespace rcrt {
class TitleCache;
}

namespace rcrt::ui {

// The events table: one row per EventRecord, in arrival (seq) order, modelled on Wireshark's
// packet list. Rows come in whole batches (≤ ~30 a second from the EventStore), each batch one
// beginInsertRows/endInsertRows; beyond maxRows() the oldest rows are removed at the front in
// one beginRemoveRows. A repeat arrival of a held (id, version) updates that row in place.
//
// Only DisplayRole formats; the typed roles give raw values to the proxy, delegates and other
// views. Titles are not in SSE events: the Title column shows what the TitleCache knows, and
// the row is refreshed (dataChanged) when a title arrives.
class EventsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsModel)

public:
    enum Column : int {
        ArrivalColumn,   // console clock, HH:mm:ss.zzz
        UpdatedAtColumn, // the server's `updated_at`
        LagColumn,       // arrival − updated_at, ms
        KindColumn,      // created (version 1) / updated
        SchemaColumn,
        TitleColumn,     // lazy, from the TitleCache
        TagsColumn,
        VersionColumn,
        IdColumn,        // shown shortened; BreadcrumbIdRole has it whole
        SizeColumn,      // bytes of the raw payload
        SourceColumn,    // sse / backfill / local / replay, with ×N for repeat arrivals
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role : int {
        RecordRole = Qt::UserRole + 1, // rcrt::EventRecord
        SortRole,          // the column's raw value (qint64, int or QString)
        SeqRole,           // qint64
        ArrivalNsRole,     // qint64, first arrival
        UpdatedAtNsRole,   // qint64
        LagNsRole,         // qint64, first arrival − updated_at (may be negative: clock skew)
        SchemaRole,        // QByteArray
        BreadcrumbIdRole,  // QByteArray
        VersionRole,       // int
        TagsRole,          // QList<QByteArray>
        SizeRole,          // qint64
        SourceRole,        // int(rcrt::EventSource) of the first arrival
        ArrivalCountRole,  // qint64, 1 + repeat arrivals
        TitleRole,         // QString, empty while unknown
        SchemaFamilyRole,  // int(rcrt::ui::SchemaFamily)
    };
    Q_ENUM(Role)

    static constexpr qsizetype kDefaultMaxRows = 200'000;

    // Replay (issue 5): rows backed by a read-only source of records (a replayed session's
    // store) instead of held copies, so a cursor move is a change of the end seq, not a copy
    // of rows: rows are the seqs [firstSeq, end), built on demand (a small cache keeps the
    // ones just asked for). No row cap applies.
    struct RowSource
    {
        qint64 firstSeq = 0;
        std::function<EventRecord(qint64 seq)> record;                 // as shown at the cursor
        std::function<QList<qint64>(const QByteArray &id)> seqsOfId;   // ascending
        QList<QByteArray> schemas;
    };

    explicit EventsModel(QObject *parent = nullptr);
    ~EventsModel() override;

    qsizetype maxRows() const { return m_maxRows; }
    // Takes effect at once (evicting the oldest rows if needed).
    void setMaxRows(qsizetype maxRows);

    // Not owned; may be null. Titles show as they arrive in the cache.
    void setTitleCache(TitleCache *cache);
    TitleCache *titleCache() const;

    // Fast access for the proxy and the view (no QVariant). 0 <= row < rowCount(). With a row
    // source, the reference stays valid until a few thousand other rows were asked for.
    const EventRecord &recordAt(int row) const { return m_source ? sourceRecord(row) : m_rows[size_t(row)]; }
    QString titleAt(int row) const;
    // The row holding `seq`, or -1.
    int rowForSeq(qint64 seq) const;
    QList<int> rowsForId(const QByteArray &breadcrumbId) const;
    QList<QByteArray> schemas() const; // every schema seen since the last clear(), sorted
    qint64 evictedRows() const { return m_evicted; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString formatClock(qint64 ns);  // HH:mm:ss.zzz, local time
    static QString formatLagMs(qint64 lagNs);
    static QString formatSize(qint64 bytes);
    static QString shortId(const QByteArray &id);

public slots:
    // Batches of one EventStore, in order (seqs increase); clear() before feeding another.
    void addBatch(const rcrt::EventBatch &batch);
    void clear();
    // Row-source mode (see RowSource): a reset to rows [firstSeq, endSeq); clear() leaves it.
    void setRowSource(RowSource source, qint64 endSeq);
    bool hasRowSource() const { return m_source != nullptr; }
    // Rows inserted or removed at the end; `changedSeqs` are rows whose record changed
    // (later arrivals came or went).
    void setSourceEnd(qint64 endSeq, const QList<qint64> &changedSeqs = {});

signals:
    void schemaSeen(const QByteArray &schemaName);

private:
    void appendRecords(const QList<EventRecord> &records);
    void applyRepeats(const QList<RepeatArrival> &repeats);
    void evictFront(qsizetype count);
    void onTitleReady(const QByteArray &id);
    QVariant displayData(const EventRecord &record, int row, int column) const;
    QVariant sortData(const EventRecord &record, int row, int column) const;
    QVariant toolTipData(const EventRecord &record, int row, int column) const;
    const QColor &background(const EventRecord &record) const;
    const EventRecord &sourceRecord(int row) const;
    void emitRowsChanged(QList<int> rows);

    std::deque<EventRecord> m_rows;
    QHash<QByteArray, QList<qint64>> m_seqsById; // for title updates; seqs ascending
    QSet<QByteArray> m_schemas;
    qsizetype m_maxRows = kDefaultMaxRows;
    qint64 m_evicted = 0;
    std::unique_ptr<RowSource> m_source;
    qint64 m_sourceEnd = 0;
    mutable std::unordered_map<qint64, EventRecord> m_sourceCache; // by seq
    mutable std::deque<qint64> m_sourceCacheOrder;                 // oldest first
    QPointer<TitleCache> m_titles;
    QMetaObject::Connection m_titleConnection;

    // Row colours for the palette they were made for (recomputed when the palette changes).
    mutable qint64 m_paletteKey = -1;
    mutable std::array<QColor, 7> m_backgrounds;
    mutable std::array<QColor, 7> m_foregrounds;
};

} // namespace rcrt::ui
