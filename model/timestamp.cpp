#include "model/timestamp.h"

#include <cstdint>

namespace rcrt {

namespace {

constexpr qint64 kNsPerSecond = 1'000'000'000;

// Howard Hinnant's days_from_civil: proleptic Gregorian date → days since 1970-01-01.
constexpr qint64 daysFromCivil(qint64 y, unsigned m, unsigned d) noexcept
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

struct Civil
{
    qint64 year;
    unsigned month;
    unsigned day;
};

// The inverse (civil_from_days).
constexpr Civil civilFromDays(qint64 z) noexcept
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 y = qint64(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);
static_assert(civilFromDays(11017).year == 2000 && civilFromDays(11017).month == 3);

constexpr bool isLeap(qint64 y) noexcept
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr unsigned daysInMonth(qint64 y, unsigned m) noexcept
{
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : table[m - 1];
}

// Reads exactly `n` ASCII digits at p; false if any is not a digit.
inline bool digits(const char *p, int n, unsigned &out) noexcept
{
    unsigned v = 0;
    for (int i = 0; i < n; ++i) {
        const unsigned c = unsigned(static_cast<unsigned char>(p[i])) - '0';
        if (c > 9)
            return false;
        v = v * 10 + c;
    }
    out = v;
    return true;
}

} // namespace

std::optional<qint64> parseRfc3339Ns(std::string_view text) noexcept
{
    // Shortest valid form: "YYYY-MM-DDTHH:MM:SSZ" (20 bytes).
    const char *p = text.data();
    const size_t n = text.size();
    if (n < 20)
        return std::nullopt;

    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(p, 4, year) || p[4] != '-' || !digits(p + 5, 2, month) || p[7] != '-'
        || !digits(p + 8, 2, day) || (p[10] != 'T' && p[10] != 't')
        || !digits(p + 11, 2, hour) || p[13] != ':' || !digits(p + 14, 2, minute)
        || p[16] != ':' || !digits(p + 17, 2, second)) {
        return std::nullopt;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23
        || minute > 59 || second > 59) {
        return std::nullopt;
    }

    size_t i = 19;
    qint64 fraction = 0;
    if (p[i] == '.') {
        ++i;
        int count = 0;
        while (i < n && unsigned(static_cast<unsigned char>(p[i])) - '0' <= 9) {
            if (++count > 9)
                return std::nullopt;
            fraction = fraction * 10 + (p[i] - '0');
            ++i;
        }
        if (count == 0)
            return std::nullopt;
        for (int k = count; k < 9; ++k)
            fraction *= 10;
    }

    qint64 offsetSeconds = 0;
    if (i >= n)
        return std::nullopt;
    if (p[i] == 'Z' || p[i] == 'z') {
        ++i;
    } else if (p[i] == '+' || p[i] == '-') {
        unsigned oh = 0, om = 0;
        if (n - i < 6 || !digits(p + i + 1, 2, oh) || p[i + 3] != ':' || !digits(p + i + 4, 2, om)
            || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offsetSeconds = qint64(oh) * 3600 + qint64(om) * 60;
        if (p[i] == '-')
            offsetSeconds = -offsetSeconds;
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != n)
        return std::nullopt;

    const qint64 seconds = daysFromCivil(year, month, day) * 86400 + qint64(hour) * 3600
        + qint64(minute) * 60 + second - offsetSeconds;
    qint64 ns = 0;
    if (__builtin_mul_overflow(seconds, kNsPerSecond, &ns) || __builtin_add_overflow(ns, fraction, &ns))
        return std::nullopt;
    return ns;
}

QByteArray formatRfc3339Ns(qint64 ns)
{
    qint64 seconds = ns / kNsPerSecond;
    qint64 nanos = ns % kNsPerSecond;
    if (nanos < 0) { // floor towards the past for instants before 1970
        nanos += kNsPerSecond;
        --seconds;
    }
    qint64 days = seconds / 86400;
    qint64 secOfDay = seconds % 86400;
    if (secOfDay < 0) {
        secOfDay += 86400;
        --days;
    }
    const Civil c = civilFromDays(days);

    char buf[40];
    char *o = buf;
    auto put = [&o](qint64 v, int width) {
        for (int k = width - 1; k >= 0; --k) {
            o[k] = char('0' + v % 10);
            v /= 10;
        }
        o += width;
    };
    put(c.year, 4);
    *o++ = '-';
    put(c.month, 2);
    *o++ = '-';
    put(c.day, 2);
    *o++ = 'T';
    put(secOfDay / 3600, 2);
    *o++ = ':';
    put(secOfDay / 60 % 60, 2);
    *o++ = ':';
    put(secOfDay % 60, 2);
    if (nanos != 0) {
        *o++ = '.';
        if (nanos % 1'000'000 == 0)
            put(nanos / 1'000'000, 3);
        else if (nanos % 1'000 == 0)
            put(nanos / 1'000, 6);
        else
            put(nanos, 9);
    }
    *o++ = 'Z';
    return QByteArray(buf, o - buf);
}

} // namespace rcrt
