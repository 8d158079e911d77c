#include "ui/charts/latencychartsview.h"

#include "ui/charts/chartadapter.h"
#include "ui/charts/latencychartsview_p.h"
#include "ui/schemacolors.h"

#include "model/streamevent.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cstdlib>

namespace rcrt::ui {

namespace {

constexpr qint64 kMinuteNs = 60'000'000'000;
constexpr qint64 kReplayDistanceNs = 10 * kMinuteNs;
constexpr qint64 kSecondNs = 1'000'000'000;
constexpr qint64 kMinSpanNs = 30 * kSecondNs;

int familyGroupOf(const LatencyTracker &tracker, quint16 schemaKey)
{
    const QList<SchemaFamily> families = allSchemaFamilies();
    return int(families.indexOf(schemaFamilyOf(tracker.schemaName(schemaKey))));
}

} // namespace

LatencyChartsView::Private::Private(const LatencyTracker::Options &options)
    : tracker(options)
    , lagFeed(tracker.deliveryLag(), int(allSchemaFamilies().size()),
              [this](quint16 key) { return familyGroupOf(tracker, key); }, kMaxPointsPerSeries)
    , repeatFeed(tracker.repeatDelay(), 1, [](quint16) { return 0; }, kMaxPointsPerSeries)
    , tripFeed(tracker.roundTrips(), kMaxToolSeries + 1,
               [](quint16 key) { return std::min<int>(key, kMaxToolSeries); }, kMaxPointsPerSeries)
    , pingFeed(tracker.pingIntervals(), 1, [](quint16) { return 0; }, kMaxPointsPerSeries)
    , rateFeed(tracker.eventRate(), 2, [](quint16 key) { return key <= 1 ? int(key) : -1; }, kMaxPointsPerSeries)
    , lagStats(tracker.deliveryLag())
{
}

qint64 LatencyChartsView::Private::now() const
{
    if (clock)
        return clock();
    const qint64 wall = nowNs();
    const qint64 latest = tracker.latestArrivalNs();
    if (latest == 0)
        return wall;
    // Live data ends near the console clock; a replay's arrivals can be days old.
    if (std::llabs(wall - latest) < kReplayDistanceNs)
        return std::max(wall, latest);
    return latest;
}

qint64 LatencyChartsView::Private::windowNs() const
{
    switch (window) {
    case TimeWindow::LastMinute: return kMinuteNs;
    case TimeWindow::Last5Minutes: return 5 * kMinuteNs;
    case TimeWindow::Last15Minutes: return 15 * kMinuteNs;
    case TimeWindow::All: break;
    }
    return 0;
}

LatencyChartsView::LatencyChartsView(QWidget *parent)
    : LatencyChartsView(LatencyTracker::Options{}, parent)
{
}

LatencyChartsView::LatencyChartsView(const LatencyTracker::Options &options, QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>(options))
{
    d->dark = isDarkPalette(palette());

    d->windowBox = new QComboBox(this);
    d->windowBox->addItem(tr("Last minute"), QVariant::fromValue(TimeWindow::LastMinute));
    d->windowBox->addItem(tr("Last 5 minutes"), QVariant::fromValue(TimeWindow::Last5Minutes));
    d->windowBox->addItem(tr("Last 15 minutes"), QVariant::fromValue(TimeWindow::Last15Minutes));
    d->windowBox->addItem(tr("Everything held"), QVariant::fromValue(TimeWindow::All));
    d->windowBox->setCurrentIndex(d->windowBox->findData(QVariant::fromValue(d->window)));
    d->windowBox->setToolTip(tr("Time window of every chart, ending now"));
    connect(d->windowBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setTimeWindow(d->windowBox->itemData(index).value<TimeWindow>()); });

    d->logBox = new QCheckBox(tr("&Log scale"), this);
    d->logBox->setChecked(d->logScale);
    d->logBox->setToolTip(tr("Logarithmic lag and round-trip axes, so outliers do not flatten the rest"));
    connect(d->logBox, &QCheckBox::toggled, this, &LatencyChartsView::setLogScale);

    auto *windowLabel = new QLabel(tr("&Window:"), this);
    windowLabel->setBuddy(d->windowBox);
    d->summary = new QLabel(this);
    d->summary->setTextFormat(Qt::PlainText);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(6, 4, 6, 0);
    header->addWidget(windowLabel);
    header->addWidget(d->windowBox);
    header->addSpacing(12);
    header->addWidget(d->logBox);
    header->addSpacing(16);
    header->addWidget(d->summary, 1);

    d->lag = new charts::TimeSeriesChart(this);
    d->lag->setTitle(tr("Delivery lag per event (first arrival − updated_at)"));
    d->trips = new charts::TimeSeriesChart(this);
    d->trips->setTitle(tr("Tool round trip (request → response, DB clock)"));
    d->histogram = new charts::HistogramChart(this);
    d->histogram->setTitle(tr("Delivery lag distribution"));
    d->histogram->setAxisTitles(tr("delivery lag (ms, log scale)"), tr("events"));
    d->pings = new charts::TimeSeriesChart(this);
    d->pings->setTitle(tr("Ping cadence (time between pings)"));
    d->rates = new charts::TimeSeriesChart(this);
    d->rates->setTitle(tr("Events per second"));

    auto *grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    grid->addWidget(d->lag, 0, 0, 1, 2);
    grid->addWidget(d->trips, 1, 0);
    grid->addWidget(d->histogram, 1, 1);
    grid->addWidget(d->pings, 2, 0);
    grid->addWidget(d->rates, 2, 1);
    grid->setRowStretch(0, 4);
    grid->setRowStretch(1, 3);
    grid->setRowStretch(2, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addLayout(grid, 1);

    d->timer.setInterval(333);
    connect(&d->timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            d->refresh();
    });
    d->refresh();
}

LatencyChartsView::~LatencyChartsView() = default;

const LatencyTracker &LatencyChartsView::tracker() const
{
    return d->tracker;
}

void LatencyChartsView::addBatch(const rcrt::EventBatch &batch)
{
    d->tracker.addBatch(batch);
    d->dirty = true;
}

void LatencyChartsView::clear()
{
    d->tracker.clear();
    for (LatencyPlotFeed *feed : {&d->lagFeed, &d->repeatFeed, &d->tripFeed, &d->pingFeed, &d->rateFeed})
        feed->regroup();
    d->lagStats.reset();
    d->dirty = true;
    d->refresh();
}

void LatencyChartsView::setTimeWindow(TimeWindow window)
{
    if (window == d->window)
        return;
    d->window = window;
    const QSignalBlocker blocker(d->windowBox);
    d->windowBox->setCurrentIndex(d->windowBox->findData(QVariant::fromValue(window)));
    d->dirty = true;
    d->refresh();
}

LatencyChartsView::TimeWindow LatencyChartsView::timeWindow() const
{
    return d->window;
}

void LatencyChartsView::setLogScale(bool on)
{
    if (on == d->logScale)
        return;
    d->logScale = on;
    const QSignalBlocker blocker(d->logBox);
    d->logBox->setChecked(on);
    d->dirty = true;
    d->refresh();
}

bool LatencyChartsView::logScale() const
{
    return d->logScale;
}

void LatencyChartsView::setClock(std::function<qint64()> nowNs)
{
    d->clock = std::move(nowNs);
    d->dirty = true;
}

void LatencyChartsView::setRefreshInterval(int ms)
{
    d->timer.setInterval(ms);
}

void LatencyChartsView::refreshNow()
{
    d->dirty = true;
    d->refresh();
}

const LatencyChartsView::RefreshStats &LatencyChartsView::lastRefreshStats() const
{
    return d->stats;
}

charts::TimeSeriesChart *LatencyChartsView::lagChart() const { return d->lag; }
charts::TimeSeriesChart *LatencyChartsView::roundTripChart() const { return d->trips; }
charts::HistogramChart *LatencyChartsView::lagHistogram() const { return d->histogram; }
charts::TimeSeriesChart *LatencyChartsView::pingChart() const { return d->pings; }
charts::TimeSeriesChart *LatencyChartsView::rateChart() const { return d->rates; }

void LatencyChartsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    d->timer.start();
    d->dirty = true;
    d->refresh();
}

void LatencyChartsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    d->timer.stop();
}

void LatencyChartsView::Private::notePoints(qsizetype n)
{
    stats.pointsPlotted += n;
    stats.largestSeries = std::max(stats.largestSeries, n);
}

void LatencyChartsView::Private::refresh()
{
    const qint64 t = now();
    // Nothing new and the window has not moved by a second: the charts are already right.
    if (!dirty && t / kSecondNs == lastRefreshSecond)
        return;
    dirty = false;
    lastRefreshSecond = t / kSecondNs;
    stats = {};

    tracker.advanceTo(t); // silent seconds count as zero events
    const qint64 w = windowNs();
    for (LatencyPlotFeed *feed : {&lagFeed, &repeatFeed, &tripFeed, &pingFeed, &rateFeed}) {
        feed->setWindow(w);
        stats.samplesRead += feed->update(t);
    }
    // One x range for every time chart, so they line up: the window, shrunk to the data
    // (at least kMinSpanNs) so that the first seconds of a connection are not a sliver.
    qint64 oldest = t - kMinSpanNs;
    for (const LatencySeries *s : {&tracker.deliveryLag(), &tracker.pingIntervals(), &tracker.eventRate()})
        if (!s->isEmpty())
            oldest = std::min(oldest, s->x(s->firstSeq()));
    const qint64 xMin = w > 0 ? std::max(t - w, oldest) : oldest;

    // A sliver of room right of "now", so the newest dots are not cut in half by the edge.
    const qint64 xMax = t + (t - xMin) / 80;
    stats.histogramWork = refreshHistogram(w > 0 ? t - w : 0); // first: the lag caption uses it
    refreshLag(xMin, xMax);
    refreshRoundTrips(xMin, xMax);
    refreshPings(t, xMin, xMax);
    refreshRates(xMin, xMax);
    refreshSummary();
}

} // namespace rcrt::ui
