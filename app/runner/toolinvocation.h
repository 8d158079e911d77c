#pragma once

#include "model/decoder.h"
#include "model/streamevent.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace rcrt {

class BreadcrumbWriter;
struct WriteReport;

// When each step of one manual call was seen, console clock, ns since epoch (0: not seen yet).
struct InvocationTimeline
{
    qint64 sentNs = 0; // POST /breadcrumbs handed to the network
    qint64 ackNs = 0; // server acknowledged the request write
    qint64 requestLocalNs = 0; // request delivered on the local bus
    qint64 requestSseNs = 0; // request's copy from the server (SSE or backfill)
    qint64 responseLocalNs = 0; // response on the local bus (an in-process runner answered)
    qint64 responseSseNs = 0; // response's copy from the server

    // The first time the response was seen by either path; 0 when none yet.
    qint64 responseNs() const;
};

// One manual tool call (issue 4 item 5): creates a tool.request.v1 with a generated requestId
// and the workspace tag, then watches every delivery it is fed for the request and its
// response, by local bus and by SSE, and keeps the timeline. finished() comes once: on the
// first response, on timeout, or when the request could not be written. Copies that arrive
// later still fill in the timeline (timelineChanged()).
class ToolInvocation final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ToolInvocation)

public:
    enum class Status : quint8 { Sending, Waiting, Success, Error, Timeout, WriteFailed };
    Q_ENUM(Status)

    ToolInvocation(BreadcrumbWriter *writer, QString tool, QJsonValue input, QString workspace,
                   int timeoutMs = 60'000, QObject *parent = nullptr);

    void start();
    void feed(const StreamEvent &event);
    void feed(const StreamEvent &event, const EnvelopeView &view); // envelope already read

    QString tool() const { return m_tool; }
    QJsonValue input() const { return m_input; }
    QString workspace() const { return m_workspace; }
    QString requestId() const { return m_requestId; }
    QString requestBreadcrumbId() const { return m_requestBreadcrumbId; }
    QString responseBreadcrumbId() const { return m_responseBreadcrumbId; }
    Status status() const { return m_status; }
    bool isFinished() const { return m_status != Status::Sending && m_status != Status::Waiting; }
    // The response breadcrumb as delivered (context with status, output or error...).
    QJsonObject response() const { return m_response; }
    QJsonValue output() const;
    QString error() const { return m_error; }
    const InvocationTimeline &timeline() const { return m_timeline; }

    // The request body this invocation sends (also for "Send again").
    QJsonObject requestBody() const;
    static QString newRequestId();
    static QString statusName(Status status);

signals:
    void acknowledged();
    void finished();
    void timelineChanged();

private:
    void onWritten(const WriteReport &report);
    void finish(Status status, const QString &error = {});

    QPointer<BreadcrumbWriter> m_writer;
    QString m_tool;
    QJsonValue m_input;
    QString m_workspace;
    QString m_requestId;
    QString m_requestBreadcrumbId;
    QString m_responseBreadcrumbId;
    int m_timeoutMs;
    Status m_status = Status::Sending;
    QJsonObject m_response;
    QString m_error;
    InvocationTimeline m_timeline;
    QTimer m_timeout;
    Decoder m_decoder;
    EnvelopeView m_view;
};

} // namespace rcrt
