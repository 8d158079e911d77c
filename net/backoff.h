#pragma once

#include <QRandomGenerator>
#include <QtGlobal>

#include <optional>

namespace rcrt {

enum class BackoffJitter {
    None, // base * multiplier^n, capped (for tests and diagnostics)
    Full, // uniform in [minDelayMs, min(cap, base * multiplier^n)]
    Decorrelated, // uniform in [base, 3 * previous], capped (AWS "decorrelated jitter")
};

// At namespace scope (not nested) so `Params params = {}` default arguments compile.
struct BackoffParams
{
    int initialMs = 500;
    int capMs = 30000;
    double multiplier = 2.0;
    int minDelayMs = 50; // a floor so full jitter never spins on 0 ms
    BackoffJitter jitter = BackoffJitter::Full;
};

// Reconnect delays: exponential growth with jitter, so many consoles that lost the same server
// do not come back in lock step. A server `retry:` value replaces the initial delay as the base
// (WHATWG: the server tells the client how long to wait). Plain value type, no timers: the owner
// asks for the next delay and arms its own timer, which keeps it testable with a seeded RNG.
class Backoff
{
public:
    using Jitter = BackoffJitter;
    using Params = BackoffParams;

    // A random seed from QRandomGenerator::global().
    explicit Backoff(Params params = {});
    // Deterministic sequence for tests.
    Backoff(Params params, quint32 seed);

    // Delay before the next attempt; counts the attempt.
    int nextDelayMs();
    // Upper bound the next call to nextDelayMs() can return (before it is made).
    int nextCeilingMs() const;
    // Number of delays handed out since the last reset().
    int attempt() const { return m_attempt; }
    // The connection proved healthy: start again from the base delay.
    void reset();

    // Server `retry:` in ms; negative or absent clears it. Clamped to [0, capMs].
    void setServerRetryMs(std::optional<qint64> retryMs);
    std::optional<int> serverRetryMs() const { return m_serverRetryMs; }
    // The delay growth starts from: the server's retry when given, else Params::initialMs.
    int baseMs() const;

    const Params &params() const { return m_params; }

private:
    int boundedRandom(int lowMs, int highMs);

    Params m_params;
    QRandomGenerator m_rng;
    std::optional<int> m_serverRetryMs;
    int m_attempt = 0;
    int m_previousMs = 0;
};

} // namespace rcrt
