#pragma once

#include "app/cli/tapconnection.h"
#include "app/cli/tapoptions.h"
#include "app/livesource.h"
#include "model/eventstore.h"

namespace rcrt::cli {

// The live stream `tail` and `record` share: an EventStore that dedupes and batches every
// 20 ms, fed by a LiveSource that connects, reconnects and backfills what the store lacks.
// Log lines go to stderr as "# …"; when the stream gives up, the event loop quits and
// *exitCode becomes 1. Connect your own slots to `live` and `store` before run().
class TapStream
{
public:
    TapStream(TapConnection &connection, const TapOptions &options, int history, const QString &command,
              int *exitCode);

    // Starts the stream and runs the event loop until quit, Ctrl-C or durationS (0: no limit);
    // then stops the stream and flushes the store.
    void run(double durationS);

    EventStore store;
    LiveSource live;

private:
    bool m_stopping = false;
};

} // namespace rcrt::cli
