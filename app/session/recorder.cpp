#include "app/session/recorder.h"

namespace rcrt {

Recorder::Recorder(std::unique_ptr<SessionWriter> writer, const QString &path, QObject *parent)
    : QObject(parent)
    , m_writer(std::move(writer))
    , m_path(path)
{
    m_commitTimer.setInterval(250);
    connect(&m_commitTimer, &QTimer::timeout, this, &Recorder::commit);
    m_commitTimer.start();
}

Recorder::~Recorder()
{
    stop();
}

std::unique_ptr<Recorder> Recorder::start(const QString &path, const SessionHeader &header,
                                          QString *error, QObject *parent)
{
    auto writer = SessionWriter::create(path, header, error);
    if (!writer)
        return nullptr;
    return std::unique_ptr<Recorder>(new Recorder(std::move(writer), path, parent));
}

qint64 Recorder::eventCount() const { return m_writer ? m_writer->eventCount() : m_finalEvents; }
qint64 Recorder::bytesWritten() const { return m_writer ? m_writer->bytesWritten() : m_finalBytes; }

SessionLogKind Recorder::classifyLogMessage(const QString &message)
{
    if (message.startsWith(QLatin1String("connected")) || message.startsWith(QLatin1String("connecting")))
        return SessionLogKind::Connect;
    if (message.startsWith(QLatin1String("disconnected")) || message.startsWith(QLatin1String("reconnecting")))
        return SessionLogKind::Disconnect;
    if (message.startsWith(QLatin1String("backfill failed")) || message.contains(QLatin1String("error")))
        return SessionLogKind::Error;
    if (message.startsWith(QLatin1String("backfill")))
        return SessionLogKind::Backfill;
    if (message.startsWith(QLatin1String("probe")))
        return SessionLogKind::Probe;
    return SessionLogKind::Info;
}

void Recorder::appendEvents(const QList<StreamEvent> &events)
{
    if (m_writer)
        m_writer->appendEvents(events);
}

void Recorder::appendLogMessage(const QString &message)
{
    appendLog({nowNs(), classifyLogMessage(message), message});
}

void Recorder::appendLog(const SessionLogEntry &entry)
{
    if (m_writer)
        m_writer->appendLog(entry);
}

void Recorder::appendDetail(const SessionDetail &detail)
{
    if (m_writer)
        m_writer->appendDetail(detail);
}

void Recorder::appendProbe(qint64 atNs, const QByteArray &json)
{
    if (m_writer)
        m_writer->appendProbe(atNs, json);
}

void Recorder::setClockOffsetNs(qint64 offsetNs)
{
    if (m_writer)
        m_writer->setClockOffsetNs(offsetNs);
}

void Recorder::commit()
{
    QString error;
    if (m_writer && !m_writer->flush(&error) && !m_reported) {
        m_reported = true;
        emit writeFailed(error);
    }
}

bool Recorder::stop()
{
    if (!m_writer)
        return true;
    m_commitTimer.stop();
    QString error;
    const bool ok = m_writer->close(&error);
    m_finalEvents = m_writer->eventCount();
    m_finalBytes = m_writer->bytesWritten();
    m_writer.reset();
    if (!ok && !m_reported) {
        m_reported = true;
        emit writeFailed(error);
    }
    return ok;
}

} // namespace rcrt
