#include "ui/charts/chartadapter.h"

#include "ui/charts/chartadapter_common.h"
#include "ui/charts/chartformat.h"

#include <QtCharts/QAreaSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace rcrt::ui::charts {

struct HistogramChart::Private
{
    QChart *chart = nullptr;
    QLabel *caption = nullptr;
    QLogValueAxis *x = nullptr;
    QValueAxis *y = nullptr;
    QLineSeries *outline = nullptr;
    QAreaSeries *area = nullptr;
    QList<ChartMarker> markers;
    QList<QLineSeries *> lines;      // one per marker
    QList<QScatterSeries *> labels;  // one per marker
    qsizetype bins = 0;
    double maxCount = 0;

    void attach(QAbstractSeries *s)
    {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    }
    void layoutMarkers();
};

HistogramChart::HistogramChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->chart = detail::makeChart(palette());
    d->x = new QLogValueAxis;
    d->x->setBase(10);
    d->x->setLabelFormat(QStringLiteral("%g"));
    d->x->setMinorTickCount(-1); // 2…9 between decades
    QPen minor = d->x->minorGridLinePen();
    minor.setColor(detail::faintGridColor(palette()));
    d->x->setMinorGridLinePen(minor);
    d->y = new QValueAxis;
    d->y->setLabelFormat(QStringLiteral("%.0f"));
    d->y->setTickCount(5);
    detail::styleAxis(d->x);
    detail::styleAxis(d->y);
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    d->outline = new QLineSeries;
    d->area = new QAreaSeries(d->outline);
    d->outline->setParent(d->area); // an area series does not own its line (Qt Charts docs)
    d->attach(d->area);
    auto *view = detail::makeView(d->chart, this);
    d->caption = detail::makeCaption(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(view, 1);
    layout->addWidget(d->caption);
    d->x->setRange(1, 1000);
    d->y->setRange(0, 1);
}

HistogramChart::~HistogramChart() = default;

void HistogramChart::setTitle(const QString &title)
{
    d->chart->setTitle(title);
}

void HistogramChart::setCaption(const QString &caption)
{
    d->caption->setText(caption);
}

QString HistogramChart::caption() const
{
    return d->caption->text();
}

void HistogramChart::setAxisTitles(const QString &xTitle, const QString &yTitle)
{
    d->x->setTitleText(xTitle);
    d->y->setTitleText(yTitle);
}

void HistogramChart::setBins(const QString &name, std::span<const HistogramBin> bins, const QColor &color)
{
    d->area->setName(name);
    QColor fill = color;
    fill.setAlphaF(0.45f);
    d->area->setBrush(fill);
    QPen pen(color);
    pen.setWidthF(1.2);
    d->area->setPen(pen);

    // A step outline: up at each bin's lower edge, across, down at the last upper edge.
    QList<QPointF> outline;
    outline.reserve(qsizetype(bins.size()) * 2 + 2);
    double maxCount = 0;
    for (const HistogramBin &b : bins) {
        if (outline.isEmpty())
            outline.append({b.lower, 0});
        outline.append({b.lower, double(b.count)});
        outline.append({b.upper, double(b.count)});
        maxCount = std::max(maxCount, double(b.count));
    }
    if (!bins.empty())
        outline.append({bins.back().upper, 0});
    d->outline->replace(outline);
    d->bins = qsizetype(bins.size());
    d->maxCount = maxCount;

    // Whole decades around the data (at least two, or a narrow peak fills the chart), so
    // the log axis labels read 1, 10, 100, ….
    int lowDecade = 0;
    int highDecade = 3;
    if (!bins.empty()) {
        lowDecade = int(std::floor(std::log10(bins.front().lower) + 1e-9));
        highDecade = std::max(int(std::ceil(std::log10(bins.back().upper) - 1e-9)), lowDecade + 2);
    }
    d->x->setRange(detail::decadeBelow(std::pow(10.0, lowDecade)), detail::decadeAbove(std::pow(10.0, highDecade)));
    // Headroom above the tallest bin for the marker labels.
    const NiceRange nice = niceRange(0, std::max(1.0, maxCount * 1.25), 4);
    d->y->setRange(nice.min, nice.max);
    d->y->setTickCount(nice.tickCount);
    d->y->setLabelFormat(QStringLiteral("%.") + QString::number(nice.decimals) + QLatin1Char('f'));
    d->layoutMarkers();
}

void HistogramChart::setMarkers(const QList<ChartMarker> &markers)
{
    d->markers = markers;
    d->layoutMarkers();
}

void HistogramChart::Private::layoutMarkers()
{
    // The series are reused across refreshes (only points, names and pens change): creating
    // and attaching chart series a few times a second is what would cost.
    while (lines.size() > markers.size()) {
        for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(lines.takeLast()),
                                   static_cast<QAbstractSeries *>(labels.takeLast())}) {
            chart->removeSeries(s);
            delete s;
        }
    }
    while (lines.size() < markers.size()) {
        auto *line = new QLineSeries;
        attach(line);
        lines.append(line);
        auto *label = new QScatterSeries;
        label->setMarkerSize(1);
        label->setColor(Qt::transparent);
        label->setBorderColor(Qt::transparent);
        QFont f = label->pointLabelsFont();
        f.setBold(true);
        f.setPointSizeF(8.5);
        label->setPointLabelsFont(f);
        label->setPointLabelsVisible(true);
        label->setPointLabelsClipping(false);
        attach(label);
        detail::hideFromLegend(chart, label);
        labels.append(label);
    }
    const double top = y->max();
    for (qsizetype i = 0; i < markers.size(); ++i) {
        const ChartMarker &m = markers[i];
        const bool onAxis = m.x > 0; // a log axis has no place for 0 or less
        QLineSeries *line = lines[i];
        line->setName(m.legend);
        QPen pen(m.color);
        pen.setWidthF(1.6);
        pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->setVisible(onAxis);
        line->replace(QList<QPointF>{{onAxis ? m.x : 1, 0}, {onAxis ? m.x : 1, top * 0.97}});
        // The short label rides on an invisible point, staggered so close markers stay legible.
        QScatterSeries *label = labels[i];
        label->setPointLabelsFormat(m.label);
        label->setPointLabelsColor(m.color);
        label->setVisible(onAxis);
        label->replace(QList<QPointF>{{onAxis ? m.x : 1, top * (0.90 - 0.09 * double(i % 3))}});
    }
}

qsizetype HistogramChart::binCount() const
{
    return d->bins;
}

QList<ChartMarker> HistogramChart::markers() const
{
    return d->markers;
}

double HistogramChart::xMin() const
{
    return d->x->min();
}

double HistogramChart::xMax() const
{
    return d->x->max();
}

} // namespace rcrt::ui::charts
