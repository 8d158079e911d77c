#include "model/clockoffset.h"

#include <algorithm>
#include <cstdlib>

namespace rcrt {

namespace {
constexpr qint64 kHalfSecondNs = 500'000'000;
} // namespace

QString ClockOffsetEstimator::Estimate::toString() const
{
    if (!isValid())
        return QStringLiteral("unknown");
    // Milliseconds while both figures are below a second (probes on a LAN), else seconds.
    const bool ms = std::max(std::llabs(offsetNs), uncertaintyNs) < 1'000'000'000;
    const double scale = ms ? 1e6 : 1e9;
    const QString unit = ms ? QStringLiteral("ms") : QStringLiteral("s");
    return QStringLiteral("%1%2 %3 ± %4 %3 (%5)")
        .arg(offsetNs >= 0 ? QStringLiteral("+") : QString())
        .arg(double(offsetNs) / scale, 0, 'f', ms ? 1 : 3)
        .arg(unit)
        .arg(double(uncertaintyNs) / scale, 0, 'f', ms ? 1 : 3)
        .arg(sourceName(source));
}

ClockOffsetEstimator::ClockOffsetEstimator(int pingWindow) : m_pingWindow(std::max(1, pingWindow)) {}

void ClockOffsetEstimator::addProbe(qint64 sentNs, qint64 ackNs, qint64 serverUpdatedAtNs)
{
    if (ackNs < sentNs || serverUpdatedAtNs <= 0)
        return;
    ++m_probeCount;
    const qint64 rtt = ackNs - sentNs;
    if (m_bestProbeRttNs >= 0 && rtt >= m_bestProbeRttNs)
        return;
    m_bestProbeRttNs = rtt;
    m_bestProbeOffsetNs = serverUpdatedAtNs - (sentNs + rtt / 2);
}

void ClockOffsetEstimator::addPing(qint64 arrivalNs, qint64 tsNs)
{
    if (tsNs <= 0)
        return;
    const qint64 delta = arrivalNs - tsNs;
    if (m_pingDeltas.size() < m_pingWindow)
        m_pingDeltas.append(delta);
    else
        m_pingDeltas[qsizetype(m_pingCount % m_pingWindow)] = delta;
    ++m_pingCount;
}

void ClockOffsetEstimator::clear()
{
    m_pingCount = 0;
    m_pingDeltas.clear();
    m_probeCount = 0;
    m_bestProbeRttNs = -1;
    m_bestProbeOffsetNs = 0;
}

ClockOffsetEstimator::Estimate ClockOffsetEstimator::probeEstimate() const
{
    Estimate e;
    if (m_bestProbeRttNs < 0)
        return e;
    e.source = Source::Probes;
    e.offsetNs = m_bestProbeOffsetNs;
    e.uncertaintyNs = m_bestProbeRttNs / 2;
    e.samples = m_probeCount;
    return e;
}

ClockOffsetEstimator::Estimate ClockOffsetEstimator::pingEstimate() const
{
    Estimate e;
    if (m_pingDeltas.isEmpty())
        return e;
    const qint64 minDelta = *std::min_element(m_pingDeltas.cbegin(), m_pingDeltas.cend());
    e.source = Source::Pings;
    e.offsetNs = kHalfSecondNs - minDelta;
    e.uncertaintyNs = kHalfSecondNs;
    e.samples = m_pingDeltas.size();
    return e;
}

ClockOffsetEstimator::Estimate ClockOffsetEstimator::estimate() const
{
    const Estimate probes = probeEstimate();
    return probes.isValid() ? probes : pingEstimate();
}

QString ClockOffsetEstimator::sourceName(Source source)
{
    switch (source) {
    case Source::Pings:
        return QStringLiteral("pings");
    case Source::Probes:
        return QStringLiteral("probes");
    case Source::None:
        break;
    }
    return QStringLiteral("none");
}

} // namespace rcrt
