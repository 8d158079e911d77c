#pragma once

#include "app/connectionsettings.h"
#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace rcrt {

class EventStore;
class LiveSource;
class TokenProvider;

// Sees everything the live source delivers and logs, on the ingest thread, before the store
// does: the hook a recorder hangs on (issue 5). Made and destroyed on the ingest thread.
class IngestTap
{
public:
    virtual ~IngestTap() = default;
    virtual void onEvents(const QList<StreamEvent> &events) = 0;
    virtual void onLog(const QString &line) = 0;
};

// The objects of one live connection, created and used only on the ingest thread.
class IngestWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IngestWorker)

public:
    IngestWorker();
    ~IngestWorker() override;

    void connectTo(const rcrt::ConnectionSettings &settings);
    void disconnectFromServer();
    // Replaces the tap (null removes it); it stays across reconnects until replaced.
    void setTap(std::unique_ptr<IngestTap> tap);

signals:
    void batchReady(const rcrt::EventBatch &batch);
    void stateChanged(rcrt::SseClient::State state, int reconnects);
    void logMessage(const QString &message);
    void connectFailed(const QString &error);

private:
    void startLive();
    void log(const QString &message);

    ConnectionSettings m_settings;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<EventStore> m_store;
    std::unique_ptr<LiveSource> m_live;
    std::unique_ptr<IngestTap> m_tap;
};

} // namespace rcrt
