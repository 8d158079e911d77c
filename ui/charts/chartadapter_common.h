#pragma once

// Internal to the chart adapter (chartadapter*.cpp): the look every chart shares. Like the
// rest of the adapter it is the only place QtCharts is named.

#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

class QColor;
class QImage;
class QLabel;
class QPalette;
class QWidget;

namespace rcrt::ui::charts::detail {

QChart *makeChart(const QPalette &palette);
QChartView *makeView(QChart *chart, QWidget *parent);
QLabel *makeCaption(QWidget *parent);
void styleAxis(QAbstractAxis *axis);
// The power of ten at or below / above a positive value, nudged outwards by a hair so that
// QLogValueAxis, which labels the decades inside its range, labels the range's ends too
// (10^-1 computed in floating point is a little above 0.1).
double decadeBelow(double value);
double decadeAbove(double value);
// Minor grid lines light enough not to compete with the data.
QColor faintGridColor(const QPalette &palette);
// A filled, antialiased dot of `diameter` pixels, for point markers.
QImage dotImage(const QColor &color, int diameter);
// Hides the legend entry of a helper series (labels, invisible anchors).
void hideFromLegend(QChart *chart, QAbstractSeries *series);

} // namespace rcrt::ui::charts::detail
