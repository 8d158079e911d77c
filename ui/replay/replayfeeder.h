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
// view but the events table. Moves back, and big jumps:
//  * events: the table reads the session's store through an EventsModel::RowSource, so any
//    move only changes where its rows end (records shown at the cursor are a prefix of the
//    store's seqs), with the rows whose later arrivals changed refreshed;
//  * flows and pending: the FlowTracker is rebuilt from the session's flow records before the
//    cursor (only tool requests/responses/…, found by schema), with its signals held, then
//    one flowsReset reloads the views; its clock is the cursor's recorded arrival time. Up to
//    kSyncFlowRecords flow records that happens at once; more are fed kFlowChunk per
//    event-loop turn (the views stay empty meanwhile), so a seek never freezes the window;
//  * charts: cleared and caught up kChartsChunk deliveries per event-loop turn, after flows
//    (they are a summary; rebuilding a million lag samples takes longer than a seek may).
class ReplayFeeder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayFeeder)

public:
    static constexpr qint64 kIncrementalLimit = 20'000; // larger forward moves are jumps
    static constexpr qint64 kSyncFlowRecords = 5'000;
    static constexpr qint64 kFlowChunk = 5'000;
    static constexpr qint64 kChartsChunk = 20'000;

    ReplayFeeder(ReplayEngine *engine, EventsView *events, FlowTracker *tracker, PendingView *pending,
                 LatencyChartsView *charts, QObject *parent = nullptr);
    ~ReplayFeeder() override;

    // Starts over at cursor 0 (after a load), with the views cleared and the clocks set.
    void start();
    // Gives the views back to live use: default clocks, cleared.
    void stop();

    bool isActive() const { return m_active; }
    // Deliveries the flows and the charts have been fed so far (they catch up after a jump).
    qint64 flowsCursor() const { return m_trackerAt; }
    qint64 chartsCursor() const { return m_chartsAt; }
    bool flowsCaughtUp() const;
    bool chartsCaughtUp() const;
    bool isCaughtUp() const { return flowsCaughtUp() && chartsCaughtUp(); }

signals:
    // After each cursor move has reached the events view (and, unless they catch up later,
    // the flows, pending and charts views).
    void fed(qint64 cursor);
    void caughtUpChanged(bool caughtUp);

private:
    void onCursorMoved(qint64 from, qint64 to);
    void feedTracker(qint64 to, bool last);
    void catchUp();

    QPointer<ReplayEngine> m_engine;
    QPointer<EventsView> m_events;
    QPointer<FlowTracker> m_tracker;
    QPointer<PendingView> m_pending;
    QPointer<LatencyChartsView> m_charts;
    QMetaObject::Connection m_connection;
    QTimer m_catchUp;
    qint64 m_trackerAt = 0;
    qint64 m_chartsAt = 0;
    bool m_active = false;
};

} // namespace rcrt::ui
