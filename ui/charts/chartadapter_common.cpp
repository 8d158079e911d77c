#include "ui/charts/chartadapter_common.h"

#include "ui/schemacolors.h"

#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>

#include <QGraphicsLayout>
#include <QImage>

#include <cmath>
#include <QLabel>
#include <QPainter>

namespace rcrt::ui::charts::detail {

QChart *makeChart(const QPalette &palette)
{
    auto *chart = new QChart;
    const bool dark = isDarkPalette(palette);
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 2, 8, 2));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    QFont title = chart->titleFont();
    title.setBold(true);
    title.setPointSizeF(10);
    chart->setTitleFont(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont legend = chart->legend()->font();
    legend.setPointSizeF(8.5);
    chart->legend()->setFont(legend);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    // Repaints at a few hertz with thousands of points: no animations.
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

QChartView *makeView(QChart *chart, QWidget *parent)
{
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(180);
    return view;
}

QLabel *makeCaption(QWidget *parent)
{
    auto *caption = new QLabel(parent);
    caption->setWordWrap(true);
    caption->setTextFormat(Qt::PlainText);
    caption->setContentsMargins(8, 0, 8, 4);
    caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = caption->font();
    f.setPointSizeF(8.5);
    caption->setFont(f);
    caption->setForegroundRole(QPalette::PlaceholderText);
    return caption;
}

void styleAxis(QAbstractAxis *axis)
{
    QFont labels = axis->labelsFont();
    labels.setPointSizeF(8);
    axis->setLabelsFont(labels);
    QFont title = axis->titleFont();
    title.setPointSizeF(8.5);
    title.setBold(false);
    axis->setTitleFont(title);
}

double decadeBelow(double value)
{
    return std::pow(10.0, std::floor(std::log10(value) + 1e-9)) * (1 - 1e-9);
}

double decadeAbove(double value)
{
    return std::pow(10.0, std::ceil(std::log10(value) - 1e-9)) * (1 + 1e-9);
}

QColor faintGridColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(255, 255, 255, 28) : QColor(0, 0, 0, 22);
}

QImage dotImage(const QColor &color, int diameter)
{
    QImage image(diameter, diameter, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(0.5, 0.5, diameter - 1.0, diameter - 1.0));
    return image;
}

void hideFromLegend(QChart *chart, QAbstractSeries *series)
{
    for (QLegendMarker *marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

} // namespace rcrt::ui::charts::detail
