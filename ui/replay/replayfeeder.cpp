#include "ui/replay/replayfeeder.h"

#include "app/replayengine.h"
#include "model/flowtracker.h"
#include "ui/charts/latencychartsview.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/pending/pendingmodel.h"
#include "ui/pending/pendingview.h"

#include <QSignalBlocker>

namespace rcrt::ui {

ReplayFeeder::ReplayFeeder(ReplayEngine *engine, EventsView *events, FlowTracker *tracker, PendingView *pending,
                           LatencyChartsView *charts, QObject *parent)
    : QObject(parent), m_engine(engine), m_events(events), m_tracker(tracker), m_pending(pending), m_charts(charts)
{
    m_chartsTimer.setSingleShot(true);
    m_chartsTimer.setInterval(0);
    connect(&m_chartsTimer, &QTimer::timeout, this, &ReplayFeeder::catchUpCharts);
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
    if (m_engine->cursor() > 0)
        onCursorMoved(0, m_engine->cursor());
}

void ReplayFeeder::stop()
{
    disconnect(m_connection);
    m_chartsTimer.stop();
    m_chartsAt = 0;
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

void ReplayFeeder::onCursorMoved(qint64 from, qint64 to)
{
    const ReplaySession *session = m_engine ? m_engine->session() : nullptr;
    if (!session)
        return;
    const bool chartsWereCaughtUp = m_chartsAt == from;
    if (to > from && to - from <= kIncrementalLimit) {
        // Play and steps: one live-shaped batch for every view.
        const EventBatch batch = session->batch(from, to);
        m_events->addBatch(batch);
        m_tracker->addBatch(batch);
        if (chartsWereCaughtUp) {
            m_charts->addBatch(batch);
            m_chartsAt = to;
        }
    } else {
        if (to < from) {
            m_events->rewind(session->seqEnd(to), session->repeatSeqs(to, from));
            const qint64 shown = session->seqEnd(to) - session->store().firstSeq();
            if (m_events->model()->rowCount() < std::min<qint64>(shown, m_events->model()->maxRows()))
                reloadEvents(to);
            rebuildTracker(0, to);
        } else {
            reloadEvents(to);
            rebuildTracker(from, to);
        }
        if (to < m_chartsAt) {
            m_charts->clear();
            m_chartsAt = 0;
        }
    }
    if (!m_engine->isPlaying())
        m_pending->model()->tick(); // ages and countdowns at the new cursor time, now
    if (m_chartsAt != to && !m_chartsTimer.isActive())
        m_chartsTimer.start();
    if (chartsWereCaughtUp != (m_chartsAt == to))
        emit chartsCaughtUpChanged(m_chartsAt == to);
    emit fed(to);
}

void ReplayFeeder::reloadEvents(qint64 to)
{
    const ReplaySession &session = *m_engine->session();
    const qint64 minSeq = session.seqEnd(to) - m_events->model()->maxRows();
    m_events->clear();
    m_events->addBatch(session.batch(0, to, ReplaySession::Records | ReplaySession::Repeats, minSeq));
}

void ReplayFeeder::rebuildTracker(qint64 from, qint64 to)
{
    const ReplaySession &session = *m_engine->session();
    {
        // Silent while it is rebuilt; one reset then reloads the flows and pending views.
        const QSignalBlocker blocker(m_tracker);
        if (from == 0)
            m_tracker->clear();
        m_tracker->addBatch(session.batch(from, to, ReplaySession::FlowRecords));
    }
    emit m_tracker->flowsReset();
}

void ReplayFeeder::catchUpCharts()
{
    if (!m_engine || !m_engine->session())
        return;
    const qint64 cursor = m_engine->cursor();
    if (m_chartsAt > cursor) {
        m_charts->clear();
        m_chartsAt = 0;
    }
    const qint64 to = std::min(cursor, m_chartsAt + kChartsChunk);
    m_charts->addBatch(m_engine->session()->batch(m_chartsAt, to,
                                                  ReplaySession::Records | ReplaySession::Repeats | ReplaySession::Pings));
    m_chartsAt = to;
    if (m_chartsAt < cursor)
        m_chartsTimer.start();
    else
        emit chartsCaughtUpChanged(true);
}

} // namespace rcrt::ui
