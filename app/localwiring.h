#pragma once

#include "app/livesource.h"
#include "app/localnode.h"
#include "model/eventstore.h"

namespace rcrt {

// What the store holds, for a LiveSource's backfill (only what is missing gets emitted).
inline HeldState heldStateOf(const EventStore &store)
{
    HeldState held;
    held.latestVersion = [&store](QByteArrayView id) { return store.latestVersion(id); };
    held.serverHighWaterNs = [&store] { return std::max(store.maxUpdatedAtNs(), store.lastPingTsNs()); };
    return held;
}

// The console's event wiring: SSE and backfill into the store and the node, the node's local
// events into the store. All three on one thread.
inline void connectLocalNode(LiveSource &live, EventStore &store, LocalNode &node)
{
    QObject::connect(&live, &LiveSource::eventsReceived, &store, &EventStore::ingestBatch);
    QObject::connect(&live, &LiveSource::eventsReceived, &node, &LocalNode::feed);
    QObject::connect(&node, &LocalNode::localEvents, &store, &EventStore::ingestBatch);
}

} // namespace rcrt
