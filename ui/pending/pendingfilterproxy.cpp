#include "ui/pending/pendingfilterproxy.h"

#include "ui/pending/pendingmodel.h"

namespace rcrt::ui {

PendingFilterProxy::PendingFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(PendingModel::SortRole);
    setDynamicSortFilter(true);
}

PendingFilterProxy::~PendingFilterProxy() = default;

void PendingFilterProxy::setShowAnswered(bool on)
{
    if (m_showAnswered == on)
        return;
    m_showAnswered = on;
    invalidateRowsFilter();
}

bool PendingFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_showAnswered)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, PendingModel::AgeColumn, sourceParent);
    return index.data(PendingModel::ListedByDefaultRole).toBool();
}

} // namespace rcrt::ui
