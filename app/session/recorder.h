#pragma once

#include "app/session/sessionwriter.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace rcrt {

// Records a live connection into a session file: feed it what LiveSource emits, e.g.
//   connect(&live, &LiveSource::eventsReceived, &recorder, &Recorder::appendEvents);
//   connect(&live, &LiveSource::logMessage, &recorder, &Recorder::appendLogMessage);
// A 250 ms timer commits what came in, so `kill -9` loses at most the last 250 ms.
// Lives on the thread of the live source (the ingest thread in the console).
class Recorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Recorder)

public:
    // Starts recording into a new file; null plus *error when it cannot be created.
    static std::unique_ptr<Recorder> start(const QString &path, const SessionHeader &header,
                                           QString *error, QObject *parent = nullptr);
    ~Recorder() override;

    bool isRecording() const { return m_writer != nullptr; }
    QString path() const { return m_path; }
    qint64 eventCount() const;
    qint64 bytesWritten() const;

    // The kind of a LiveSource log line ("connected", "backfill done ...", "stream error: ...").
    static SessionLogKind classifyLogMessage(const QString &message);

public slots:
    void appendEvents(const QList<rcrt::StreamEvent> &events);
    void appendLogMessage(const QString &message); // stamped now, kind from classifyLogMessage
    void appendLog(const rcrt::SessionLogEntry &entry);
    void appendDetail(const rcrt::SessionDetail &detail);
    void appendProbe(qint64 atNs, const QByteArray &json);
    void setClockOffsetNs(qint64 offsetNs);
    // Commits the rest and closes the file; later appends are ignored. Returns false (and
    // emits writeFailed) when something could not be written.
    bool stop();

signals:
    // The first write error (disk full, file removed...); recording goes on trying.
    void writeFailed(const QString &error);

private:
    Recorder(std::unique_ptr<SessionWriter> writer, const QString &path, QObject *parent);
    void commit();

    std::unique_ptr<SessionWriter> m_writer;
    QString m_path;
    QTimer m_commitTimer;
    qint64 m_finalEvents = 0;
    qint64 m_finalBytes = 0;
    bool m_reported = false;
};

} // namespace rcrt
