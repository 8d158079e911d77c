#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <string_view>

namespace rcrt {

// A canonical UUID (8-4-4-4-12 hex, any case) as 16 bytes: breadcrumb ids are UUIDs on the
// wire (rcrt-protocol.md §4), and keying the id index on 16 bytes instead of a 36-byte string
// keeps a million-event index small.
struct UuidKey
{
    quint64 hi = 0;
    quint64 lo = 0;

    friend bool operator==(const UuidKey &a, const UuidKey &b) { return a.hi == b.hi && a.lo == b.lo; }

    static bool parse(std::string_view text, UuidKey &out)
    {
        if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
            return false;
        quint64 words[2] = {0, 0};
        int nibbles = 0;
        for (size_t i = 0; i < 36; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                continue;
            const char c = text[i];
            quint64 v;
            if (c >= '0' && c <= '9')
                v = quint64(c - '0');
            else if (c >= 'a' && c <= 'f')
                v = quint64(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v = quint64(c - 'A' + 10);
            else
                return false;
            quint64 &w = words[nibbles / 16];
            w = (w << 4) | v;
            ++nibbles;
        }
        out.hi = words[0];
        out.lo = words[1];
        return true;
    }

    // Lower-case canonical text (what the server stores, §1.5).
    QByteArray toText() const
    {
        static constexpr char hex[] = "0123456789abcdef";
        QByteArray text(36, Qt::Uninitialized);
        char *o = text.data();
        int nibble = 0;
        for (int i = 0; i < 36; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                o[i] = '-';
                continue;
            }
            const quint64 w = nibble < 16 ? hi : lo;
            o[i] = hex[(w >> (60 - 4 * (nibble % 16))) & 0xF];
            ++nibble;
        }
        return text;
    }
};

inline size_t qHash(const UuidKey &key, size_t seed = 0) noexcept
{
    // splitmix64's finaliser over both halves: ids that differ only in a few nibbles (test
    // ids, sequential ids, the all-zero owner ids) must still spread over the buckets.
    auto mix = [](quint64 x) {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBULL;
        x ^= x >> 31;
        return x;
    };
    return size_t(mix(key.hi ^ mix(key.lo ^ seed)));
}

} // namespace rcrt
