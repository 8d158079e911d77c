#include "app/runner/toolinvocation.h"

#include "app/breadcrumbwriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace rcrt {

qint64 InvocationTimeline::responseNs() const
{
    if (responseLocalNs && responseSseNs)
        return std::min(responseLocalNs, responseSseNs);
    return responseLocalNs ? responseLocalNs : responseSseNs;
}

ToolInvocation::ToolInvocation(BreadcrumbWriter *writer, QString tool, QJsonValue input, QString workspace,
                               int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_tool(std::move(tool))
    , m_input(std::move(input))
    , m_workspace(std::move(workspace))
    , m_requestId(newRequestId())
    , m_timeoutMs(timeoutMs)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        finish(Status::Timeout, QStringLiteral("no response within %1 ms").arg(m_timeoutMs));
    });
}

QString ToolInvocation::newRequestId()
{
    return QStringLiteral("console-%1-%2")
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

QString ToolInvocation::statusName(Status status)
{
    switch (status) {
    case Status::Sending: return QStringLiteral("sending");
    case Status::Waiting: return QStringLiteral("waiting");
    case Status::Success: return QStringLiteral("success");
    case Status::Error: return QStringLiteral("error");
    case Status::Timeout: return QStringLiteral("timeout");
    case Status::WriteFailed: return QStringLiteral("write failed");
    }
    return {};
}

QJsonObject ToolInvocation::requestBody() const
{
    return QJsonObject{
        {QStringLiteral("title"), QString(QStringLiteral("Tool request: ") + m_tool)},
        {QStringLiteral("schema_name"), QStringLiteral("tool.request.v1")},
        {QStringLiteral("tags"), QJsonArray{QStringLiteral("tool:request"), m_workspace}},
        {QStringLiteral("context"), QJsonObject{{QStringLiteral("tool"), m_tool},
                                                {QStringLiteral("input"), m_input},
                                                {QStringLiteral("requestId"), m_requestId},
                                                {QStringLiteral("requestedBy"), QStringLiteral("rcrt-console")}}},
    };
}

QJsonValue ToolInvocation::output() const
{
    return m_response.value(QLatin1StringView("context")).toObject().value(QLatin1StringView("output"));
}

void ToolInvocation::start()
{
    if (!m_writer) {
        finish(Status::WriteFailed, QStringLiteral("no writer"));
        return;
    }
    m_timeout.start(m_timeoutMs);
    BreadcrumbWrite *write = m_writer->create(requestBody());
    m_timeline.sentNs = write->report().sentNs;
    connect(write, &BreadcrumbWrite::finished, this, &ToolInvocation::onWritten);
}

void ToolInvocation::onWritten(const WriteReport &report)
{
    m_timeline.ackNs = report.ackNs;
    if (!report.ok()) {
        finish(Status::WriteFailed, report.error);
        return;
    }
    m_requestBreadcrumbId = report.id;
    // The local copy went out on the bus just before this report (the writer publishes first).
    if (!report.localEvent.raw.isEmpty() && !m_timeline.requestLocalNs)
        m_timeline.requestLocalNs = report.localEvent.arrivalNs;
    if (m_status == Status::Sending)
        m_status = Status::Waiting;
    emit acknowledged();
    emit timelineChanged();
}

void ToolInvocation::feed(const StreamEvent &event)
{
    if (m_decoder.decodeView(event.raw, m_view))
        feed(event, m_view);
}

void ToolInvocation::feed(const StreamEvent &event, const EnvelopeView &view)
{
    if (view.kind != Envelope::Kind::Breadcrumb || !view.hasSchema)
        return;
    const bool isRequest = view.schemaName == std::string_view("tool.request.v1");
    const bool isResponse = view.schemaName == std::string_view("tool.response.v1");
    if ((!isRequest && !isResponse) || !view.hasContext)
        return;
    const QString id = QString::fromUtf8(view.breadcrumbId.data(), qsizetype(view.breadcrumbId.size()));
    const QJsonObject b = QJsonDocument::fromJson(event.raw).object();
    const QJsonObject context = b.value(QLatin1StringView("context")).toObject();
    const bool local = event.source == EventSource::Local;
    bool changedTimeline = false;
    auto mark = [&](qint64 &slot) {
        if (!slot) {
            slot = event.arrivalNs;
            changedTimeline = true;
        }
    };
    if (isRequest && context.value(QLatin1StringView("requestId")).toString() == m_requestId) {
        mark(local ? m_timeline.requestLocalNs : m_timeline.requestSseNs);
    } else if (isResponse && context.value(QLatin1StringView("request_id")).toString() == m_requestId) {
        if (m_responseBreadcrumbId.isEmpty() || m_responseBreadcrumbId == id) {
            mark(local ? m_timeline.responseLocalNs : m_timeline.responseSseNs);
            if (m_responseBreadcrumbId.isEmpty()) {
                m_responseBreadcrumbId = id;
                m_response = b;
                if (!isFinished()) {
                    const bool ok = context.value(QLatin1StringView("status")).toString() == QLatin1StringView("success");
                    finish(ok ? Status::Success : Status::Error,
                           ok ? QString() : context.value(QLatin1StringView("error")).toString());
                }
            }
        }
    }
    if (changedTimeline)
        emit timelineChanged();
}

void ToolInvocation::finish(Status status, const QString &error)
{
    if (isFinished())
        return;
    m_timeout.stop();
    m_status = status;
    m_error = error;
    emit finished();
}

} // namespace rcrt
