// The per-chart half of LatencyChartsView: downsampled groups in, adapter calls out.

#include "ui/charts/chartadapter.h"
#include "ui/charts/chartformat.h"
#include "ui/charts/chartpalette.h"
#include "ui/charts/latencychartsview_p.h"
#include "ui/schemacolors.h"

#include <QLabel>

#include <algorithm>
#include <cmath>

namespace rcrt::ui {

using charts::durationUnitFor;
using charts::formatCount;
using charts::formatDurationMs;
using charts::SeriesStyle;

namespace {

constexpr double kNsToMs = 1e-6;
constexpr double kExpectedPingS = 5.0; // rcrt-protocol.md §3.4

struct Extent
{
    bool any = false;
    double lo = 0;
    double hi = 0;
    double lowestPositive = 0; // for a log axis

    void include(const QList<QPointF> &points)
    {
        for (const QPointF &p : points) {
            lo = any ? std::min(lo, p.y()) : p.y();
            hi = any ? std::max(hi, p.y()) : p.y();
            any = true;
            if (p.y() > 0 && (lowestPositive == 0 || p.y() < lowestPositive))
                lowestPositive = p.y();
        }
    }
    double maxAbs() const { return std::max(std::fabs(lo), std::fabs(hi)); }
};

// One plotted series of a latency chart, before its unit is chosen.
struct Plot
{
    QString name;
    QColor color;
    QList<QPointF> points; // y in ms
};

// Puts latency plots (y in ms) on a chart: one unit for all of them (ms, s or min on a linear
// axis; ms on a log axis, where values at or below zero have no place and are left out).
void showLatencies(charts::TimeSeriesChart *chart, std::vector<Plot> &plots, const QStringList &allNames,
                   bool log, const QString &yTitle, qint64 &pointsPlotted, qsizetype &largest)
{
    Extent extent;
    for (Plot &p : plots) {
        if (log)
            p.points.removeIf([](const QPointF &pt) { return !(pt.y() > 0); });
        extent.include(p.points);
    }
    const charts::DurationUnit unit = log ? charts::DurationUnit{QStringLiteral("ms"), 1} : durationUnitFor(extent.maxAbs());
    for (const QString &name : allNames)
        if (std::none_of(plots.begin(), plots.end(), [&](const Plot &p) { return p.name == name; }))
            chart->removeSeries(name); // the legend lists only what the window holds
    for (Plot &p : plots) {
        if (unit.msPerUnit != 1)
            for (QPointF &pt : p.points)
                pt.setY(pt.y() / unit.msPerUnit);
        chart->setSeries(p.name, p.color, p.points, SeriesStyle::Points);
        pointsPlotted += p.points.size();
        largest = std::max(largest, p.points.size());
    }
    if (log) {
        chart->setYAxis(yTitle.arg(QStringLiteral("ms, log scale")),
                        extent.lowestPositive > 0 ? extent.lowestPositive : 0.1, std::max(extent.hi, 1.0),
                        charts::AxisScale::Log);
    } else {
        chart->setYAxis(yTitle.arg(unit.symbol), std::min(0.0, extent.lo / unit.msPerUnit * 1.05),
                        std::max(extent.hi / unit.msPerUnit * 1.08, 1.0));
    }
}

} // namespace

void LatencyChartsView::Private::refreshLag(qint64 xMinNs, qint64 xMaxNs)
{
    const QList<SchemaFamily> families = allSchemaFamilies();
    const QString repeatName = tr("repeat delivery (delay after the first)");
    QStringList allNames{repeatName};
    std::vector<Plot> plots;
    for (int i = 0; i < lagFeed.groupCount(); ++i) {
        const QString name = schemaFamilyName(families[i]);
        allNames.append(name);
        if (!lagFeed.group(i).isEmpty())
            plots.push_back({name, schemaFamilyColor(families[i], dark), lagFeed.group(i).points(kNsToMs)});
    }
    if (!repeatFeed.group(0).isEmpty())
        plots.push_back({repeatName, charts::categoricalColor(3, dark), repeatFeed.group(0).points(kNsToMs)});
    showLatencies(lag, plots, allNames, logScale, tr("lag (%1)"), stats.pointsPlotted, stats.largestSeries);
    lag->setXAxis(tr("arrival time (console clock)"), double(xMinNs) * kNsToMs, double(xMaxNs) * kNsToMs);

    const LatencySeries &series = tracker.deliveryLag();
    if (series.isEmpty()) {
        lag->setCaption(tr("Waiting for events. Lag = arrival here − updated_at (database clock)."));
        return;
    }
    QString caption = tr("%1 events in the window · newest %2 · dots are per-bucket extremes when dense")
                          .arg(formatCount(lagStats.count()), formatDurationMs(series.y(series.endSeq() - 1)));
    if (const qint64 negative = lagStats.histogram().countAtOrBelowZero(); negative > 0)
        caption += tr(" · %1 at or below 0 (console clock behind the database clock)").arg(formatCount(negative));
    lag->setCaption(caption);
}

void LatencyChartsView::Private::refreshRoundTrips(qint64 xMinNs, qint64 xMaxNs)
{
    QStringList allNames;
    std::vector<Plot> plots;
    for (int i = 0; i < tripFeed.groupCount(); ++i) {
        const QString name = i < kMaxToolSeries ? QString::fromUtf8(tracker.toolName(quint16(i))) : tr("other tools");
        allNames.append(name);
        if (!tripFeed.group(i).isEmpty())
            plots.push_back({name, charts::categoricalColor(i, dark), tripFeed.group(i).points(kNsToMs)});
    }
    showLatencies(trips, plots, allNames, logScale, tr("round trip (%1)"), stats.pointsPlotted, stats.largestSeries);
    trips->setXAxis(tr("response arrival (console clock)"), double(xMinNs) * kNsToMs, double(xMaxNs) * kNsToMs);
    const LatencyRoundTrips &m = tracker.requestMatcher();
    trips->setCaption(tr("%1 matched · %2 requests pending · %3 responses without a known request")
                          .arg(formatCount(m.matched()), formatCount(m.pendingRequests()),
                               formatCount(m.waitingResponses())));
}

qint64 LatencyChartsView::Private::refreshHistogram(qint64 cutoffNs)
{
    const qint64 work = lagStats.update(cutoffNs);
    const LogHistogram &h = lagStats.histogram();
    const std::vector<HistogramBin> bins = h.positiveBins(10);
    histogram->setBins(tr("events per bin"), bins, charts::histogramColor(dark));

    const PercentileSummary s = lagStats.summary();
    QList<charts::ChartMarker> markers;
    if (s.count > 0) {
        const std::pair<double, QString> ps[] = {{s.p50, QStringLiteral("p50")},
                                                 {s.p95, QStringLiteral("p95")},
                                                 {s.p99, QStringLiteral("p99")}};
        for (int i = 0; i < 3; ++i)
            markers.append({ps[i].first, ps[i].second,
                            QStringLiteral("%1 = %2").arg(ps[i].second, formatDurationMs(ps[i].first)),
                            charts::percentileColor(i, dark)});
    }
    histogram->setMarkers(markers);

    if (s.count == 0) {
        histogram->setCaption(tr("No events in the window yet."));
        return work;
    }
    QString caption = tr("p50 %1 · p95 %2 · p99 %3 · max %4 · %5 events")
                          .arg(formatDurationMs(s.p50), formatDurationMs(s.p95), formatDurationMs(s.p99),
                               formatDurationMs(s.max), formatCount(s.count));
    if (!s.exact)
        caption += tr(" (percentiles within 1%)");
    if (const qint64 hidden = h.countAtOrBelowZero(); hidden > 0)
        caption += tr(" · %1 at or below 0 not shown").arg(formatCount(hidden));
    histogram->setCaption(caption);
    return work;
}

void LatencyChartsView::Private::refreshPings(qint64 nowNs, qint64 xMinNs, qint64 xMaxNs)
{
    const MinMaxDownsampler &g = pingFeed.group(0);
    const QList<QPointF> points = g.points(kNsToMs, 0, 1.0);
    pings->setSeries(tr("time between pings"), charts::categoricalColor(0, dark), points, SeriesStyle::Steps);
    notePoints(points.size());
    pings->setReferenceLine(tr("expected (5 s)"), kExpectedPingS, charts::referenceLineColor(dark));
    pings->setXAxis(tr("ping arrival (console clock)"), double(xMinNs) * kNsToMs, double(xMaxNs) * kNsToMs);
    const double hi = g.isEmpty() ? 0 : double(g.yRange().second);
    pings->setYAxis(tr("interval (s)"), 0, std::max(kExpectedPingS * 1.4, hi * 1.1));

    const qint64 last = tracker.lastPingArrivalNs();
    if (last == 0) {
        pings->setCaption(tr("No ping yet (the server sends one at connect, then every 5 s)."));
        return;
    }
    QString caption = tr("last ping %1 ago").arg(formatDurationMs(double(std::max<qint64>(nowNs - last, 0)) * kNsToMs));
    const LatencySeries &intervals = tracker.pingIntervals();
    if (!intervals.isEmpty())
        caption += tr(" · last interval %1").arg(formatDurationMs(double(intervals.y(intervals.endSeq() - 1)) * 1000));
    const LatencySeries &offsets = tracker.pingOffsets();
    if (!offsets.isEmpty())
        caption += tr(" · arrival − ts %1 (ts has whole seconds)")
                       .arg(formatDurationMs(double(offsets.y(offsets.endSeq() - 1))));
    pings->setCaption(caption);
}

void LatencyChartsView::Private::refreshRates(qint64 xMinNs, qint64 xMaxNs)
{
    const QString newName = tr("new events");
    const QString repeatName = tr("repeat deliveries");
    const QList<QPointF> fresh = rateFeed.group(0).points(kNsToMs, 0, 1.0);
    rates->setSeries(newName, charts::categoricalColor(0, dark), fresh, SeriesStyle::Line);
    notePoints(fresh.size());
    Extent extent;
    extent.include(fresh);
    if (tracker.totals().repeats > 0) {
        const QList<QPointF> repeats = rateFeed.group(1).points(kNsToMs, 0, 1.0);
        rates->setSeries(repeatName, charts::categoricalColor(1, dark), repeats, SeriesStyle::Line);
        notePoints(repeats.size());
        extent.include(repeats);
    } else {
        rates->removeSeries(repeatName);
    }
    rates->setXAxis(tr("arrival second (console clock)"), double(xMinNs) * kNsToMs, double(xMaxNs) * kNsToMs);
    rates->setYAxis(tr("events / s"), 0, std::max(extent.hi * 1.1, 5.0));

    const LatencySeries &rate = tracker.eventRate();
    if (rate.size() < 2) {
        rates->setCaption(tr("Counted per second of arrival; the current second shows once it is over."));
        return;
    }
    // The newest closed second is the last (new, repeats) pair.
    const qint64 lastNew = qint64(rate.y(rate.endSeq() - 2));
    const qint64 lastRepeats = qint64(rate.y(rate.endSeq() - 1));
    rates->setCaption(tr("last second %1 new, %2 repeats · peak %3/s in the window")
                          .arg(formatCount(lastNew), formatCount(lastRepeats), formatCount(qint64(extent.hi))));
}

void LatencyChartsView::Private::refreshSummary()
{
    const LatencyTracker::Totals &t = tracker.totals();
    summary->setText(tr("%1 events · %2 repeat deliveries · %3 round trips · %4 pings")
                         .arg(formatCount(t.lagSamples), formatCount(t.repeats), formatCount(t.roundTrips),
                              formatCount(t.pings)));
}

} // namespace rcrt::ui
