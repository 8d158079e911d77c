#include "model/streamevent.h"

namespace rcrt {

QString sourceName(EventSource source)
{
    switch (source) {
    case EventSource::Sse: return QStringLiteral("sse");
    case EventSource::Backfill: return QStringLiteral("backfill");
    case EventSource::Local: return QStringLiteral("local");
    case EventSource::Replay: return QStringLiteral("replay");
    }
    return QStringLiteral("unknown");
}

} // namespace rcrt
