#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace rcrt::sim {

// Microseconds since the Unix epoch: the resolution Postgres stores timestamps with.
// Includes the --clock-skew-ms offset: the simulated server's (and DB's) clock.
qint64 nowMicros();
// --clock-skew-ms: the server clock runs this far ahead (negative: behind) of the machine's.
void setClockSkewMicros(qint64 skew);

// RFC 3339 UTC with `Z` and chrono's AutoSi fraction: 0, 3 or 6 digits from microseconds
// (rcrt-protocol.md §3.4, §4.3), e.g. 2025-10-03T02:55:46.436840Z, …46.120Z, …46Z.
void appendTimestamp(QByteArray &out, qint64 micros);
QByteArray formatTimestamp(qint64 micros);

// Whole seconds with `Z`, the ping's `ts` (SecondsFormat::Secs).
QByteArray formatSeconds(qint64 micros);

// Milliseconds with `Z`, like JavaScript's toISOString() in client-written contexts.
QByteArray formatMillis(qint64 micros);

// Parses RFC 3339 with any offset (the `ttl` field); returns false when it is not one.
bool parseRfc3339(QByteArrayView text, qint64 &micros);

} // namespace rcrt::sim
