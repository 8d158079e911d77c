#include "ui/events/eventsfilterproxy.h"

#include "ui/events/eventsmodel.h"

namespace rcrt::ui {

EventsFilterProxy::EventsFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    // A title arriving later (dataChanged on the Title column) must re-run the filter, so
    // every column counts as the filter's key.
    setFilterKeyColumn(-1);
    setSortRole(EventsModel::SortRole);
    setDynamicSortFilter(true);
}

void EventsFilterProxy::setSourceModel(QAbstractItemModel *sourceModel)
{
    m_events = qobject_cast<EventsModel *>(sourceModel);
    Q_ASSERT(m_events || !sourceModel);
    QSortFilterProxyModel::setSourceModel(sourceModel);
}

void EventsFilterProxy::setQuery(const EventQuery &query)
{
    if (query.isEmpty() && m_query.isEmpty())
        return;
    m_query = query;
    refilter();
}

void EventsFilterProxy::setSchemaFilter(const QByteArray &schemaName)
{
    if (schemaName == m_schema)
        return;
    m_schema = schemaName;
    refilter();
}

void EventsFilterProxy::refilter()
{
    // invalidateRowsFilter() reports every run of rows that changes as its own remove/insert;
    // an interleaved filter over 200,000 rows becomes tens of thousands of signals, each O(rows)
    // in the views (seconds). invalidate() rebuilds the mapping once behind one layoutChanged.
    invalidate();
}

bool EventsFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!m_events || sourceParent.isValid() || !isFiltering())
        return true; // no record read: a replay's rows are built on demand
    const EventRecord &record = m_events->recordAt(sourceRow);
    if (!m_schema.isEmpty() && record.envelope.schemaName != m_schema)
        return false;
    if (m_query.isEmpty())
        return true;
    // Titles are looked up only for queries with free text (a cache lookup per row).
    return m_query.matches(record, m_query.usesTitle() ? m_events->titleAt(sourceRow) : QString());
}

bool EventsFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (!m_events)
        return QSortFilterProxyModel::lessThan(left, right);
    const EventRecord &a = m_events->recordAt(left.row());
    const EventRecord &b = m_events->recordAt(right.row());
    const auto tieBreak = [&] { return a.seq < b.seq; };
    const auto compare = [&](auto x, auto y) { return x != y ? x < y : tieBreak(); };
    switch (left.column()) {
    case EventsModel::ArrivalColumn: return compare(a.first.arrivalNs, b.first.arrivalNs);
    case EventsModel::UpdatedAtColumn: return compare(a.envelope.updatedAtNs, b.envelope.updatedAtNs);
    case EventsModel::LagColumn:
        return compare(EventQuery::lagNs(a), EventQuery::lagNs(b));
    case EventsModel::KindColumn: return compare(a.envelope.version > 1, b.envelope.version > 1);
    case EventsModel::SchemaColumn: return compare(a.envelope.schemaName, b.envelope.schemaName);
    case EventsModel::VersionColumn: return compare(a.envelope.version, b.envelope.version);
    case EventsModel::IdColumn: return compare(a.envelope.breadcrumbId, b.envelope.breadcrumbId);
    case EventsModel::SizeColumn: return compare(a.raw.size(), b.raw.size());
    case EventsModel::SourceColumn: return compare(int(a.first.source), int(b.first.source));
    default: break; // title, tags: text
    }
    const QString x = left.data(EventsModel::SortRole).toString();
    const QString y = right.data(EventsModel::SortRole).toString();
    const int order = x.localeAwareCompare(y);
    return order != 0 ? order < 0 : tieBreak();
}

} // namespace rcrt::ui
