#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <array>
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
        // A table lookup per nibble and one validity check at the end: the id table parses
        // every ingested event's id, and the branchy per-character form was 9% of ingest.
        static constexpr auto kHex = [] {
            std::array<quint8, 256> t{};
            t.fill(0xFF);
            for (int c = 0; c < 10; ++c)
                t[size_t('0' + c)] = quint8(c);
            for (int c = 0; c < 6; ++c)
                t[size_t('a' + c)] = t[size_t('A' + c)] = quint8(10 + c);
            return t;
        }();
        static constexpr quint8 kOffsets[32] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11,
                                                12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25,
                                                26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
        quint64 words[2] = {0, 0};
        quint8 bad = 0;
        for (int i = 0; i < 32; ++i) {
            const quint8 v = kHex[static_cast<unsigned char>(text[kOffsets[i]])];
            bad |= v;
            words[i / 16] = (words[i / 16] << 4) | (v & 0xF);
        }
        if (bad & 0xF0)
            return false;
        out.hi = words[0];
        out.lo = words[1];
        return true;
    }

    // Lower-case canonical text (what the server stores, §1.5).
    QByteArray toText() const
    {
        QByteArray text(kTextSize, Qt::Uninitialized);
        writeText(text.data());
        return text;
    }

    static constexpr qsizetype kTextSize = 36;
    // The canonical text into o[0..36) (no NUL).
    void writeText(char *o) const
    {
        static constexpr char hex[] = "0123456789abcdef";
        int nibble = 0;
        for (int i = 0; i < kTextSize; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                o[i] = '-';
                continue;
            }
            const quint64 w = nibble < 16 ? hi : lo;
            o[i] = hex[(w >> (60 - 4 * (nibble % 16))) & 0xF];
            ++nibble;
        }
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
