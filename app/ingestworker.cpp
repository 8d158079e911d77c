#include "app/ingestworker.h"

#include "app/livesource.h"
#include "model/eventstore.h"
#include "net/tokenprovider.h"

#include <QNetworkAccessManager>

namespace rcrt {

IngestWorker::IngestWorker() = default;
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
    m_nam = std::make_unique<QNetworkAccessManager>();
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
    HeldState held;
    held.latestVersion = [store = m_store.get()](QByteArrayView id) { return store->latestVersion(id); };
    held.serverHighWaterNs = [store = m_store.get()] {
        return std::max(store->maxUpdatedAtNs(), store->lastPingTsNs());
    };
    LiveSourceOptions options;
    options.initialHistory = m_settings.initialHistory;
    m_live = std::make_unique<LiveSource>(m_nam.get(), m_settings.url, m_tokens.get(), held, options);
    connect(m_live.get(), &LiveSource::eventsReceived, this, [this](const QList<StreamEvent> &events) {
        if (m_tap)
            m_tap->onEvents(events);
    });
    connect(m_live.get(), &LiveSource::eventsReceived, m_store.get(), &EventStore::ingestBatch);
    connect(m_store.get(), &EventStore::batchReady, this, &IngestWorker::batchReady);
    connect(m_live.get(), &LiveSource::logMessage, this, &IngestWorker::log);
    connect(&m_live->sse(), &SseClient::stateChanged, this, [this](SseClient::State state) {
        emit stateChanged(state, m_live ? m_live->sse().reconnectCount() : 0);
    });
    m_live->start();
}

void IngestWorker::disconnectFromServer()
{
    if (m_live) {
        m_live->stop();
        m_store->flush();
    }
    m_live.reset();
    m_store.reset();
    m_tokens.reset();
    m_nam.reset();
}

} // namespace rcrt
