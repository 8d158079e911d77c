#pragma once

#include "model/eventrecord.h"
#include "model/latencytracker.h"

#include <QWidget>

#include <functional>
#include <memory>

namespace rcrt::ui {

namespace charts {
class HistogramChart;
class TimeSeriesChart;
} // namespace charts

// Latency timelines (issue 3 item 6): five charts over a LatencyTracker fed with the
// EventStore's batches —
//   delivery lag per event over time, one series per schema family (plus repeat deliveries);
//   tool request→response round trips, one series per tool;
//   the delivery-lag histogram with p50/p95/p99 markers;
//   ping cadence (interval between pings) against the expected 5 s;
//   events per second.
// addBatch() only feeds the tracker (cheap, per batch). The charts refresh on a timer (3 Hz)
// while the widget is visible, from downsampled data (at most kMaxPointsPerSeries points per
// series), and each refresh reads only the samples that arrived since the previous one, so
// the view stays smooth with a million events held.
class LatencyChartsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyChartsView)

public:
    enum class TimeWindow : quint8 { LastMinute, Last5Minutes, Last15Minutes, All };
    Q_ENUM(TimeWindow)

    // What the last refresh cost, so tests can count work instead of timing it.
    struct RefreshStats
    {
        qint64 samplesRead = 0;      // series samples read (new ones, plus rebuilds)
        qint64 histogramWork = 0;    // samples added to / removed from the histogram window
        qint64 pointsPlotted = 0;    // points handed to the charts
        qsizetype largestSeries = 0; // most points in one chart series
    };

    static constexpr qsizetype kMaxPointsPerSeries = 2000;
    static constexpr int kMaxToolSeries = 8; // more tools share an "other tools" series

    explicit LatencyChartsView(QWidget *parent = nullptr);
    explicit LatencyChartsView(const LatencyTracker::Options &options, QWidget *parent = nullptr);
    ~LatencyChartsView() override;

    const LatencyTracker &tracker() const;

    void setTimeWindow(TimeWindow window);
    TimeWindow timeWindow() const;

    // A logarithmic y axis for the lag and round-trip charts (the default): a 60 s outlier
    // then leaves the milliseconds readable. Values at or below zero are not drawn on it.
    void setLogScale(bool on);
    bool logScale() const;

    // Where the time windows end. By default the console clock, or the newest arrival when
    // the data is more than 10 minutes away from it (a replay of an old session).
    void setClock(std::function<qint64()> nowNs);
    void setRefreshInterval(int ms);

    // Refreshes the charts now, visible or not (tests, screenshots).
    void refreshNow();
    const RefreshStats &lastRefreshStats() const;

    charts::TimeSeriesChart *lagChart() const;
    charts::TimeSeriesChart *roundTripChart() const;
    charts::HistogramChart *lagHistogram() const;
    charts::TimeSeriesChart *pingChart() const;
    charts::TimeSeriesChart *rateChart() const;

public slots:
    void addBatch(const rcrt::EventBatch &batch);
    void clear();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt::ui
