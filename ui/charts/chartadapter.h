#pragma once

#include "model/percentiles.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <span>

class QLabel;

namespace rcrt::ui::charts {

// The seam between the console's charts and the chart library (DESIGN.md: Qt Charts is
// deprecated from Qt 6.10 in favour of Qt Graphs). Only chartadapter*.cpp include QtCharts
// headers; views speak in names, colours and points, so swapping the library means
// rewriting these two classes and nothing else.
//
// Both widgets are a chart with a one-line caption under it. Points are plotted as given:
// downsample before calling (model/downsample.h).

enum class SeriesStyle : quint8 {
    Line,   // connected samples (rates)
    Points, // one dot per sample (per-event latencies)
    Steps,  // each y holds from the previous point's x to its own (intervals ending at x)
};

enum class AxisScale : quint8 { Linear, Log };

class TimeSeriesChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeSeriesChart)

public:
    explicit TimeSeriesChart(QWidget *parent = nullptr);
    ~TimeSeriesChart() override;

    void setTitle(const QString &title);
    void setCaption(const QString &caption);

    // x in ms since the Unix epoch, with ticks at round local clock times; y in the unit the
    // title names. A linear y range is widened to nice tick values; a log range needs min > 0
    // and is widened to whole decades.
    void setXAxis(const QString &title, double minMs, double maxMs);
    void setYAxis(const QString &title, double min, double max, AxisScale scale = AxisScale::Linear);

    // Adds the named series on first use, then replaces its points. Series keep the order of
    // their first use (legend order).
    void setSeries(const QString &name, const QColor &color, std::span<const QPointF> points,
                   SeriesStyle style = SeriesStyle::Line);
    void removeSeries(const QString &name);
    // A dashed horizontal line at y across the x range, listed in the legend as `name`.
    void setReferenceLine(const QString &name, double y, const QColor &color);

    // For tests and the view's bookkeeping.
    QStringList seriesNames() const;
    qsizetype pointCount(const QString &name) const;
    QList<QPointF> points(const QString &name) const;
    QString caption() const;
    double xMin() const;
    double xMax() const;
    double yMin() const;
    double yMax() const;
    AxisScale yScale() const;
    QStringList xTickLabels() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// A vertical labelled line on a histogram (p50, p95, p99).
struct ChartMarker
{
    double x = 0;
    QString label;  // short, drawn at the top of the line ("p95")
    QString legend; // legend entry ("p95 = 45.6 ms")
    QColor color;
};

// Bins on a logarithmic x axis (latencies spread over decades), counts on a linear y axis.
class HistogramChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistogramChart)

public:
    explicit HistogramChart(QWidget *parent = nullptr);
    ~HistogramChart() override;

    void setTitle(const QString &title);
    void setCaption(const QString &caption);
    void setAxisTitles(const QString &xTitle, const QString &yTitle);

    // Positive, contiguous bins (lower < upper); the x axis spans whole decades around them.
    void setBins(const QString &name, std::span<const HistogramBin> bins, const QColor &color);
    void setMarkers(const QList<ChartMarker> &markers);

    qsizetype binCount() const;
    QList<ChartMarker> markers() const;
    QString caption() const;
    double xMin() const;
    double xMax() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt::ui::charts
