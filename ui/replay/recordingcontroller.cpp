#include "ui/replay/recordingcontroller.h"

#include "app/ingestengine.h"
#include "app/ingestworker.h"
#include "app/session/recorder.h"

#include <QCoreApplication>
#include <QMutex>

#include <atomic>

namespace rcrt::ui {

// What the GUI thread and the tap on the ingest thread share.
struct RecordingController::Shared
{
    std::atomic<qint64> events{0};
    QMutex mutex;
    QList<SessionDetail> details; // handed to the tap at its next call
    QString error;
};

namespace {

class RecordingTap final : public IngestTap
{
public:
    RecordingTap(std::unique_ptr<Recorder> recorder, std::shared_ptr<RecordingController::Shared> shared)
        : m_recorder(std::move(recorder)), m_shared(std::move(shared))
    {
        // The connection's own log lines before this point are not in the file: say where
        // the recording begins.
        m_recorder->appendLog(SessionLogEntry{nowNs(), SessionLogKind::Info,
                                              QStringLiteral("recording started by the console")});
    }
    ~RecordingTap() override
    {
        takeDetails();
        m_recorder->stop(); // commits the rest and closes the file, on the ingest thread
    }

    void onEvents(const QList<StreamEvent> &events) override
    {
        takeDetails();
        m_recorder->appendEvents(events);
        m_shared->events += events.size();
    }
    void onLog(const QString &line) override
    {
        takeDetails();
        m_recorder->appendLogMessage(line);
    }

private:
    void takeDetails()
    {
        QList<SessionDetail> details;
        {
            QMutexLocker lock(&m_shared->mutex);
            details.swap(m_shared->details);
        }
        for (const SessionDetail &d : std::as_const(details))
            m_recorder->appendDetail(d);
    }

    std::unique_ptr<Recorder> m_recorder;
    std::shared_ptr<RecordingController::Shared> m_shared;
};

} // namespace

RecordingController::RecordingController(IngestEngine *engine, QObject *parent)
    : QObject(parent), m_engine(engine)
{
    m_poll.setInterval(500);
    connect(&m_poll, &QTimer::timeout, this, &RecordingController::poll);
}

RecordingController::~RecordingController()
{
    stop();
}

void RecordingController::start(const QString &path)
{
    stop();
    m_shared = std::make_shared<Shared>();
    m_path = path;
    m_recording = true;
    m_lastCount = -1;
    SessionHeader header;
    header.appVersion = QCoreApplication::applicationVersion();
    header.serverUrl = sanitizeServerUrl(m_serverUrl);
    header.startNs = nowNs();
    m_engine->setTap([shared = m_shared, path, header]() -> std::unique_ptr<IngestTap> {
        QString error;
        std::unique_ptr<Recorder> recorder = Recorder::start(path, header, &error);
        if (!recorder) {
            QMutexLocker lock(&shared->mutex);
            shared->error = error.isEmpty() ? QStringLiteral("cannot create %1").arg(path) : error;
            return nullptr;
        }
        return std::make_unique<RecordingTap>(std::move(recorder), shared);
    });
    m_poll.start();
    poll();
}

void RecordingController::stop()
{
    if (!m_recording)
        return;
    m_engine->setTap({});
    m_poll.stop();
    m_recording = false;
    poll();
}

qint64 RecordingController::eventCount() const
{
    return m_shared ? m_shared->events.load() : 0;
}

void RecordingController::addDetail(const QByteArray &breadcrumbId, qint32 version, const QByteArray &body)
{
    if (!m_recording)
        return;
    QMutexLocker lock(&m_shared->mutex);
    m_shared->details.append(SessionDetail{nowNs(), breadcrumbId, version, body});
}

void RecordingController::poll()
{
    if (!m_shared)
        return;
    QString error;
    {
        QMutexLocker lock(&m_shared->mutex);
        error = std::exchange(m_shared->error, QString());
    }
    if (!error.isEmpty()) {
        m_engine->setTap({});
        m_poll.stop();
        m_recording = false;
        emit failed(error);
        return;
    }
    const qint64 count = eventCount();
    if (count != m_lastCount) {
        m_lastCount = count;
        emit countChanged(count);
    }
}

} // namespace rcrt::ui
