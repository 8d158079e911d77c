#include "app/localnode.h"

#include "net/restclient.h"

namespace rcrt {

LocalNode::LocalNode(RestClient *rest, TokenProvider *tokens, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
    , m_writer(rest, &m_bus, tokens)
{
    qRegisterMetaType<rcrt::StreamEvent>();
    qRegisterMetaType<QList<rcrt::StreamEvent>>();
    qRegisterMetaType<rcrt::RunnerStats>();
    qRegisterMetaType<rcrt::RunnerExecution>();
    qRegisterMetaType<rcrt::RunnerOptions>();
    connect(&m_bus, &LocalBus::delivered, this, [this](const StreamEvent &event) {
        dispatch(event);
        emit localEvents(QList<StreamEvent>{event});
    });
}

LocalNode::~LocalNode()
{
    m_runner.reset(); // before the writer and waiter it points at
}

void LocalNode::feed(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events)
        dispatch(event);
}

void LocalNode::dispatch(const StreamEvent &event)
{
    // One envelope read for every consumer; pings and garbage concern none of them.
    if (!m_decoder.decodeView(event.raw, m_view) || m_view.kind != Envelope::Kind::Breadcrumb)
        return;
    m_waiter.feed(event, m_view);
    if (m_runner)
        m_runner->feed(event, m_view);
    if (m_invocations.isEmpty())
        return;
    const QList<QPointer<ToolInvocation>> open = m_invocations;
    for (const QPointer<ToolInvocation> &invocation : open)
        if (invocation)
            invocation->feed(event, m_view);
}

void LocalNode::setRunnerEnabled(bool enabled, const RunnerOptions &options)
{
    if (!enabled) {
        if (!m_runner)
            return;
        m_runner.reset();
        emit logMessage(QStringLiteral("tools-runner stopped"));
        emit runnerEnabledChanged(false);
        return;
    }
    m_runner.reset();
    m_runner = std::make_unique<ToolsRunner>(&m_writer, m_rest, &m_waiter, options);
    connect(m_runner.get(), &ToolsRunner::statsChanged, this, &LocalNode::runnerStatsChanged);
    connect(m_runner.get(), &ToolsRunner::executed, this, &LocalNode::runnerExecuted);
    connect(m_runner.get(), &ToolsRunner::logMessage, this, &LocalNode::logMessage);
    m_runner->start();
    emit runnerEnabledChanged(true);
    emit runnerStatsChanged(m_runner->stats());
}

ToolInvocation *LocalNode::invoke(const QString &tool, const QJsonValue &input, const QString &workspace,
                                  int timeoutMs)
{
    auto *invocation = new ToolInvocation(&m_writer, tool, input, workspace, timeoutMs, this);
    m_invocations.removeAll(QPointer<ToolInvocation>());
    m_invocations.append(QPointer<ToolInvocation>(invocation));
    invocation->start();
    return invocation;
}

} // namespace rcrt
