#include "ui/charts/chartadapter.h"

#include "ui/charts/chartadapter_common.h"
#include "ui/charts/chartformat.h"
#include "ui/charts/timeticks.h"

#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rcrt::ui::charts {

namespace {
constexpr int kPixelsPerTimeLabel = 95;
}

struct TimeSeriesChart::Private
{
    struct Entry
    {
        QString name;
        QLineSeries *series = nullptr;
        SeriesStyle style = SeriesStyle::Line;
        QColor color;
    };
    struct Reference
    {
        QString name;
        double y = 0;
        QLineSeries *line = nullptr;
    };

    QChart *chart = nullptr;
    QChartView *view = nullptr;
    QLabel *caption = nullptr;
    // A category axis, because QDateTimeAxis spaces ticks evenly from the range's start
    // (10:02:59, 10:03:59, …); categories put them on round times.
    QCategoryAxis *x = nullptr;
    double xMin = 0;
    double xMax = 1000;
    QValueAxis *yLinear = nullptr;
    QLogValueAxis *yLog = nullptr;
    AxisScale scale = AxisScale::Linear;
    std::vector<Entry> series; // in legend order
    std::vector<Reference> references;

    QAbstractAxis *y() const { return scale == AxisScale::Log ? static_cast<QAbstractAxis *>(yLog) : yLinear; }

    Entry *entry(const QString &name)
    {
        for (Entry &e : series)
            if (e.name == name)
                return &e;
        return nullptr;
    }
    const QLineSeries *find(const QString &name) const
    {
        for (const Entry &e : series)
            if (e.name == name)
                return e.series;
        return nullptr;
    }
    void attach(QAbstractSeries *s)
    {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y());
    }
    void stretchReferences()
    {
        for (Reference &r : references)
            r.line->replace(QList<QPointF>{{xMin, r.y}, {xMax, r.y}});
    }
    void layoutTimeTicks()
    {
        for (const QString &label : x->categoriesLabels())
            x->remove(label);
        const int width = view->width() > 0 ? view->width() : 600;
        x->setStartValue(xMin);
        // Labels are centred on their tick: none so close to an end that it would be cut.
        const double margin = (xMax - xMin) * 32.0 / width;
        for (const TimeTick &tick : timeTicks(xMin, xMax, std::max(2, width / kPixelsPerTimeLabel)))
            if (tick.ms > xMin + margin && tick.ms < xMax - margin)
                x->append(tick.label, tick.ms);
        x->setRange(xMin, xMax);
    }
    void switchScale(AxisScale to)
    {
        if (to == scale)
            return;
        QAbstractAxis *from = y();
        scale = to;
        QAbstractAxis *next = y();
        chart->addAxis(next, Qt::AlignLeft);
        for (QAbstractSeries *s : chart->series()) {
            s->detachAxis(from);
            s->attachAxis(next);
        }
        chart->removeAxis(from); // kept (not deleted) for a switch back; see the destructor
    }
};

TimeSeriesChart::TimeSeriesChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->chart = detail::makeChart(palette());
    d->x = new QCategoryAxis;
    d->x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    d->yLinear = new QValueAxis;
    d->yLinear->setLabelFormat(QStringLiteral("%g"));
    d->yLinear->setTickCount(5);
    d->yLog = new QLogValueAxis;
    d->yLog->setBase(10);
    d->yLog->setLabelFormat(QStringLiteral("%g"));
    d->yLog->setMinorTickCount(-1); // 2…9 between decades
    d->yLog->setMinorGridLineVisible(false); // decades are enough behind dense dots
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(d->x), static_cast<QAbstractAxis *>(d->yLinear),
                                static_cast<QAbstractAxis *>(d->yLog)})
        detail::styleAxis(axis);
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->yLinear, Qt::AlignLeft);
    d->view = detail::makeView(d->chart, this);
    d->caption = detail::makeCaption(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(d->view, 1);
    layout->addWidget(d->caption);
    setXAxis(QString(), 0, 1000);
    setYAxis(QString(), 0, 1);
}

TimeSeriesChart::~TimeSeriesChart()
{
    // The y axis not in use is not owned by the chart.
    delete (d->scale == AxisScale::Log ? static_cast<QAbstractAxis *>(d->yLinear) : d->yLog);
}

void TimeSeriesChart::setTitle(const QString &title)
{
    d->chart->setTitle(title);
}

void TimeSeriesChart::setCaption(const QString &caption)
{
    d->caption->setText(caption);
}

QString TimeSeriesChart::caption() const
{
    return d->caption->text();
}

void TimeSeriesChart::setXAxis(const QString &title, double minMs, double maxMs)
{
    if (!(maxMs > minMs))
        maxMs = minMs + 1000;
    d->x->setTitleText(title);
    const bool moved = minMs != d->xMin || maxMs != d->xMax;
    d->xMin = minMs;
    d->xMax = maxMs;
    if (moved || d->x->count() == 0)
        d->layoutTimeTicks();
    d->stretchReferences();
}

void TimeSeriesChart::setYAxis(const QString &title, double min, double max, AxisScale scale)
{
    d->switchScale(scale);
    if (scale == AxisScale::Log) {
        min = std::max(min, 1e-9);
        max = std::max(max, min * 10);
        d->yLog->setTitleText(title);
        d->yLog->setRange(detail::decadeBelow(min), detail::decadeAbove(max));
        return;
    }
    const NiceRange nice = niceRange(min, max, 4);
    d->yLinear->setTitleText(title);
    d->yLinear->setRange(nice.min, nice.max);
    d->yLinear->setTickCount(nice.tickCount);
    d->yLinear->setLabelFormat(QStringLiteral("%.") + QString::number(nice.decimals) + QLatin1Char('f'));
}

void TimeSeriesChart::setSeries(const QString &name, const QColor &color, std::span<const QPointF> points,
                                SeriesStyle style)
{
    Private::Entry *e = d->entry(name);
    if (e && e->style != style) {
        removeSeries(name);
        e = nullptr;
    }
    if (!e) {
        auto *s = new QLineSeries;
        s->setName(name);
        d->series.push_back({name, s, style, QColor()});
        d->attach(s);
        e = &d->series.back();
    }
    if (e->color != color) {
        e->color = color;
        if (style == SeriesStyle::Points) {
            // Dots as a "light marker" image on an invisible line: Qt Charts draws them in one
            // paint pass, where a QScatterSeries makes one graphics item per point (too slow
            // for thousands of points refreshed several times a second).
            e->series->setPen(Qt::NoPen);
            e->series->setLightMarker(detail::dotImage(color, 7));
        } else {
            QPen pen(color);
            pen.setWidthF(1.6);
            e->series->setPen(pen);
        }
        for (QLegendMarker *marker : d->chart->legend()->markers(e->series)) {
            marker->setShape(style == SeriesStyle::Points ? QLegend::MarkerShapeCircle : QLegend::MarkerShapeFromSeries);
            marker->setBrush(color);
            marker->setPen(QPen(color));
        }
    }
    QList<QPointF> list;
    if (style == SeriesStyle::Steps) {
        list.reserve(qsizetype(points.size()) * 2);
        for (size_t i = 0; i < points.size(); ++i) {
            if (i > 0)
                list.append({points[i - 1].x(), points[i].y()});
            list.append(points[i]);
        }
    } else {
        list = QList<QPointF>(points.begin(), points.end());
    }
    // replace() with a whole list is the one fast path: one repaint, no per-point signals.
    e->series->replace(list);
}

void TimeSeriesChart::removeSeries(const QString &name)
{
    const auto it = std::find_if(d->series.begin(), d->series.end(), [&](const auto &e) { return e.name == name; });
    if (it == d->series.end())
        return;
    d->chart->removeSeries(it->series);
    delete it->series;
    d->series.erase(it);
}

void TimeSeriesChart::setReferenceLine(const QString &name, double y, const QColor &color)
{
    auto it = std::find_if(d->references.begin(), d->references.end(), [&](const auto &r) { return r.name == name; });
    if (it == d->references.end()) {
        auto *line = new QLineSeries;
        line->setName(name);
        d->attach(line);
        d->references.push_back({name, y, line});
        it = d->references.end() - 1;
    }
    it->y = y;
    QPen pen(color);
    pen.setWidthF(1.4);
    pen.setStyle(Qt::DashLine);
    it->line->setPen(pen);
    d->stretchReferences();
}

QStringList TimeSeriesChart::seriesNames() const
{
    QStringList names;
    for (const auto &entry : d->series)
        names.append(entry.name);
    return names;
}

qsizetype TimeSeriesChart::pointCount(const QString &name) const
{
    const QLineSeries *s = d->find(name);
    return s ? s->count() : 0;
}

QList<QPointF> TimeSeriesChart::points(const QString &name) const
{
    const QLineSeries *s = d->find(name);
    return s ? s->points() : QList<QPointF>();
}

double TimeSeriesChart::xMin() const { return d->xMin; }
double TimeSeriesChart::xMax() const { return d->xMax; }
double TimeSeriesChart::yMin() const { return d->scale == AxisScale::Log ? d->yLog->min() : d->yLinear->min(); }
double TimeSeriesChart::yMax() const { return d->scale == AxisScale::Log ? d->yLog->max() : d->yLinear->max(); }
AxisScale TimeSeriesChart::yScale() const { return d->scale; }

QStringList TimeSeriesChart::xTickLabels() const
{
    return d->x->categoriesLabels();
}

void TimeSeriesChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    d->layoutTimeTicks(); // how many labels fit depends on the width
}

} // namespace rcrt::ui::charts
