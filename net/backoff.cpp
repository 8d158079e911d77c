#include "net/backoff.h"

#include <algorithm>
#include <cmath>

namespace rcrt {

Backoff::Backoff(Params params)
    : Backoff(params, QRandomGenerator::global()->generate())
{
}

Backoff::Backoff(Params params, quint32 seed)
    : m_params(params)
    , m_rng(seed)
{
    m_params.capMs = std::max(1, m_params.capMs);
    m_params.minDelayMs = std::clamp(m_params.minDelayMs, 0, m_params.capMs);
    m_params.initialMs = std::clamp(m_params.initialMs, 0, m_params.capMs);
    m_params.multiplier = std::max(1.0, m_params.multiplier);
}

int Backoff::baseMs() const
{
    // Never below the floor: a server `retry: 0` must not turn reconnects into a busy loop.
    return std::max(m_serverRetryMs.value_or(m_params.initialMs), m_params.minDelayMs);
}

void Backoff::setServerRetryMs(std::optional<qint64> retryMs)
{
    if (!retryMs || *retryMs < 0) {
        m_serverRetryMs.reset();
        return;
    }
    m_serverRetryMs = static_cast<int>(std::min<qint64>(*retryMs, m_params.capMs));
}

int Backoff::nextCeilingMs() const
{
    const double base = baseMs();
    if (m_params.jitter == Jitter::Decorrelated) {
        const double previous = m_attempt == 0 ? base : std::max<double>(m_previousMs, base);
        return static_cast<int>(std::min<double>(m_params.capMs, std::max(base, previous * 3.0)));
    }
    // pow() may reach infinity for large attempts; min() with the cap keeps it finite.
    const double grown = base * std::pow(m_params.multiplier, m_attempt);
    return static_cast<int>(std::min<double>(m_params.capMs, grown));
}

int Backoff::nextDelayMs()
{
    const int ceiling = nextCeilingMs();
    int delay = ceiling;
    switch (m_params.jitter) {
    case Jitter::None:
        break;
    case Jitter::Full:
        delay = boundedRandom(std::min(m_params.minDelayMs, ceiling), ceiling);
        break;
    case Jitter::Decorrelated:
        delay = boundedRandom(std::min(baseMs(), ceiling), ceiling);
        break;
    }
    m_previousMs = delay;
    ++m_attempt;
    return delay;
}

void Backoff::reset()
{
    m_attempt = 0;
    m_previousMs = 0;
}

int Backoff::boundedRandom(int lowMs, int highMs)
{
    if (highMs <= lowMs)
        return lowMs;
    // bounded(a, b) is [a, b); +1 makes the ceiling itself reachable.
    return m_rng.bounded(lowMs, highMs + 1);
}

} // namespace rcrt
