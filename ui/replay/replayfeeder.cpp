#include "ui/replay/replayfeeder.h"

#include "app/replayengine.h"
#include "model/flowtracker.h"
#include "ui/charts/latencychartsview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/pending/pendingmodel.h"
#include "ui/pending/pendingview.h"

#include <QSignalBlocker>

#include <algorithm>

namespace rcrt::ui {

ReplayFeeder::ReplayFeeder(ReplayEngine *engine, EventsView *events, FlowTracker *tracker, PendingView *pending,
                           LatencyChartsView *charts, QObject *parent)
    : QObject(parent), m_engine(engine), m_events(events), m_tracker(tracker), m_pending(pending), m_charts(charts)
{
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(0);
    connect(&m_catchUp, &QTimer::timeout, this, &ReplayFeeder::catchUp);
}

ReplayFeeder::~ReplayFeeder() = default;

void ReplayFeeder::start()
{
    stop();
    m_active = true;
    const QPointer<ReplayEngine> engine = m_engine;
    const auto clock = [engine]() -> qint64 { return engine ? engine->cursorTimeNs() : 0; };
    m_tracker->setClock(clock);
    m_charts->setClock(clock);
    m_connection = connect(m_engine, &ReplayEngine::cursorMoved, this, &ReplayFeeder::onCursorMoved);
    // The events table reads the session's store directly: a move only changes its end.
    const ReplaySession &session = *m_engine->session();
    EventsModel::RowSource rows;
    rows.firstSeq = session.store().firstSeq();
    rows.record = [engine](qint64 seq) {
        return engine && engine->session() ? engine->session()->recordAt(seq, engine->cursor()) : EventRecord();
    };
    rows.seqsOfId = [engine](const QByteArray &id) {
        return engine && engine->session() ? engine->session()->seqsOfId(id) : QList<qint64>();
    };
    rows.schemas = session.store().schemaNames();
    std::sort(rows.schemas.begin(), rows.schemas.end());
    m_events->setRowSource(rows, session.seqEnd(m_engine->cursor()));
    if (m_engine->cursor() > 0)
        onCursorMoved(0, m_engine->cursor());
}

void ReplayFeeder::stop()
{
    disconnect(m_connection);
    m_catchUp.stop();
    m_chartsAt = 0;
    m_trackerAt = 0;
    if (!m_active)
        return;
    m_active = false;
    m_events->clear();
    m_tracker->clear();
    m_tracker->setClock({});
    m_charts->clear();
    m_charts->setClock({});
}

bool ReplayFeeder::chartsCaughtUp() const
{
    return !m_engine || m_chartsAt == m_engine->cursor();
}

bool ReplayFeeder::flowsCaughtUp() const
{
    return !m_engine || m_trackerAt == m_engine->cursor();
}

void ReplayFeeder::onCursorMoved(qint64 from, qint64 to)
{
    const ReplaySession *session = m_engine ? m_engine->session() : nullptr;
    if (!session)
        return;
    const bool wasCaughtUp = chartsCaughtUp() && flowsCaughtUp();
    const bool chartsFollow = m_chartsAt == from;
    const bool trackerFollows = m_trackerAt == from;
    m_events->setSourceEnd(session->seqEnd(to), session->repeatSeqs(std::min(from, to), std::max(from, to)));
    if (to > from && to - from <= kIncrementalLimit && (chartsFollow || trackerFollows)) {
        // Play and steps: one live-shaped batch for the flows and charts.
        const EventBatch batch = session->batch(from, to);
        if (trackerFollows) {
            m_tracker->addBatch(batch);
            m_trackerAt = to;
        }
        if (chartsFollow) {
            m_charts->addBatch(batch);
            m_chartsAt = to;
        }
    }
    if (m_trackerAt != to) {
        if (to < m_trackerAt) {
            m_tracker->clear(); // the views empty at once; the rebuild below is silent
            m_trackerAt = 0;
        }
        // Small rebuilds now; large ones over the next event-loop turns.
        if (session->flowRecordsBetween(m_trackerAt, to) <= kSyncFlowRecords)
            feedTracker(to, true);
    }
    if (to < m_chartsAt) {
        m_charts->clear();
        m_chartsAt = 0;
    }
    if (!m_engine->isPlaying())
        m_pending->model()->tick(); // ages and countdowns at the new cursor time, now
    if (!(chartsCaughtUp() && flowsCaughtUp()) && !m_catchUp.isActive())
        m_catchUp.start();
    if (wasCaughtUp != (chartsCaughtUp() && flowsCaughtUp()))
        emit caughtUpChanged(!wasCaughtUp);
    emit fed(to);
}

void ReplayFeeder::feedTracker(qint64 to, bool last)
{
    const ReplaySession &session = *m_engine->session();
    {
        // Silent while it is rebuilt; one reset then reloads the flows and pending views.
        const QSignalBlocker blocker(m_tracker);
        m_tracker->addBatch(session.batch(m_trackerAt, to, ReplaySession::FlowRecords));
    }
    m_trackerAt = to;
    if (last)
        emit m_tracker->flowsReset();
}

void ReplayFeeder::catchUp()
{
    if (!m_engine || !m_engine->session())
        return;
    const ReplaySession &session = *m_engine->session();
    const qint64 cursor = m_engine->cursor();
    // Flows first (the pending view answers "what was open here"), a bounded slice per turn.
    if (m_trackerAt < cursor) {
        qint64 to = cursor;
        if (session.flowRecordsBetween(m_trackerAt, cursor) > kFlowChunk)
            to = std::min(cursor, session.cursorShowing(session.nthFlowSeqFrom(m_trackerAt, kFlowChunk)));
        feedTracker(to, to == cursor);
    } else if (m_chartsAt < cursor) {
        const qint64 to = std::min(cursor, m_chartsAt + kChartsChunk);
        m_charts->addBatch(session.batch(m_chartsAt, to, ReplaySession::Records | ReplaySession::Repeats | ReplaySession::Pings));
        m_chartsAt = to;
    }
    if (chartsCaughtUp() && flowsCaughtUp())
        emit caughtUpChanged(true);
    else
        m_catchUp.start();
}

} // namespace rcrt::ui
