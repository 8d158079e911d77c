#pragma once

#include <QSortFilterProxyModel>

namespace rcrt::ui {

// The pending view's filter: by default only requests still open (pending or timed out without
// an answer) and problems that settled within the recent window (errors, late answers), like
// Temporal's pending activities; with showAnswered, every request.
//
// The window moves with time: PendingModel's 1 s dataChanged over its Age column makes the
// proxy re-check every row, so a settled problem leaves the list on its own.
class PendingFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PendingFilterProxy)

public:
    explicit PendingFilterProxy(QObject *parent = nullptr);
    ~PendingFilterProxy() override;

    bool showAnswered() const { return m_showAnswered; }
    void setShowAnswered(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool m_showAnswered = false;
};

} // namespace rcrt::ui
