#include "simserver.h"

#include "simlog.h"
#include "simrunner.h"
#include "toolbootstrap.h"
#include "workloaddemo.h"
#include "workloadload.h"
#include "timestamps.h"

namespace rcrt::sim {
namespace {

StreamFaults faultsFrom(const SimOptions &o)
{
    return StreamFaults{o.delayMs, o.bufferMs, o.stallAfter, o.dropAfter,
                        o.dupSelectors, o.garbageEvery, o.splitFrames};
}

} // namespace

SimServer::SimServer(const SimOptions &options, QObject *parent)
    : QObject(parent),
      m_options(options),
      m_ids(options.seed),
      m_auth(options),
      m_store(options.maxBreadcrumbs),
      m_hub(new EventHub(faultsFrom(options), options.pingMs, options.seed ^ 0x5eedULL, this)),
      m_writer(m_store, m_selectors, *m_hub),
      m_rest(m_options, m_auth, m_store, m_selectors, m_writer, *m_hub),
      m_http(new HttpServer([this](HttpExchange &exchange) { return m_rest.handle(exchange); }, this))
{
    m_writer.setIdSource([this] { return m_ids.uuid(); });
    // Hygiene: rows whose ttl passed disappear silently, like the real 30 s loop.
    m_hygiene.setInterval(30000);
    connect(&m_hygiene, &QTimer::timeout, this, [this] {
        const int purged = m_store.purgeExpired(nowMicros());
        if (purged > 0)
            qCInfo(lcSim) << "hygiene purged" << purged << "expired breadcrumbs";
    });
}

SimServer::~SimServer() = default;

bool SimServer::start(QString &error)
{
    if (!m_http->listen(m_options.port)) {
        error = m_http->errorString();
        return false;
    }
    m_hygiene.start();

    // The load workload writes its own responses; a runner would answer its requests too.
    const bool runner = m_options.runner && m_options.workload != Workload::Load;
    if (runner)
        m_runner = std::make_unique<SimRunner>(m_writer, m_store, m_options.ownerId,
                                               m_options.runnerSlots, m_options.seed ^ 0x7a11ULL);
    if (m_options.workload == Workload::Demo) {
        publishToolBootstrap(m_writer, m_options.ownerId);
        m_demo = std::make_unique<WorkloadDemo>(m_writer, m_options.ownerId, m_options.seed ^ 0xde30ULL);
        m_demo->start();
    } else if (m_options.workload == Workload::Load) {
        m_load = std::make_unique<WorkloadLoad>(m_writer, m_options.ownerId, m_options.rate,
                                                m_options.events, m_options.seed ^ 0x10adULL);
        m_load->start();
    }
    return true;
}

} // namespace rcrt::sim
