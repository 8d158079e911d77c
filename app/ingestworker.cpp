#include "app/ingestworker.h"

#include "app/livesource.h"
#include "app/localnode.h"
#include "app/localwiring.h"
#include "model/eventstore.h"
#include "model/timestamp.h"
#include "net/restclient.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace rcrt {

namespace {
constexpr int kRunnerNewsMs = 50;
}

IngestWorker::IngestWorker()
    : m_flush(new QTimer(this))
{
    m_flush->setSingleShot(true);
    m_flush->setInterval(kRunnerNewsMs);
    connect(m_flush, &QTimer::timeout, this, &IngestWorker::flushRunnerNews);
}

IngestWorker::~IngestWorker()
{
    disconnectFromServer();
    m_tap.reset(); // here, on the ingest thread, so a recorder commits its rest
}

void IngestWorker::setTap(std::unique_ptr<IngestTap> tap)
{
    m_tap = std::move(tap);
}

void IngestWorker::log(const QString &message)
{
    if (m_tap)
        m_tap->onLog(message);
    emit logMessage(message);
}

void IngestWorker::connectTo(const ConnectionSettings &settings)
{
    disconnectFromServer();
    m_settings = settings;
    auto nam = std::make_unique<TlsAccessManager>();
    QString tlsError;
    if (!nam->setTlsOptions(settings.tls, &tlsError)) {
        log(tlsError);
        emit connectFailed(tlsError);
        return;
    }
    m_nam = std::move(nam);
    m_tokens = std::make_unique<TokenProvider>(m_nam.get());
    switch (settings.auth) {
    case ConnectionSettings::Auth::DevMode:
        m_tokens->setNone();
        startLive();
        break;
    case ConnectionSettings::Auth::Token:
        m_tokens->setStaticToken(settings.token);
        startLive();
        break;
    case ConnectionSettings::Auth::Mint: {
        // The stream starts once the first token is there; later renewals are the provider's.
        connect(m_tokens.get(), &TokenProvider::tokenChanged, this, [this] {
            if (!m_live)
                startLive();
        });
        connect(m_tokens.get(), &TokenProvider::refreshFailed, this, [this](const QString &error) {
            log(tr("token request failed: %1").arg(error));
            if (!m_live)
                emit connectFailed(tr("Could not mint a token at %1/auth/token: %2")
                                       .arg(m_settings.url.toString(), error));
        });
        TokenMintRequest request;
        request.ownerId = settings.ownerId;
        request.agentId = settings.agentId;
        request.roles = settings.roles;
        m_tokens->setMint(settings.url, request);
        break;
    }
    }
}

void IngestWorker::startLive()
{
    EventStore::Options storeOptions;
    m_store = std::make_unique<EventStore>(storeOptions);
    LiveSourceOptions options;
    options.initialHistory = m_settings.initialHistory;
    if (m_settings.watchdogMs > 0)
        options.sse.watchdogMs = m_settings.watchdogMs;
    m_live = std::make_unique<LiveSource>(m_nam.get(), m_settings.url, m_tokens.get(), heldStateOf(*m_store), options);
    m_rest = std::make_unique<RestClient>(m_nam.get(), m_settings.url, m_tokens.get());
    m_node = std::make_unique<LocalNode>(m_rest.get(), m_tokens.get());

    // The tap first, so a recorder sees each delivery before the store acts on it; what this
    // process writes goes to the tap too (source Local).
    const auto tapEvents = [this](const QList<StreamEvent> &events) {
        if (m_tap)
            m_tap->onEvents(events);
    };
    connect(m_live.get(), &LiveSource::eventsReceived, this, tapEvents);
    connect(m_live.get(), &LiveSource::eventsReceived, this, [this](const QList<StreamEvent> &events) {
        if (!m_streamWatches.isEmpty())
            findStreamCopies(events);
    });
    connect(m_node.get(), &LocalNode::localEvents, this, tapEvents);
    connectLocalNode(*m_live, *m_store, *m_node);
    connect(m_store.get(), &EventStore::batchReady, this, &IngestWorker::batchReady);
    connect(m_live.get(), &LiveSource::logMessage, this, &IngestWorker::log);
    connect(&m_live->sse(), &SseClient::stateChanged, this, [this](SseClient::State state) {
        emit stateChanged(state, m_live ? m_live->sse().reconnectCount() : 0);
    });
    connect(m_node.get(), &LocalNode::logMessage, this, &IngestWorker::log);
    connect(m_node.get(), &LocalNode::runnerStatsChanged, this, &IngestWorker::onRunnerStats);
    connect(m_node.get(), &LocalNode::runnerExecuted, this, &IngestWorker::onRunnerExecuted);
    if (m_runnerEnabled)
        m_node->setRunnerEnabled(true, m_runnerOptions);
    emit liveChanged(true);
    m_live->start();
}

void IngestWorker::disconnectFromServer()
{
    const bool wasLive = m_node != nullptr;
    if (m_live) {
        m_live->stop();
        m_store->flush();
    }
    cancelInvocations();
    cancelCreates();
    m_node.reset(); // before the REST client its writer and runner use
    m_live.reset();
    m_store.reset();
    m_rest.reset();
    m_tokens.reset();
    m_nam.reset();
    if (wasLive) {
        flushRunnerNews();
        emit liveChanged(false);
    }
}

void IngestWorker::setRunnerEnabled(bool enabled, const RunnerOptions &options)
{
    const bool changed = enabled != m_runnerEnabled;
    m_runnerEnabled = enabled;
    m_runnerOptions = options;
    if (m_node)
        m_node->setRunnerEnabled(enabled, options);
    if (!enabled)
        m_pendingStats = RunnerStats{};
    flushRunnerNews();
    if (changed)
        emit runnerEnabledChanged(enabled);
}

void IngestWorker::onRunnerStats(const RunnerStats &stats)
{
    m_pendingStats = stats;
    if (!m_flush->isActive())
        m_flush->start();
}

void IngestWorker::onRunnerExecuted(const RunnerExecution &execution)
{
    m_pendingExecutions.append(execution);
    if (!m_flush->isActive())
        m_flush->start();
}

void IngestWorker::flushRunnerNews()
{
    m_flush->stop();
    if (!m_pendingExecutions.isEmpty())
        emit runnerExecuted(std::exchange(m_pendingExecutions, {}));
    if (m_pendingStats)
        emit runnerStatsChanged(*std::exchange(m_pendingStats, std::nullopt));
}

void IngestWorker::invoke(quint64 id, const QString &tool, const QJsonValue &input, const QString &workspace,
                          int timeoutMs)
{
    if (!m_node) {
        InvocationSnapshot snapshot;
        snapshot.id = id;
        snapshot.tool = tool;
        snapshot.input = input;
        snapshot.workspace = workspace;
        snapshot.status = ToolInvocation::Status::WriteFailed;
        snapshot.error = tr("not connected: connect to a server first");
        emit invocationUpdated(id, snapshot);
        return;
    }
    ToolInvocation *invocation = m_node->invoke(tool, input, workspace, timeoutMs);
    track(id, invocation);
    // The write is already on its way; the first report says "sending" with the send time.
    emit invocationUpdated(id, InvocationSnapshot::of(id, *invocation));
}

void IngestWorker::track(quint64 id, ToolInvocation *invocation)
{
    const auto update = [this, id, invocation] { emit invocationUpdated(id, InvocationSnapshot::of(id, *invocation)); };
    connect(invocation, &ToolInvocation::timelineChanged, this, update);
    connect(invocation, &ToolInvocation::finished, this, update);
    m_invocations.append({id, QPointer<ToolInvocation>(invocation)});
    // Forget the oldest finished calls beyond the bound; unfinished ones end by their timeout.
    for (qsizetype i = 0; m_invocations.size() > kKeptInvocations && i < m_invocations.size();) {
        ToolInvocation *old = m_invocations.at(i).second;
        if (!old || old->isFinished()) {
            delete old;
            m_invocations.removeAt(i);
        } else {
            ++i;
        }
    }
}

void IngestWorker::cancelInvocations()
{
    for (const auto &[id, invocation] : std::as_const(m_invocations)) {
        if (!invocation || invocation->isFinished())
            continue;
        InvocationSnapshot snapshot = InvocationSnapshot::of(id, *invocation);
        snapshot.cancelled = true;
        snapshot.error = tr("the connection was closed before the response came");
        emit invocationUpdated(id, snapshot);
    }
    m_invocations.clear(); // the node owns them
}

void IngestWorker::createBreadcrumb(quint64 ticket, const QJsonObject &body, int watchStreamMs)
{
    if (!m_node) {
        emit breadcrumbCreated(ticket, {}, tr("not connected: connect to a server first"), 0);
        return;
    }
    m_openCreates.insert(ticket);
    BreadcrumbWrite *write = m_node->writer().create(body);
    connect(write, &BreadcrumbWrite::finished, this, [this, ticket, watchStreamMs](const WriteReport &report) {
        if (!m_openCreates.remove(ticket))
            return; // answered by cancelCreates
        if (!report.ok()) {
            emit breadcrumbCreated(ticket, {}, report.error, 0);
            return;
        }
        emit breadcrumbCreated(ticket, report.id, {}, report.ackNs);
        if (watchStreamMs > 0)
            watchForStreamCopy(ticket, report, watchStreamMs);
    });
}

void IngestWorker::watchForStreamCopy(quint64 ticket, const WriteReport &report, int watchStreamMs)
{
    const QByteArray id = report.id.toUtf8();
    // The stream's copy may have come before the answer: then the store holds it first.
    if (const auto seq = m_store ? m_store->seqOf(id, report.version) : std::nullopt) {
        const std::optional<EventRecord> held = m_store->recordBySeq(*seq);
        if (held && held->first.source == EventSource::Sse) {
            emit breadcrumbStreamed(ticket, held->first.arrivalNs, held->envelope.updatedAtNs);
            return;
        }
    }
    const qint64 now = nowNs();
    m_streamWatches.removeIf([now](const auto &it) { return it.value().untilNs < now; });
    m_streamWatches.insert(id, StreamWatch{ticket, report.version, now + qint64(watchStreamMs) * 1'000'000});
}

void IngestWorker::findStreamCopies(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events) {
        if (event.source != EventSource::Sse)
            continue;
        for (auto it = m_streamWatches.begin(); it != m_streamWatches.end();) {
            // A cheap byte search first: only a payload naming a watched id is decoded.
            const bool match = event.raw.contains(it.key()) && m_watchDecoder.decodeView(event.raw, m_watchView)
                && m_watchView.kind == Envelope::Kind::Breadcrumb && m_watchView.version == it->version
                && QByteArrayView(m_watchView.breadcrumbId.data(), qsizetype(m_watchView.breadcrumbId.size())) == it.key();
            if (match) {
                emit breadcrumbStreamed(it->ticket, event.arrivalNs, m_watchView.updatedAtNs);
                it = m_streamWatches.erase(it);
            } else if (it->untilNs < event.arrivalNs) {
                it = m_streamWatches.erase(it);
            } else {
                ++it;
            }
        }
        if (m_streamWatches.isEmpty())
            return;
    }
}

void IngestWorker::cancelCreates()
{
    for (const quint64 ticket : std::as_const(m_openCreates))
        emit breadcrumbCreated(ticket, {}, tr("the connection was closed before the write was answered"), 0);
    m_openCreates.clear();
    m_streamWatches.clear();
}

} // namespace rcrt
