#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace rcrt {
class Doctor;
class ReplayEngine;
} // namespace rcrt

namespace rcrt::ui {

// Drives the delivery doctor from a ReplayEngine's cursor, so the Diagnosis panel shows the
// findings at the cursor (issue 6 item 4: "live and from a recording"), as `rcrt-tap diagnose
// FILE` would for the session cut there. The doctor runs in Mode::Replay and is fed every
// delivery before the cursor (records, repeats, pings) and the probe results recorded by the
// cursor's time (at the end: all of them), and is evaluated at that time; its flows are the
// window's FlowTracker, which the ReplayFeeder keeps at the cursor.
//
// The doctor adds nothing to a move itself (a seek stays as fast as the views make it): it
// follows on the next event-loop turns, kChunk deliveries per turn, so even a million-event
// session never freezes the window. Forward moves feed the difference; a move back clears the
// doctor (a turn of its own) and feeds again from the start. While the other views catch up
// (setWaitWhile) it waits: it reads their flows, and a summary can come last. Once at the
// cursor it is evaluated on the next turn (at most every kPlayingRefreshMs while playing).
// Time stands still at a paused cursor, so the doctor's own refresh timer is off in a replay.
// At cursor 0 nothing has been delivered: no finding.
class ReplayDoctorFeeder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayDoctorFeeder)

public:
    static constexpr qint64 kChunk = 20'000;
    static constexpr int kPlayingRefreshMs = 250;

    // liveRefreshMs: the doctor's refresh interval to restore when the replay ends.
    ReplayDoctorFeeder(ReplayEngine *engine, Doctor *doctor, int liveRefreshMs, QObject *parent = nullptr);
    ~ReplayDoctorFeeder() override;

    // Takes the doctor over (cleared, Mode::Replay, no timer) and follows the engine's cursor
    // from now on; call when a session is opened, so the live findings go at once.
    void start();
    // Gives it back to live use: cleared, Mode::Live, the console clock, its refresh timer.
    void stop();

    // While `busy` says so, the doctor neither catches up nor evaluates; call refresh() when it
    // stops saying so.
    void setWaitWhile(std::function<bool()> busy) { m_busy = std::move(busy); }

    bool isActive() const { return m_active; }
    qint64 fedCursor() const { return m_at; } // deliveries fed so far
    bool isCaughtUp() const;
    // Goes on: catches up, or evaluates again (the flows the doctor reads caught up).
    void refresh();

signals:
    // The doctor was fed the deliveries before `cursor` (one chunk of a catch-up, or a move).
    void fed(qint64 cursor);
    // The findings were evaluated at this cursor.
    void evaluated(qint64 cursor);

private:
    void detach(); // from the engine, with nothing fed
    void onCursorMoved(qint64 from, qint64 to);
    void feedTo(qint64 to);
    void catchUp();
    void scheduleEvaluation();
    void evaluate();
    bool waiting() const { return m_busy && m_busy(); }

    QPointer<ReplayEngine> m_engine;
    QPointer<Doctor> m_doctor;
    int m_liveRefreshMs = 0;
    std::function<bool()> m_busy;
    QMetaObject::Connection m_moved;
    QMetaObject::Connection m_playing;
    QTimer m_catchUp;
    QTimer m_evaluate;
    qint64 m_at = 0;
    qsizetype m_probesGiven = 0; // recorded probes handed to the doctor, in recorded order
    bool m_restart = false;      // a move back: clear the doctor on the next turn
    bool m_active = false;
};

} // namespace rcrt::ui
