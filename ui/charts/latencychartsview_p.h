#pragma once

// Internal to LatencyChartsView: its state, shared by the widget code and the refresh code.

#include "ui/charts/latencychartsview.h"

#include "model/latencyplotfeed.h"
#include "model/latencywindow.h"

#include <QTimer>

class QCheckBox;
class QComboBox;
class QLabel;

namespace rcrt::ui {

struct LatencyChartsView::Private
{
    explicit Private(const LatencyTracker::Options &options);

    qint64 now() const;
    qint64 windowNs() const;
    void refresh();

    // One per chart (latencychartsview_refresh.cpp).
    void refreshLag(qint64 xMinNs, qint64 xMaxNs);
    void refreshRoundTrips(qint64 xMinNs, qint64 xMaxNs);
    qint64 refreshHistogram(qint64 cutoffNs); // returns the histogram window's work
    void refreshPings(qint64 nowNs, qint64 xMinNs, qint64 xMaxNs);
    void refreshRates(qint64 xMinNs, qint64 xMaxNs);
    void refreshSummary();
    void notePoints(qsizetype n);

    LatencyTracker tracker;
    LatencyPlotFeed lagFeed;
    LatencyPlotFeed repeatFeed;
    LatencyPlotFeed tripFeed;
    LatencyPlotFeed pingFeed;
    LatencyPlotFeed rateFeed;
    LatencyWindowStats lagStats;

    TimeWindow window = TimeWindow::Last5Minutes;
    std::function<qint64()> clock;
    RefreshStats stats;
    bool dirty = true;
    qint64 lastRefreshSecond = 0;
    bool dark = false;
    bool logScale = true; // lag and round-trip axes

    QTimer timer;
    QComboBox *windowBox = nullptr;
    QCheckBox *logBox = nullptr;
    QLabel *summary = nullptr;
    charts::TimeSeriesChart *lag = nullptr;
    charts::TimeSeriesChart *trips = nullptr;
    charts::HistogramChart *histogram = nullptr;
    charts::TimeSeriesChart *pings = nullptr;
    charts::TimeSeriesChart *rates = nullptr;
};

} // namespace rcrt::ui
