#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace rcrt {
class FlowTracker;
class ReplayEngine;
} // namespace rcrt

namespace rcrt::ui {

class EventsView;
class LatencyChartsView;
class PendingView;

// Drives the views from a ReplayEngine's cursor, so each shows the state at the cursor
// (issue 5 item 2). Moves forward feed the same EventBatches a live store emits, to every
// view. Moves back, and big jumps:
//  * events: EventsView::rewind() takes the newest rows back (a suffix of the seq range); when
//    the table then holds fewer rows than live would (its cap evicted older ones), it is
//    reloaded with the newest EventsModel::maxRows() records before the cursor;
//  * flows and pending: the FlowTracker is rebuilt from the session's flow records before the
//    cursor (only tool requests/responses/…, found by schema), with its signals held, then
//    one flowsReset reloads the views; its clock is the cursor's recorded arrival time;
//  * charts: cleared and caught up in chunks on later event-loop turns (they are a summary,
//    and rebuilding a million lag samples takes longer than a seek may).
class ReplayFeeder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayFeeder)

public:
    static constexpr qint64 kIncrementalLimit = 20'000; // larger forward moves are jumps
    static constexpr qint64 kChartsChunk = 50'000;

    ReplayFeeder(ReplayEngine *engine, EventsView *events, FlowTracker *tracker, PendingView *pending,
                 LatencyChartsView *charts, QObject *parent = nullptr);
    ~ReplayFeeder() override;

    // Starts over at cursor 0 (after a load), with the views cleared and the clocks set.
    void start();
    // Gives the views back to live use: default clocks, cleared.
    void stop();

    bool isActive() const { return m_active; }
    // Deliveries the charts have been fed so far (they catch up after a jump).
    qint64 chartsCursor() const { return m_chartsAt; }
    bool chartsCaughtUp() const;

signals:
    // After each cursor move has reached the events, flows and pending views.
    void fed(qint64 cursor);
    void chartsCaughtUpChanged(bool caughtUp);

private:
    void onCursorMoved(qint64 from, qint64 to);
    void reloadEvents(qint64 to);
    void rebuildTracker(qint64 from, qint64 to);
    void catchUpCharts();

    QPointer<ReplayEngine> m_engine;
    QPointer<EventsView> m_events;
    QPointer<FlowTracker> m_tracker;
    QPointer<PendingView> m_pending;
    QPointer<LatencyChartsView> m_charts;
    QMetaObject::Connection m_connection;
    QTimer m_chartsTimer;
    qint64 m_chartsAt = 0;
    bool m_active = false;
};

} // namespace rcrt::ui
