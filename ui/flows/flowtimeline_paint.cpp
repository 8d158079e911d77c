// FlowTimeline: painting. Geometry comes from TimelineLayout; this file only chooses pens,
// brushes and text.
#include "ui/flows/flowtimeline.h"

#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"
#include "ui/schemacolors.h"

#include <QDateTime>
#include <QLocale>
#include <QPainter>

namespace rcrt::ui {

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSecond = 1000 * kMs;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kDay = 24 * 60 * kMinute;
constexpr double kBarRadius = 3;
constexpr double kMinLabelWidthPx = 36;

QString tickLabel(qint64 ns, qint64 step)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / kMs);
    if (step >= kDay)
        return t.toString(QStringLiteral("MMM d"));
    if (step >= kMinute)
        return t.toString(QStringLiteral("HH:mm"));
    if (step >= kSecond)
        return t.toString(QStringLiteral("HH:mm:ss"));
    return t.toString(QStringLiteral("HH:mm:ss.zzz"));
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

void FlowTimeline::paintEvent(QPaintEvent *)
{
    prepare();
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());

    paintLanes(p);
    paintAxis(p);
    if (m_packed.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(m_layout.plot, Qt::AlignCenter, tr("No tool requests yet"));
        return;
    }
    p.save();
    p.setClipRect(m_layout.plot.adjusted(0, 0, 0, 0));
    paintBars(p);
    paintNow(p);
    p.restore();
}

void FlowTimeline::paintLanes(QPainter &p) const
{
    const QPalette &pal = palette();
    const bool dark = isDarkPalette(pal);
    const QRectF plot = m_layout.plot;
    QFont bold = font();
    bold.setBold(true);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, font().pointSizeF() * 0.85));

    QHash<int, int> counts;
    for (const TimelineBar &bar : std::as_const(m_packed))
        ++counts[bar.lane];

    p.save();
    p.setClipRect(QRectF(0, plot.top(), width(), plot.height()));
    for (int lane = 0; lane < m_lanes.size(); ++lane) {
        const double top = m_layout.laneTop(lane);
        const double h = m_layout.laneHeight(lane);
        if (top > plot.bottom() || top + h < plot.top())
            continue;
        const QRectF band(0, top, width(), h);
        if (lane % 2 == 1)
            p.fillRect(band, pal.alternateBase());
        // Colour swatch and label in the gutter.
        const QColor color = laneColor(lane, dark);
        p.fillRect(QRectF(6, top + 5, 4, h - 10), color);
        // Name left, request count right, on the first row's line.
        const QRectF labelRect(16, top + m_layout.lanePadding, plot.left() - 24, m_layout.rowHeight);
        p.setFont(small);
        const QString count = QLocale().toString(counts.value(lane));
        const double countWidth = p.fontMetrics().horizontalAdvance(count);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(labelRect, Qt::AlignRight | Qt::AlignVCenter, count);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        const QString name = p.fontMetrics().elidedText(m_lanes[lane], Qt::ElideRight,
                                                        int(labelRect.width() - countWidth - 8));
        p.drawText(labelRect, Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.12), 1));
        p.drawLine(QPointF(0, top + h - 0.5), QPointF(width(), top + h - 0.5));
    }
    p.restore();
    p.setFont(font());
    p.setPen(QPen(mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.25), 1));
    p.drawLine(QPointF(plot.left() - 0.5, plot.top()), QPointF(plot.left() - 0.5, plot.bottom()));
}

void FlowTimeline::paintAxis(QPainter &p) const
{
    const QPalette &pal = palette();
    const QRectF plot = m_layout.plot;
    const QRectF axis(plot.left(), 0, plot.width(), plot.top());
    p.fillRect(QRectF(0, 0, width(), plot.top()), pal.window());
    const QColor grid = mix(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.10);
    const QColor tickColor = mix(pal.color(QPalette::Window), pal.color(QPalette::WindowText), 0.55);
    const qint64 step = TimelineLayout::tickStepNs(m_layout.spanNs(), plot.width(), 90);
    const QList<TimelineLayout::Tick> ticks = m_layout.ticks(90);
    for (const TimelineLayout::Tick &tick : ticks) {
        const double x = std::round(tick.x) + 0.5;
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(QPen(tickColor, 1));
        p.drawLine(QPointF(x, axis.bottom() - 5), QPointF(x, axis.bottom()));
        const QRectF label(x - 60, 2, 120, axis.height() - 8);
        if (label.left() >= axis.left() - 60 && label.right() <= axis.right() + 60)
            p.drawText(label, Qt::AlignHCenter | Qt::AlignVCenter, tickLabel(tick.ns, step));
    }
    p.setPen(QPen(tickColor, 1));
    p.drawLine(QPointF(0, plot.top() - 0.5), QPointF(width(), plot.top() - 0.5));
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRectF(8, 0, plot.left() - 16, plot.top()), Qt::AlignLeft | Qt::AlignVCenter,
               m_follow ? tr("Tool · following now") : tr("Tool"));
}

void FlowTimeline::paintBars(QPainter &p) const
{
    const QPalette &pal = palette();
    const bool dark = isDarkPalette(pal);
    const QRectF plot = m_layout.plot;
    const QColor errorColor = requestStateColor(RequestState::Error, dark);
    const QColor timedOutColor = requestStateColor(RequestState::TimedOut, dark);
    const QBrush hatch(errorColor, Qt::BDiagPattern);
    const QColor overdueFill = mix(pal.color(QPalette::Base), errorColor, 0.18);
    const QFontMetricsF metrics(p.font());

    // Bars come sorted by lane, then start. Under load thousands share a few pixels of a row;
    // a bar that lies inside the last one drawn in its row, in the same style, would not change
    // a pixel, so it is skipped. This keeps a frame's cost near the number of visible pixels.
    struct Drawn
    {
        double left = 0;
        double right = -1;
        int style = -1;
        double labelRight = -1e9; // labels in one row never overlap
    };
    std::vector<Drawn> drawn(size_t(std::max<qsizetype>(1, m_lanes.size())) * 64);
    const TimelineBar *selected = nullptr;

    for (const TimelineBar &bar : std::as_const(m_packed)) {
        const QRectF r = m_layout.barRect(bar);
        if (r.right() < plot.left() || r.left() > plot.right() || r.bottom() < plot.top() || r.top() > plot.bottom())
            continue;
        if (bar.key == m_selected)
            selected = &bar;
        const bool overdue = bar.endNs > bar.timeoutAtNs;
        const int style = int(bar.state) * 4 + (bar.open ? 2 : 0) + (overdue ? 1 : 0);
        Drawn &last = drawn[size_t(bar.lane) * 64 + size_t(std::clamp(bar.subRow, 0, 63))];
        if (style == last.style && r.left() >= last.left && r.right() <= last.right + 0.5)
            continue;
        last.left = r.left();
        last.right = r.right();
        last.style = style;

        const QColor lane = laneColor(bar.lane, dark);
        const bool isError = bar.state == RequestState::Error;
        const QColor fill = isError ? errorColor : bar.open ? mix(pal.color(QPalette::Base), lane, 0.45) : lane;
        const bool tiny = r.width() < 2 * kBarRadius + 2;
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        if (tiny)
            p.drawRect(r);
        else
            p.drawRoundedRect(r, kBarRadius, kBarRadius);

        // Whatever lies past the requester's timeout: hatched red.
        if (overdue) {
            const double x = std::max(r.left(), m_layout.xForTime(bar.timeoutAtNs));
            const QRectF over(x, r.top(), r.right() - x, r.height());
            p.fillRect(over, overdueFill);
            p.fillRect(over, hatch);
            p.setPen(QPen(errorColor, 1.5));
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()));
        }
        if (!tiny) {
            QPen outline(bar.state == RequestState::TimedOut ? timedOutColor : bar.open ? lane : fill.darker(125), 1);
            if (bar.open)
                outline.setStyle(Qt::DashLine);
            p.setPen(outline);
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r, kBarRadius, kBarRadius);
        }

        // A label inside when there is room: the round trip, then the step or request id.
        if (m_laneOverflowed.value(bar.lane) && bar.subRow == m_layout.laneRows.value(bar.lane) - 1)
            continue;
        QRectF visible = r.intersected(plot).adjusted(5, 0, -4, 0);
        visible.setLeft(std::max(visible.left(), last.labelRight + 6));
        if (visible.width() < kMinLabelWidthPx || !m_tracker)
            continue;
        const FlowRequest *req = m_tracker->request(bar.key);
        if (!req)
            continue;
        const QString duration = formatDurationMs((bar.endNs - bar.startNs) / kMs);
        const QString name = req->stepId.isEmpty() ? QString::fromUtf8(req->correlationId) : QString::fromUtf8(req->stepId);
        // The whole label, else the duration alone, else nothing: no half-words in small bars.
        QString label = QStringLiteral("%1 · %2").arg(duration, name);
        if (metrics.horizontalAdvance(label) > visible.width())
            label = p.fontMetrics().elidedText(label, Qt::ElideRight, int(visible.width()));
        if (label.size() < duration.size() + 6)
            label = metrics.horizontalAdvance(duration) <= visible.width() ? duration : QString();
        if (label.isEmpty())
            continue;
        p.setPen(bar.open && !isError ? pal.color(QPalette::Text) : readableForeground(fill));
        p.drawText(visible, Qt::AlignLeft | Qt::AlignVCenter, label);
        last.labelRight = visible.left() + metrics.horizontalAdvance(label);
    }

    if (selected) {
        const QRectF r = m_layout.barRect(*selected);
        p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(r.adjusted(-2, -2, 2, 2), kBarRadius + 1, kBarRadius + 1);
    }
}

void FlowTimeline::paintNow(QPainter &p) const
{
    if (!m_tracker)
        return;
    const double x = m_layout.xForTime(m_tracker->now());
    const QRectF plot = m_layout.plot;
    if (x < plot.left() || x > plot.right())
        return;
    const QColor color = palette().color(QPalette::Highlight);
    p.setPen(QPen(color, 1.5, Qt::DashLine));
    p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
}

} // namespace rcrt::ui
