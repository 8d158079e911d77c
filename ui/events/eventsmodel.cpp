#include "ui/events/eventsmodel.h"

#include "app/titlecache.h"
#include "ui/schemacolors.h"

#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace rcrt::ui {

EventsModel::EventsModel(QObject *parent) : QAbstractTableModel(parent) {}

EventsModel::~EventsModel() = default;

void EventsModel::setMaxRows(qsizetype maxRows)
{
    m_maxRows = std::max<qsizetype>(1, maxRows);
    if (qsizetype(m_rows.size()) > m_maxRows)
        evictFront(qsizetype(m_rows.size()) - m_maxRows);
}

void EventsModel::setTitleCache(TitleCache *cache)
{
    disconnect(m_titleConnection);
    m_titles = cache;
    if (cache)
        m_titleConnection = connect(cache, &TitleCache::titleReady, this,
                                    [this](const QByteArray &id, const QString &) { onTitleReady(id); });
    if (!m_rows.empty())
        emit dataChanged(index(0, TitleColumn), index(rowCount() - 1, TitleColumn));
}

TitleCache *EventsModel::titleCache() const
{
    return m_titles;
}

QString EventsModel::titleAt(int row) const
{
    if (!m_titles)
        return {};
    return m_titles->title(recordAt(row).envelope.breadcrumbId).value_or(QString());
}

int EventsModel::rowForSeq(qint64 seq) const
{
    if (m_source)
        return seq >= m_source->firstSeq && seq < m_sourceEnd ? int(seq - m_source->firstSeq) : -1;
    // Rows are in seq order (one EventStore hands out increasing seqs).
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), seq,
                                     [](const EventRecord &r, qint64 s) { return r.seq < s; });
    if (it == m_rows.end() || it->seq != seq)
        return -1;
    return int(it - m_rows.begin());
}

QList<int> EventsModel::rowsForId(const QByteArray &breadcrumbId) const
{
    QList<int> rows;
    for (qint64 seq : m_source ? m_source->seqsOfId(breadcrumbId) : m_seqsById.value(breadcrumbId))
        if (const int row = rowForSeq(seq); row >= 0)
            rows.append(row);
    return rows;
}

QList<QByteArray> EventsModel::schemas() const
{
    QList<QByteArray> list = m_source ? m_source->schemas : QList<QByteArray>(m_schemas.begin(), m_schemas.end());
    std::sort(list.begin(), list.end());
    return list;
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_source ? int(m_sourceEnd - m_source->firstSeq) : int(m_rows.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void EventsModel::addBatch(const EventBatch &batch)
{
    if (m_source)
        return; // rows come from the source
    appendRecords(batch.records);
    applyRepeats(batch.repeats);
}

void EventsModel::clear()
{
    if (m_rows.empty() && m_schemas.isEmpty() && !m_source)
        return;
    beginResetModel();
    m_source.reset();
    m_sourceEnd = 0;
    m_sourceCache.clear();
    m_sourceCacheOrder.clear();
    m_rows.clear();
    m_seqsById.clear();
    m_schemas.clear();
    endResetModel();
}

void EventsModel::setRowSource(RowSource source, qint64 endSeq)
{
    beginResetModel();
    m_rows.clear();
    m_seqsById.clear();
    m_schemas.clear();
    m_sourceCache.clear();
    m_sourceCacheOrder.clear();
    m_source = std::make_unique<RowSource>(std::move(source));
    m_sourceEnd = std::max(endSeq, m_source->firstSeq);
    endResetModel();
    for (const QByteArray &schema : std::as_const(m_source->schemas))
        emit schemaSeen(schema);
}

void EventsModel::setSourceEnd(qint64 endSeq, const QList<qint64> &changedSeqs)
{
    if (!m_source)
        return;
    endSeq = std::max(endSeq, m_source->firstSeq);
    QList<int> changed;
    for (qint64 seq : changedSeqs) {
        m_sourceCache.erase(seq); // built again, with its arrivals as of now, when next asked
        if (seq >= m_source->firstSeq && seq < std::min(endSeq, m_sourceEnd))
            changed.append(int(seq - m_source->firstSeq));
    }
    if (endSeq < m_sourceEnd) {
        beginRemoveRows({}, int(endSeq - m_source->firstSeq), int(m_sourceEnd - m_source->firstSeq) - 1);
        m_sourceEnd = endSeq;
        endRemoveRows();
    } else if (endSeq > m_sourceEnd) {
        beginInsertRows({}, int(m_sourceEnd - m_source->firstSeq), int(endSeq - m_source->firstSeq) - 1);
        m_sourceEnd = endSeq;
        endInsertRows();
    }
    emitRowsChanged(changed);
}

const EventRecord &EventsModel::sourceRecord(int row) const
{
    const qint64 seq = m_source->firstSeq + row;
    auto it = m_sourceCache.find(seq);
    if (it != m_sourceCache.end())
        return it->second;
    // FIFO: the entry made now is the newest, so references handed out just before it (a
    // sort comparing two rows) survive.
    constexpr size_t kCacheRows = 4096;
    while (m_sourceCacheOrder.size() >= kCacheRows) {
        m_sourceCache.erase(m_sourceCacheOrder.front());
        m_sourceCacheOrder.pop_front();
    }
    m_sourceCacheOrder.push_back(seq);
    return m_sourceCache.emplace(seq, m_source->record(seq)).first->second;
}

void EventsModel::emitRowsChanged(QList<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    // One dataChanged per run of adjacent rows.
    for (qsizetype i = 0; i < rows.size();) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        emit dataChanged(index(rows[i], 0), index(rows[j], ColumnCount - 1));
        i = j + 1;
    }
}

void EventsModel::appendRecords(const QList<EventRecord> &records)
{
    if (records.isEmpty())
        return;
    // A batch larger than the cap keeps only its newest records.
    const qsizetype skip = std::max<qsizetype>(0, records.size() - m_maxRows);
    const qsizetype count = records.size() - skip;
    m_evicted += skip;
    if (const qsizetype over = qsizetype(m_rows.size()) + count - m_maxRows; over > 0)
        evictFront(over);

    QList<QByteArray> newSchemas;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(count) - 1);
    for (qsizetype i = skip; i < records.size(); ++i) {
        const EventRecord &record = records[i];
        m_rows.push_back(record);
        m_seqsById[record.envelope.breadcrumbId].append(record.seq);
        const QByteArray &schema = record.envelope.schemaName;
        if (!schema.isEmpty() && !m_schemas.contains(schema)) {
            m_schemas.insert(schema);
            newSchemas.append(schema);
        }
    }
    endInsertRows();
    for (const QByteArray &schema : std::as_const(newSchemas))
        emit schemaSeen(schema);
}

void EventsModel::applyRepeats(const QList<RepeatArrival> &repeats)
{
    QList<int> changed;
    for (const RepeatArrival &repeat : repeats) {
        const int row = rowForSeq(repeat.seq);
        if (row < 0)
            continue; // evicted here, or arrived before this model existed
        EventRecord &record = m_rows[size_t(row)];
        if (record.envelope.breadcrumbId != repeat.breadcrumbId || record.envelope.version != repeat.version)
            continue;
        record.laterArrivals.append(repeat.arrival);
        changed.append(row);
    }
    emitRowsChanged(changed);
}

void EventsModel::evictFront(qsizetype count)
{
    count = std::min(count, qsizetype(m_rows.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i) {
        const EventRecord &record = m_rows.front();
        auto it = m_seqsById.find(record.envelope.breadcrumbId);
        if (it != m_seqsById.end()) {
            // The evicted row has the smallest seq of its id, so it is first in the list.
            if (!it->isEmpty() && it->first() == record.seq)
                it->removeFirst();
            else
                it->removeOne(record.seq);
            if (it->isEmpty())
                m_seqsById.erase(it);
        }
        m_rows.pop_front();
    }
    endRemoveRows();
    m_evicted += count;
}

void EventsModel::onTitleReady(const QByteArray &id)
{
    for (int row : rowsForId(id))
        emit dataChanged(index(row, TitleColumn), index(row, TitleColumn));
}

const QColor &EventsModel::background(const EventRecord &record) const
{
    const QPalette palette = QGuiApplication::palette();
    if (palette.cacheKey() != m_paletteKey) {
        m_paletteKey = palette.cacheKey();
        for (SchemaFamily family : allSchemaFamilies()) {
            m_backgrounds[size_t(family)] = schemaFamilyBackground(family, palette);
            m_foregrounds[size_t(family)] = readableForeground(m_backgrounds[size_t(family)]);
        }
    }
    return m_backgrounds[size_t(schemaFamilyOf(record.envelope.schemaName))];
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    const EventRecord &record = recordAt(row);
    const Envelope &e = record.envelope;
    switch (role) {
    case Qt::DisplayRole: return displayData(record, row, index.column());
    case Qt::ToolTipRole: return toolTipData(record, row, index.column());
    case SortRole: return sortData(record, row, index.column());
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case LagColumn:
        case VersionColumn:
        case SizeColumn: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default: return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::BackgroundRole: return background(record);
    case Qt::ForegroundRole:
        background(record); // refreshes the cache when the palette changed
        return m_foregrounds[size_t(schemaFamilyOf(e.schemaName))];
    case RecordRole: return QVariant::fromValue(record);
    case SeqRole: return record.seq;
    case ArrivalNsRole: return record.first.arrivalNs;
    case UpdatedAtNsRole: return e.updatedAtNs;
    case LagNsRole: return record.first.arrivalNs - e.updatedAtNs;
    case SchemaRole: return e.schemaName;
    case BreadcrumbIdRole: return e.breadcrumbId;
    case VersionRole: return e.version;
    case TagsRole: return QVariant::fromValue(e.tags);
    case SizeRole: return qint64(record.raw.size());
    case SourceRole: return int(record.first.source);
    case ArrivalCountRole: return qint64(record.arrivalCount());
    case TitleRole: return titleAt(row);
    case SchemaFamilyRole: return int(schemaFamilyOf(e.schemaName));
    default: return {};
    }
}

} // namespace rcrt::ui
