#pragma once

#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace rcrt {
class IngestEngine;
}

namespace rcrt::ui {

// File > Record… (issue 5 item 1): records the live connection into a session file through
// the sessions Recorder, hung on the ingest thread as an IngestTap, so it sees every delivery
// and log line exactly as the store does. /full details the inspector fetched are added too.
// The count of recorded events is polled (twice a second) for the status bar.
class RecordingController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordingController)

public:
    explicit RecordingController(IngestEngine *engine, QObject *parent = nullptr);
    ~RecordingController() override;

    void setServerUrl(const QUrl &url) { m_serverUrl = url; }
    QUrl serverUrl() const { return m_serverUrl; }

    // Starts recording into `path` (asynchronously: a file that cannot be created is
    // reported by failed()).
    void start(const QString &path);
    void stop();
    bool isRecording() const { return m_recording; }
    QString path() const { return m_path; }
    qint64 eventCount() const;

public slots:
    void addDetail(const QByteArray &breadcrumbId, qint32 version, const QByteArray &body);

signals:
    void countChanged(qint64 events);
    void failed(const QString &error);

public:
    struct Shared; // with the tap on the ingest thread

private:
    void poll();

    IngestEngine *m_engine;
    std::shared_ptr<Shared> m_shared;
    QTimer m_poll;
    QUrl m_serverUrl;
    QString m_path;
    qint64 m_lastCount = -1;
    bool m_recording = false;
};

} // namespace rcrt::ui
