#include "app/replayengine.h"

#include "app/session/sessionreader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <limits>

namespace rcrt {

namespace {

// The probes table, parsed; a row that is not a probe outcome is skipped and said.
void readProbes(const SessionReader &reader, ReplayEngine::Info &info)
{
    const QList<QPair<qint64, QByteArray>> rows = reader.probes();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        QString error;
        if (const std::optional<ProbeOutcome> outcome = ProbeOutcome::fromJson(rows[i].second, &error))
            info.probes.append({rows[i].first, *outcome});
        else
            info.problems.append(ReplayEngine::tr("probe result %1 of %2 is not readable (%3); skipped")
                                     .arg(i + 1)
                                     .arg(rows.size())
                                     .arg(error));
    }
    std::stable_sort(info.probes.begin(), info.probes.end(),
                     [](const ReplayEngine::RecordedProbe &a, const ReplayEngine::RecordedProbe &b) { return a.atNs < b.atNs; });
}

} // namespace

struct ReplayEngine::Loader
{
    std::unique_ptr<QThread> thread;
    std::atomic<bool> cancel{false};
};

ReplayEngine::ReplayEngine(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(16);
    connect(&m_timer, &QTimer::timeout, this, &ReplayEngine::onTick);
}

ReplayEngine::~ReplayEngine()
{
    cancelLoad();
}

bool ReplayEngine::open(const QString &path, QString *error)
{
    close();
    QString why;
    {
        // A first look on this thread: refusals (newer format, not a session) come at once.
        const std::unique_ptr<SessionReader> probe = SessionReader::open(path, &why);
        if (!probe) {
            if (error)
                *error = why.isEmpty() ? tr("%1 is not a session file").arg(path) : why;
            return false;
        }
    }
    m_info = Info{};
    m_info.path = QFileInfo(path).absoluteFilePath();

    // The reader (a QtSql connection) is used only on the loading thread.
    m_loader = std::make_unique<Loader>();
    Loader *loader = m_loader.get();
    QThread *target = thread();
    QPointer<ReplayEngine> self(this);
    const quint64 generation = ++m_loadGeneration;
    m_loader->thread.reset(QThread::create([self, loader, path, target, generation] {
        QString failure;
        Info info;
        std::unique_ptr<ReplaySession> session;
        if (std::unique_ptr<SessionReader> reader = SessionReader::open(path, &failure)) {
            info.header = reader->header();
            const qint64 total = reader->eventCount();
            session = std::make_unique<ReplaySession>();
            session->reserve(total);
            for (qint64 from = 0; from < total && !loader->cancel; from += kLoadChunk) {
                const QList<StreamEvent> events = reader->readEvents(from, std::min(kLoadChunk, total - from));
                for (const StreamEvent &e : events)
                    session->append(e);
                const qint64 done = std::min(total, from + kLoadChunk);
                QMetaObject::invokeMethod(self, [self, done, total] {
                    if (self)
                        emit self->loadProgress(done, total);
                }, Qt::QueuedConnection);
            }
            info.problems = reader->problems();
            info.log = reader->log();
            info.details = reader->details();
            readProbes(*reader, info);
            session->finishLoading(target);
        }
        if (loader->cancel)
            return; // the engine dropped this load; the session dies here
        auto *handoff = session.release();
        QMetaObject::invokeMethod(self, [self, handoff, info, failure, generation] {
            std::unique_ptr<ReplaySession> owned(handoff);
            if (self)
                self->finishLoad(generation, std::move(owned), info, failure);
        }, Qt::QueuedConnection);
    }));
    m_loader->thread->start();
    return true;
}

void ReplayEngine::finishLoad(quint64 generation, std::unique_ptr<ReplaySession> session, Info info,
                              const QString &error)
{
    if (generation != m_loadGeneration || !m_loader)
        return; // cancelled, or replaced by a newer open()
    {
        m_loader->thread->wait();
        m_loader.reset();
    }
    if (!session) {
        emit loadFailed(error.isEmpty() ? tr("the session could not be read") : error);
        return;
    }
    info.path = m_info.path;
    m_info = std::move(info);
    m_detailsById.clear();
    for (qsizetype i = 0; i < m_info.details.size(); ++i)
        m_detailsById[m_info.details[i].breadcrumbId].append(i);
    for (QList<qsizetype> &indexes : m_detailsById)
        std::stable_sort(indexes.begin(), indexes.end(), [this](qsizetype a, qsizetype b) {
            return m_info.details[a].atNs < m_info.details[b].atNs;
        });
    m_session = std::move(session);
    m_cursor = 0;
    emit loaded();
}

void ReplayEngine::cancelLoad()
{
    if (!m_loader)
        return;
    m_loader->cancel = true;
    m_loader->thread->wait();
    m_loader.reset();
    ++m_loadGeneration;
}

void ReplayEngine::close()
{
    cancelLoad();
    pause();
    m_session.reset();
    m_cursor = 0;
    m_info = Info{};
    m_detailsById.clear();
}

qint64 ReplayEngine::sideRecordsUntilNs(qint64 cursor) const
{
    if (!m_session)
        return 0;
    return cursor >= m_session->eventCount() ? std::numeric_limits<qint64>::max() : m_session->timeAtCursor(cursor);
}

const SessionDetail *ReplayEngine::detailAt(const QByteArray &breadcrumbId, qint64 atNs) const
{
    const auto it = m_detailsById.constFind(breadcrumbId);
    if (it == m_detailsById.cend())
        return nullptr;
    // The last one fetched at or before atNs.
    const auto after = std::upper_bound(it->cbegin(), it->cend(), atNs,
                                        [this](qint64 ns, qsizetype i) { return ns < m_info.details[i].atNs; });
    return after == it->cbegin() ? nullptr : &m_info.details[*(after - 1)];
}

void ReplayEngine::play()
{
    if (!m_session || isPlaying())
        return;
    if (m_cursor >= eventCount())
        moveTo(0); // play again from the start
    m_anchorNs = cursorTimeNs();
    m_playClock.start();
    m_timer.start();
    emit playingChanged(true);
}

void ReplayEngine::pause()
{
    if (!isPlaying())
        return;
    m_timer.stop();
    emit playingChanged(false);
}

void ReplayEngine::setSpeed(double speed)
{
    speed = speed <= 0 ? 0 : std::clamp(speed, 0.1, 100.0);
    if (speed == m_speed)
        return;
    m_speed = speed;
    // Re-anchor so the change applies from here on.
    m_anchorNs = cursorTimeNs();
    m_playClock.restart();
    emit speedChanged(speed);
}

void ReplayEngine::seek(qint64 cursor)
{
    if (!m_session)
        return;
    moveTo(std::clamp<qint64>(cursor, 0, eventCount()));
    if (isPlaying()) {
        m_anchorNs = cursorTimeNs();
        m_playClock.restart();
    }
}

void ReplayEngine::seekToTime(qint64 ns)
{
    if (m_session)
        seek(m_session->cursorAtTime(ns));
}

void ReplayEngine::onTick()
{
    if (!m_session)
        return pause();
    qint64 target;
    if (m_speed <= 0) {
        target = m_cursor + kMaxSpeedChunk;
    } else {
        // Recorded gaps divided by the speed: everything that arrived by the replay clock.
        const double elapsedNs = double(m_playClock.nsecsElapsed()) * m_speed;
        target = m_session->cursorAtTime(m_anchorNs + qint64(elapsedNs));
        if (m_cursor == 0 && target == 0)
            target = m_session->cursorAtTime(m_session->firstArrivalNs());
    }
    moveTo(std::min(target, eventCount()));
    if (m_cursor >= eventCount())
        pause();
}

void ReplayEngine::moveTo(qint64 cursor)
{
    if (cursor == m_cursor)
        return;
    const qint64 from = std::exchange(m_cursor, cursor);
    emit cursorMoved(from, cursor);
}

} // namespace rcrt
