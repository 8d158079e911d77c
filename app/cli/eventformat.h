#pragma once

#include "model/eventrecord.h"

#include <QByteArray>

namespace rcrt::cli {

// How rcrt-tap prints one event (tail, and later replay): a readable line, or with --json
// {"arrived_at","lag_ms","source","type","breadcrumb_id","version","schema_name","tags","updated_at"}.
// `arrival` is the delivery being printed (a record's first arrival or a repeat).
QByteArray formatEventLine(const EventRecord &record, const Arrival &arrival, bool json);
QByteArray formatPingLine(const PingRecord &ping, bool json);

// Arrival time in the console's clock, ISO 8601 UTC with milliseconds.
QByteArray formatArrival(qint64 arrivalNs);
// arrival − updated_at in milliseconds (negative when the clocks disagree).
double lagMs(qint64 arrivalNs, qint64 updatedAtNs);

} // namespace rcrt::cli
