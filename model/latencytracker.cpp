#include "model/latencytracker.h"

#include <algorithm>
#include <vector>

namespace rcrt {

namespace {

constexpr qint64 kSecondNs = 1'000'000'000;
constexpr double kNsPerMs = 1e6;

qint64 floorSecond(qint64 ns)
{
    qint64 s = ns / kSecondNs;
    if (ns % kSecondNs < 0)
        --s;
    return s * kSecondNs;
}

} // namespace

LatencyTracker::LatencyTracker()
    : LatencyTracker(Options{})
{
}

LatencyTracker::LatencyTracker(const Options &options)
    : m_options(options)
    , m_lag(options.maxLagSamples, /*keepHistogram=*/true)
    , m_repeat(options.maxRepeatSamples)
    , m_roundTrips(options.maxRoundTrips, /*keepHistogram=*/true)
    , m_pingIntervals(options.maxPings)
    , m_pingOffsets(options.maxPings)
    , m_rate(options.maxRateSeconds * 2)
    , m_matcher(options.roundTripOptions)
{
}

void LatencyTracker::clear()
{
    m_lag.clear();
    m_repeat.clear();
    m_roundTrips.clear();
    m_pingIntervals.clear();
    m_pingOffsets.clear();
    m_rate.clear();
    m_matcher.clear();
    m_toolKeys.clear();
    m_toolNames.clear();
    m_schemaKeys.clear();
    m_schemaNames.clear();
    m_totals = {};
    m_latestArrivalNs = 0;
    m_lastPingArrivalNs = 0;
    m_haveSecond = false;
    m_secondNs = m_secondNew = m_secondRepeats = 0;
}

void LatencyTracker::addBatch(const EventBatch &batch)
{
    // Arrivals of the three lists interleave in time; the per-second counts need them in
    // order. A batch holds a few hundred at most, so sorting a small vector is cheap.
    enum Kind : quint8 { New, Repeat, Ping };
    struct Tick
    {
        qint64 ns;
        Kind kind;
    };
    std::vector<Tick> ticks;
    ticks.reserve(size_t(batch.records.size() + batch.repeats.size() + batch.pings.size()));

    for (const EventRecord &r : batch.records) {
        const Envelope &e = r.envelope;
        if (!e.isBreadcrumb())
            continue;
        const qint64 lagNs = r.first.arrivalNs - e.updatedAtNs;
        m_lag.append(r.first.arrivalNs, float(double(lagNs) / kNsPerMs),
                     intern(m_schemaKeys, m_schemaNames, e.schemaName, m_options.maxSchemas));
        ++m_totals.lagSamples;
        if (lagNs < 0)
            ++m_totals.negativeLags;
        if (const auto trip = m_matcher.add(r)) {
            m_roundTrips.append(trip->completedArrivalNs(), float(double(trip->roundTripNs()) / kNsPerMs),
                                intern(m_toolKeys, m_toolNames,
                                       trip->tool.isEmpty() ? QByteArrayLiteral("(unknown)") : trip->tool,
                                       m_options.maxTools));
            ++m_totals.roundTrips;
        }
        ticks.push_back({r.first.arrivalNs, New});
    }
    for (const RepeatArrival &rep : batch.repeats) {
        const qint64 extraNs = rep.arrival.arrivalNs - rep.first.arrivalNs;
        m_repeat.append(rep.arrival.arrivalNs, float(double(extraNs) / kNsPerMs), quint16(rep.arrival.source));
        ++m_totals.repeats;
        ticks.push_back({rep.arrival.arrivalNs, Repeat});
    }
    for (const PingRecord &ping : batch.pings) {
        addPing(ping);
        ticks.push_back({ping.arrivalNs, Ping});
    }

    std::stable_sort(ticks.begin(), ticks.end(), [](const Tick &a, const Tick &b) { return a.ns < b.ns; });
    for (const Tick &t : ticks) {
        m_latestArrivalNs = std::max(m_latestArrivalNs, t.ns);
        closeSecondsBefore(floorSecond(t.ns));
        if (t.kind == New)
            ++m_secondNew;
        else if (t.kind == Repeat)
            ++m_secondRepeats;
    }
}

void LatencyTracker::addPing(const PingRecord &ping)
{
    ++m_totals.pings;
    if (m_lastPingArrivalNs != 0)
        m_pingIntervals.append(ping.arrivalNs, float(double(ping.arrivalNs - m_lastPingArrivalNs) / 1e9));
    m_lastPingArrivalNs = std::max(m_lastPingArrivalNs, ping.arrivalNs);
    if (ping.serverTsNs != 0)
        m_pingOffsets.append(ping.arrivalNs, float(double(ping.arrivalNs - ping.serverTsNs) / kNsPerMs));
}

void LatencyTracker::advanceTo(qint64 nowNs)
{
    if (m_haveSecond)
        closeSecondsBefore(floorSecond(nowNs));
}

void LatencyTracker::closeSecondsBefore(qint64 secondNs)
{
    if (!m_haveSecond) {
        m_haveSecond = true;
        m_secondNs = secondNs;
        return;
    }
    if (secondNs <= m_secondNs)
        return; // same second, or the clock stepped back: keep counting in the open one
    m_rate.append(m_secondNs, float(m_secondNew), quint16(RateKey::NewVersions));
    m_rate.append(m_secondNs, float(m_secondRepeats), quint16(RateKey::Repeats));
    // Silent seconds in between are zeros; more than the ring holds would only be overwritten.
    const qint64 silent = (secondNs - m_secondNs) / kSecondNs - 1;
    const qint64 fill = std::min<qint64>(silent, m_options.maxRateSeconds);
    for (qint64 s = secondNs - fill * kSecondNs; s < secondNs; s += kSecondNs) {
        m_rate.append(s, 0.f, quint16(RateKey::NewVersions));
        m_rate.append(s, 0.f, quint16(RateKey::Repeats));
    }
    m_secondNs = secondNs;
    m_secondNew = m_secondRepeats = 0;
}

quint16 LatencyTracker::intern(QHash<QByteArray, quint16> &keys, QList<QByteArray> &names,
                               const QByteArray &name, qsizetype cap)
{
    if (const auto it = keys.constFind(name); it != keys.constEnd())
        return *it;
    const qsizetype limit = std::min<qsizetype>(cap, 0xffff);
    if (names.size() >= limit)
        return quint16(limit);
    const auto key = quint16(names.size());
    names.append(name);
    keys.insert(name, key);
    return key;
}

QByteArray LatencyTracker::toolName(quint16 key) const
{
    if (key < m_toolNames.size())
        return m_toolNames.at(key);
    return QByteArrayLiteral("(other)");
}

QByteArray LatencyTracker::schemaName(quint16 key) const
{
    return key < m_schemaNames.size() ? m_schemaNames.at(key) : QByteArray();
}

} // namespace rcrt
