#pragma once

#include "model/eventrecord.h"
#include "ui/events/eventsmodel.h"

#include <QWidget>

class QLabel;
class QTableView;
class QTimer;

namespace rcrt {
class EventQuery;
class RestClient;
class TitleCache;
} // namespace rcrt

namespace rcrt::ui {

class EventsFilterBar;
class EventsFilterProxy;
class EventsModel;

// The events view (issue 3 item 2): filter bar, the events table and a status line.
//
// Feed it with addBatch() (the EventStore's coalesced batches). Follow tail keeps the newest
// row in view; scrolling up turns it off and End turns it back on. Pause freezes the table:
// batches are buffered (bounded by the model's row cap) and inserted in one go on resume.
// Titles are fetched for the visible rows only, through the TitleCache made for the
// RestClient given to setRestClient().
//
// Keys: Ctrl+F focuses the filter, Esc (in the filter) clears it, Space (in the table) toggles
// pause, End re-enables follow tail. Column visibility and widths persist in QSettings.
class EventsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsView)

public:
    explicit EventsView(QWidget *parent = nullptr);
    ~EventsView() override;

    // Not owned; may be null (replay): then titles come only from REST list items.
    void setRestClient(RestClient *client);
    TitleCache *titleCache() const { return m_titles; }

    EventsModel *model() const { return m_model; }
    EventsFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    EventsFilterBar *filterBar() const { return m_bar; }

    bool isPaused() const { return m_paused; }
    bool followTail() const { return m_followTail; }
    qsizetype bufferedRecords() const { return m_pending.records.size(); }
    QString statusText() const;

public slots:
    void addBatch(const rcrt::EventBatch &batch);
    // A replay's rows from a row source (EventsModel::setRowSource), following the tail as
    // new rows come; pause does not apply (the replay itself pauses).
    void setRowSource(const EventsModel::RowSource &source, qint64 endSeq);
    void setSourceEnd(qint64 endSeq, const QList<qint64> &changedSeqs = {});
    void setPaused(bool paused);
    void togglePaused() { setPaused(!m_paused); }
    void setFollowTail(bool on);
    void clear();
    void focusFilter();
    void requestVisibleTitles();

signals:
    void breadcrumbSelected(const rcrt::EventRecord &record);
    void pausedChanged(bool paused);
    void followTailChanged(bool on);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void setupTable();
    void showHeaderMenu(const QPoint &pos);
    void scheduleTitles();
    void updateStatus();
    void saveSettings() const;
    void restoreSettings();
    void onCurrentChanged(const QModelIndex &current);

    EventsModel *m_model = nullptr;
    EventsFilterProxy *m_proxy = nullptr;
    TitleCache *m_titles = nullptr;
    EventsFilterBar *m_bar = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_titleTimer = nullptr;
    QTimer *m_statusTimer = nullptr;
    EventBatch m_pending; // records and repeats held back while paused
    bool m_paused = false;
    bool m_followTail = true;
};

} // namespace rcrt::ui
