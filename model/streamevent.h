#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <chrono>
#include <cstdint>

namespace rcrt {

// Where an event came from. Every source yields the same StreamEvent (DESIGN.md, data flow).
enum class EventSource : std::uint8_t { Sse, Backfill, Local, Replay };

QString sourceName(EventSource source);

// Wall-clock nanoseconds since the Unix epoch, the console's own clock.
inline std::int64_t nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

// One delivery of one payload, before decoding. `raw` is the exact JSON text of the SSE `data`
// field (or of one REST list item for backfill), so the recorder can store it and a replay can
// feed the same bytes through the same decoder.
struct StreamEvent
{
    std::int64_t arrivalNs = 0;
    EventSource source = EventSource::Sse;
    QByteArray raw;
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::StreamEvent)
