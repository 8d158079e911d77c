#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>
#include <string_view>

namespace rcrt {

// RFC 3339 timestamps as int64 nanoseconds since the Unix epoch (UTC).
//
// The wire carries chrono's AutoSi form (0/3/6/9 fractional digits, `Z`) for `updated_at`,
// whole seconds for ping `ts`, and `+00:00` with nanoseconds in a few places
// (rcrt-protocol.md §4.3), so the parser accepts any 1–9 fractional digits, `Z`/`z` or a
// numeric offset (`+05:30`, `-05:00`), and `T`/`t` as the separator. It is hand-written
// arithmetic (days from civil), because this runs once per event on the ingest hot path.
//
// Returns std::nullopt for anything else: garbage, out-of-range fields (month 13, Feb 30,
// hour 24, …), more than 9 fractional digits, trailing bytes, or an instant outside the
// int64 nanosecond range (about years 1677–2262). Leap seconds (`:60`) are rejected.
std::optional<qint64> parseRfc3339Ns(std::string_view text) noexcept;

inline std::optional<qint64> parseRfc3339Ns(QByteArrayView text) noexcept
{
    return parseRfc3339Ns(std::string_view(text.data(), size_t(text.size())));
}

// Formats as UTC with `Z` and chrono's AutoSi fraction: no fraction when whole seconds,
// otherwise the shortest of 3, 6 or 9 digits that is exact (e.g. `2025-11-07T10:30:05.123456Z`).
QByteArray formatRfc3339Ns(qint64 ns);

} // namespace rcrt
