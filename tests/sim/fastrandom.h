#pragma once

#include <QByteArray>
#include <QUuid>

#include <cstdint>

namespace rcrt::sim {

// xoshiro256** seeded through splitmix64: reproducible with --seed and far cheaper than
// QUuid::createUuid() (a system call each) at load-workload rates.
class FastRandom
{
public:
    explicit FastRandom(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        for (auto &word : m_state) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [lo, hi] (inclusive); the tiny modulo bias does not matter here.
    qint64 between(qint64 lo, qint64 hi)
    {
        if (hi <= lo)
            return lo;
        return lo + qint64(next() % std::uint64_t(hi - lo + 1));
    }

    double unit() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

    bool chance(double p) { return unit() < p; }

    // A random version-4 UUID.
    QUuid uuid()
    {
        const std::uint64_t hi = next();
        const std::uint64_t lo = next();
        return QUuid(uint(hi >> 32), ushort(hi >> 16), ushort((hi & 0x0fff) | 0x4000),
                     uchar(((lo >> 56) & 0x3f) | 0x80), uchar(lo >> 48), uchar(lo >> 40),
                     uchar(lo >> 32), uchar(lo >> 24), uchar(lo >> 16), uchar(lo >> 8), uchar(lo));
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_state[4]{};
};

// Lower-case hyphenated text, as the server prints UUIDs.
inline QByteArray uuidText(const QUuid &uuid) { return uuid.toByteArray(QUuid::WithoutBraces); }

} // namespace rcrt::sim
