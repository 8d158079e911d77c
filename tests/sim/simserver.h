#pragma once

#include "auth.h"
#include "breadcrumbstore.h"
#include "breadcrumbwriter.h"
#include "eventhub.h"
#include "fastrandom.h"
#include "httpserver.h"
#include "restapi.h"
#include "selectors.h"
#include "simoptions.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace rcrt::sim {

class SimRunner;
class WorkloadDemo;
class WorkloadLoad;

// Composition root of rcrt-sim: store, event hub, REST, runner and workloads.
class SimServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimServer)

public:
    explicit SimServer(const SimOptions &options, QObject *parent = nullptr);
    ~SimServer() override;

    // Listens and starts the workloads; false with a message when the port is unavailable.
    bool start(QString &error);
    quint16 port() const { return m_http->port(); }

private:
    SimOptions m_options;
    FastRandom m_ids;
    Authenticator m_auth;
    BreadcrumbStore m_store;
    SelectorRegistry m_selectors;
    EventHub *m_hub;
    BreadcrumbWriter m_writer;
    RestApi m_rest;
    HttpServer *m_http;
    QTimer m_hygiene;
    std::unique_ptr<SimRunner> m_runner;
    std::unique_ptr<WorkloadDemo> m_demo;
    std::unique_ptr<WorkloadLoad> m_load;
};

} // namespace rcrt::sim
