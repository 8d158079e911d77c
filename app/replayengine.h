#pragma once

#include "app/replaysession.h"
#include "app/session/sessiontypes.h"
#include "model/probeoutcome.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <atomic>
#include <memory>

class QThread;

namespace rcrt {

// The ReplaySource of DESIGN.md: a recorded session played back through the views.
//
// open() checks the file (a newer format is refused with the reader's message) and loads it
// whole on a worker thread into a ReplaySession (progress, cancellable); the file is only
// read. Then a cursor moves over the recorded deliveries: play at a speed (recorded arrival
// gaps divided by it; 0 = as fast as possible), pause, step, seek. Every move is reported as
// cursorMoved(from, to); consumers feed ReplaySession::batch(from, to) forward, or rebuild to
// `to` when it is behind `from`.
class ReplayEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayEngine)

public:
    // A probe result as the session stored it, at its recorded time (console clock).
    struct RecordedProbe
    {
        qint64 atNs = 0;
        ProbeOutcome outcome;
    };

    struct Info
    {
        QString path;
        SessionHeader header;
        QStringList problems;              // what the reader found invalid (and skipped)
        QList<SessionLogEntry> log;
        QList<SessionDetail> details;      // the `/full` answers fetched while recording
        QList<RecordedProbe> probes;       // by recorded time; unreadable ones are in problems
    };

    static constexpr qint64 kLoadChunk = 20'000;
    static constexpr qint64 kMaxSpeedChunk = 20'000; // deliveries per tick at "as fast as possible"

    explicit ReplayEngine(QObject *parent = nullptr);
    ~ReplayEngine() override;

    // Opens `path` read-only and starts loading it; false with the reason when it cannot be
    // replayed at all (missing, not a session, a newer format).
    bool open(const QString &path, QString *error);
    void cancelLoad();
    void close();

    bool isLoading() const { return m_loader != nullptr; }
    bool isLoaded() const { return m_session != nullptr; }
    const ReplaySession *session() const { return m_session.get(); }
    const Info &info() const { return m_info; }

    qint64 cursor() const { return m_cursor; }
    qint64 eventCount() const { return m_session ? m_session->eventCount() : 0; }
    qint64 cursorTimeNs() const { return m_session ? m_session->timeAtCursor(m_cursor) : 0; }
    bool isPlaying() const { return m_timer.isActive(); }
    // What the session recorded beside the deliveries (details, probes) counts at a cursor up
    // to this recorded time: the cursor's time, and at the end of the session everything (a
    // recording goes on after its last delivery; `rcrt-tap diagnose FILE` counts all of it).
    qint64 sideRecordsUntilNs(qint64 cursor) const;
    // The newest `/full` answer recorded for `breadcrumbId` at or before `atNs` (console
    // clock, like cursorTimeNs()); null when none was fetched by then.
    const SessionDetail *detailAt(const QByteArray &breadcrumbId, qint64 atNs) const;
    double speed() const { return m_speed; } // 0: as fast as possible
    int tickIntervalMs() const { return m_timer.interval(); }

public slots:
    void play();
    void pause();
    void togglePlay() { isPlaying() ? pause() : play(); }
    void setSpeed(double speed);
    void stepForward() { seek(m_cursor + 1); }
    void stepBack() { seek(m_cursor - 1); }
    void seekToStart() { seek(0); }
    void seekToEnd() { seek(eventCount()); }
    void seek(qint64 cursor);
    void seekToTime(qint64 ns);

signals:
    void loadProgress(qint64 done, qint64 total);
    void loaded();
    void loadFailed(const QString &error);
    void cursorMoved(qint64 from, qint64 to);
    void playingChanged(bool playing);
    void speedChanged(double speed);

private:
    struct Loader;
    void onTick();
    void moveTo(qint64 cursor);
    void finishLoad(quint64 generation, std::unique_ptr<ReplaySession> session, Info info, const QString &error);

    Info m_info;
    QHash<QByteArray, QList<qsizetype>> m_detailsById; // indexes into m_info.details, by time
    std::unique_ptr<ReplaySession> m_session;
    std::unique_ptr<Loader> m_loader;
    quint64 m_loadGeneration = 0; // a result of an older (cancelled) load is dropped
    qint64 m_cursor = 0;
    double m_speed = 1.0;
    QTimer m_timer;
    QElapsedTimer m_playClock; // wall time since the play anchor
    qint64 m_anchorNs = 0;     // recorded time at the play anchor
};

} // namespace rcrt
