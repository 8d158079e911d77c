#pragma once

#include "model/eventquery.h"

#include <QByteArray>
#include <QSortFilterProxyModel>

namespace rcrt::ui {

class EventsModel;

// Filters and sorts the events table. The filter is a parsed EventQuery ANDed with an optional
// exact schema (the schema combo). Reads records straight from the EventsModel (no QVariant per
// row), so re-filtering 200,000 rows stays cheap. Sorting uses raw values (EventsModel::SortRole
// semantics), never the formatted text.
class EventsFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsFilterProxy)

public:
    explicit EventsFilterProxy(QObject *parent = nullptr);

    // Must be an EventsModel.
    void setSourceModel(QAbstractItemModel *sourceModel) override;
    EventsModel *eventsModel() const { return m_events; }

    void setQuery(const EventQuery &query);
    void clearQuery() { setQuery(EventQuery()); }
    const EventQuery &query() const { return m_query; }

    // Empty: any schema.
    void setSchemaFilter(const QByteArray &schemaName);
    QByteArray schemaFilter() const { return m_schema; }

    bool isFiltering() const { return !m_query.isEmpty() || !m_schema.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    EventsModel *m_events = nullptr;
    EventQuery m_query;
    QByteArray m_schema;
};

} // namespace rcrt::ui
