#pragma once

#include "auth.h"
#include "breadcrumb.h"

#include <functional>
#include <optional>
#include <vector>

namespace rcrt::sim {

class BreadcrumbStore;
class EventHub;
class SelectorRegistry;

// What listeners inside the process (simulated tools-runner, demo agent) see of a write.
// The pointer is only valid during the callback.
struct WriteEvent
{
    const Breadcrumb *breadcrumb = nullptr;
    bool created = false;
    QUuid writerOwner;
    QUuid writerAgent;
};

// The one write path: REST handlers and workloads both create and patch through here, so every
// write is stored, versioned and published exactly like the real server does (§3.2).
class BreadcrumbWriter
{
public:
    BreadcrumbWriter(BreadcrumbStore &store, SelectorRegistry &selectors, EventHub &hub);

    const Breadcrumb &create(const Identity &writer, NewBreadcrumb fields);

    enum class PatchOutcome { Ok, NotFound, VersionMismatch };
    PatchOutcome patch(const Identity &writer, const QUuid &id, BreadcrumbPatch patch,
                       std::optional<int> ifMatch = std::nullopt);
    // No event: the real server publishes nothing on delete (§1.3).
    bool remove(const Identity &writer, const QUuid &id);

    void addListener(std::function<void(const WriteEvent &)> listener)
    {
        m_listeners.push_back(std::move(listener));
    }

    quint64 writes() const { return m_writes; }
    // Stamped uuids come from here so --seed makes ids reproducible.
    void setIdSource(std::function<QUuid()> source) { m_idSource = std::move(source); }

private:
    void publish(const Breadcrumb &breadcrumb, bool created, const Identity &writer);
    static std::optional<qint64> automaticTtl(const NewBreadcrumb &fields, qint64 now);

    BreadcrumbStore &m_store;
    SelectorRegistry &m_selectors;
    EventHub &m_hub;
    std::vector<std::function<void(const WriteEvent &)>> m_listeners;
    std::function<QUuid()> m_idSource;
    quint64 m_writes = 0;
};

} // namespace rcrt::sim
