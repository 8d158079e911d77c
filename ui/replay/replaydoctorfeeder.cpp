#include "ui/replay/replaydoctorfeeder.h"

#include "app/doctor.h"
#include "app/replayengine.h"

#include <algorithm>
#include <utility>

namespace rcrt::ui {

ReplayDoctorFeeder::ReplayDoctorFeeder(ReplayEngine *engine, Doctor *doctor, int liveRefreshMs, QObject *parent)
    : QObject(parent), m_engine(engine), m_doctor(doctor), m_liveRefreshMs(liveRefreshMs)
{
    m_catchUp.setSingleShot(true);
    m_catchUp.setInterval(0);
    connect(&m_catchUp, &QTimer::timeout, this, &ReplayDoctorFeeder::catchUp);
    m_evaluate.setSingleShot(true);
    connect(&m_evaluate, &QTimer::timeout, this, &ReplayDoctorFeeder::evaluate);
}

ReplayDoctorFeeder::~ReplayDoctorFeeder() = default;

void ReplayDoctorFeeder::start()
{
    detach();
    if (!m_doctor)
        return;
    m_active = true;
    m_doctor->setAutoRefreshMs(0);
    m_doctor->clear();
    m_doctor->setMode(Doctor::Mode::Replay);
    m_doctor->setAnalysisTimeNs(m_engine ? m_engine->cursorTimeNs() : 0);
    if (!m_engine)
        return;
    m_moved = connect(m_engine, &ReplayEngine::cursorMoved, this, &ReplayDoctorFeeder::onCursorMoved);
    m_playing = connect(m_engine, &ReplayEngine::playingChanged, this, [this](bool playing) {
        if (!playing)
            scheduleEvaluation(); // the last position of a play, evaluated now
    });
    if (m_engine->cursor() > 0)
        onCursorMoved(0, m_engine->cursor());
}

void ReplayDoctorFeeder::stop()
{
    detach();
    if (!std::exchange(m_active, false) || !m_doctor)
        return;
    m_doctor->clear();
    m_doctor->setMode(Doctor::Mode::Live);
    m_doctor->setAnalysisTimeNs(0); // the console clock again
    m_doctor->setAutoRefreshMs(m_liveRefreshMs);
}

void ReplayDoctorFeeder::detach()
{
    disconnect(m_moved);
    disconnect(m_playing);
    m_catchUp.stop();
    m_evaluate.stop();
    m_at = 0;
    m_probesGiven = 0;
    m_restart = false;
}

bool ReplayDoctorFeeder::isCaughtUp() const
{
    return !m_engine || (!m_restart && m_at == m_engine->cursor());
}

void ReplayDoctorFeeder::refresh()
{
    if (!m_active)
        return;
    if (isCaughtUp())
        scheduleEvaluation();
    else if (!m_catchUp.isActive())
        m_catchUp.start();
}

void ReplayDoctorFeeder::onCursorMoved(qint64 /*from*/, qint64 to)
{
    if (to < m_at) {
        // Nothing of the doctor's state can be taken back: it starts over.
        m_evaluate.stop();
        m_restart = true;
        m_at = 0;
        m_probesGiven = 0;
    }
    // The doctor adds nothing to the move itself: it follows on the next event-loop turns.
    if (!m_catchUp.isActive())
        m_catchUp.start();
}

void ReplayDoctorFeeder::feedTo(qint64 to)
{
    const ReplaySession &session = *m_engine->session();
    m_doctor->addBatch(session.batch(m_at, to, ReplaySession::Records | ReplaySession::Repeats | ReplaySession::Pings));
    m_at = to;
    m_doctor->setAnalysisTimeNs(session.timeAtCursor(to));
    const qint64 untilNs = m_engine->sideRecordsUntilNs(to);
    const QList<ReplayEngine::RecordedProbe> &probes = m_engine->info().probes;
    for (; m_probesGiven < probes.size() && probes[m_probesGiven].atNs <= untilNs; ++m_probesGiven)
        m_doctor->addProbe(probes[m_probesGiven].outcome);
    emit fed(to);
}

void ReplayDoctorFeeder::catchUp()
{
    if (!m_active || !m_engine || !m_engine->session() || !m_doctor)
        return;
    if (std::exchange(m_restart, false)) {
        m_doctor->clear(); // a turn of its own: freeing a million deliveries' state takes a while
        m_catchUp.start();
        return;
    }
    if (waiting())
        return; // refresh() goes on
    const qint64 cursor = m_engine->cursor();
    if (m_at < cursor)
        feedTo(std::min(cursor, m_at + kChunk));
    if (isCaughtUp())
        scheduleEvaluation();
    else
        m_catchUp.start();
}

void ReplayDoctorFeeder::scheduleEvaluation()
{
    if (!m_engine)
        return;
    if (!m_engine->isPlaying())
        m_evaluate.start(0); // coalesces the moves of one event-loop turn (a slider drag)
    else if (!m_evaluate.isActive())
        m_evaluate.start(kPlayingRefreshMs);
}

void ReplayDoctorFeeder::evaluate()
{
    if (!m_active || !m_doctor || !isCaughtUp() || waiting())
        return; // the catch-up, or refresh(), evaluates when it is done
    if (m_at > 0) // before the first delivery there is nothing to diagnose
        m_doctor->refresh();
    emit evaluated(m_at);
}

} // namespace rcrt::ui
