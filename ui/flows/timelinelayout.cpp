#include "ui/flows/timelinelayout.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace rcrt::ui {

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSecond = 1000 * kMs;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr double kMinBarWidthPx = 3;
constexpr int kMaxTicks = 1000;

constexpr std::array<qint64, 30> kTickLadder{
    1 * kMs, 2 * kMs, 5 * kMs, 10 * kMs, 20 * kMs, 50 * kMs, 100 * kMs, 200 * kMs, 500 * kMs,
    1 * kSecond, 2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond, 30 * kSecond,
    1 * kMinute, 2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
    1 * kHour, 2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour, 24 * kHour, 48 * kHour, 96 * kHour, 168 * kHour,
};

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

} // namespace

void extendOpenBar(TimelineBar &bar, qint64 nowNs)
{
    if (!bar.open)
        return;
    bar.endNs = bar.startNs + std::max<qint64>(0, nowNs - bar.ageAnchorNs);
    bar.state = bar.endNs - bar.startNs > bar.timeoutAtNs - bar.startNs ? RequestState::TimedOut : RequestState::Pending;
}

QList<int> packTimelineBars(QList<TimelineBar> &bars, int laneCount, int maxSubRows, QList<bool> *overflowed)
{
    std::sort(bars.begin(), bars.end(), [](const TimelineBar &a, const TimelineBar &b) {
        if (a.lane != b.lane)
            return a.lane < b.lane;
        if (a.startNs != b.startNs)
            return a.startNs < b.startNs;
        return a.key < b.key;
    });
    maxSubRows = std::max(1, maxSubRows);
    QList<int> rows(std::max(0, laneCount), 1);
    if (overflowed)
        *overflowed = QList<bool>(std::max(0, laneCount), false);
    std::vector<qint64> rowEnds;
    int lane = -1;
    for (TimelineBar &bar : bars) {
        if (bar.lane != lane) {
            lane = bar.lane;
            rowEnds.clear();
        }
        const qint64 end = bar.open ? std::numeric_limits<qint64>::max() : std::max(bar.endNs, bar.startNs);
        int row = -1;
        for (size_t r = 0; r < rowEnds.size(); ++r) {
            if (rowEnds[r] <= bar.startNs) {
                row = int(r);
                break;
            }
        }
        if (row < 0) {
            if (int(rowEnds.size()) < maxSubRows) {
                rowEnds.push_back(end);
                row = int(rowEnds.size()) - 1;
            } else {
                row = maxSubRows - 1;
                if (overflowed && bar.lane >= 0 && bar.lane < overflowed->size())
                    (*overflowed)[bar.lane] = true;
            }
        }
        rowEnds[size_t(row)] = std::max(rowEnds[size_t(row)], end);
        bar.subRow = row;
        if (bar.lane >= 0 && bar.lane < rows.size())
            rows[bar.lane] = std::max(rows[bar.lane], int(rowEnds.size()));
    }
    return rows;
}

double TimelineLayout::xForTime(qint64 ns) const
{
    const double span = double(std::max<qint64>(1, spanNs()));
    return plot.left() + double(ns - viewStartNs) / span * plot.width();
}

qint64 TimelineLayout::timeForX(double x) const
{
    const double width = std::max(1.0, plot.width());
    return viewStartNs + qint64(std::llround((x - plot.left()) / width * double(spanNs())));
}

void TimelineLayout::zoom(double factor, double anchorX)
{
    if (!(factor > 0))
        return;
    const qint64 anchor = timeForX(anchorX);
    const double fraction = plot.width() > 0 ? (anchorX - plot.left()) / plot.width() : 0.5;
    const double wanted = double(spanNs()) / factor;
    const qint64 span = qint64(std::clamp(wanted, double(kMinSpanNs), double(kMaxSpanNs)));
    viewStartNs = anchor - qint64(std::llround(fraction * double(span)));
    viewEndNs = viewStartNs + span;
}

void TimelineLayout::pan(double dx, double dy)
{
    const double width = std::max(1.0, plot.width());
    const qint64 shift = qint64(std::llround(-dx / width * double(spanNs())));
    viewStartNs += shift;
    viewEndNs += shift;
    scrollY -= dy;
    clampScroll();
}

void TimelineLayout::fit(qint64 startNs, qint64 endNs, double marginFraction)
{
    const qint64 content = std::clamp<qint64>(endNs - startNs, kMinSpanNs, kMaxSpanNs);
    const qint64 margin = qint64(double(content) * std::max(0.0, marginFraction));
    const qint64 span = std::min(kMaxSpanNs, content + 2 * margin);
    const qint64 middle = startNs + (std::max(endNs, startNs) - startNs) / 2;
    viewStartNs = middle - span / 2;
    viewEndNs = viewStartNs + span;
}

void TimelineLayout::follow(qint64 nowNs, double fraction)
{
    const qint64 span = spanNs();
    viewEndNs = nowNs + qint64(std::llround(double(span) * (1.0 - std::clamp(fraction, 0.0, 1.0))));
    viewStartNs = viewEndNs - span;
}

void TimelineLayout::clampScroll()
{
    const double maxScroll = std::max(0.0, contentHeight() - plot.height());
    scrollY = std::clamp(scrollY, 0.0, maxScroll);
}

double TimelineLayout::laneHeight(int lane) const
{
    const int rows = lane >= 0 && lane < laneRows.size() ? std::max(1, laneRows[lane]) : 1;
    return 2 * lanePadding + rows * rowHeight + (rows - 1) * rowGap;
}

double TimelineLayout::laneTop(int lane) const
{
    double y = plot.top() - scrollY;
    for (int i = 0; i < lane && i < laneRows.size(); ++i)
        y += laneHeight(i);
    return y;
}

double TimelineLayout::contentHeight() const
{
    double h = 0;
    for (int i = 0; i < laneRows.size(); ++i)
        h += laneHeight(i);
    return h;
}

int TimelineLayout::laneAt(double y) const
{
    double top = plot.top() - scrollY;
    for (int i = 0; i < laneRows.size(); ++i) {
        const double h = laneHeight(i);
        if (y >= top && y < top + h)
            return i;
        top += h;
    }
    return -1;
}

QRectF TimelineLayout::barRect(const TimelineBar &bar) const
{
    const int rows = bar.lane >= 0 && bar.lane < laneRows.size() ? std::max(1, laneRows[bar.lane]) : 1;
    const int row = std::clamp(bar.subRow, 0, rows - 1);
    const double left = xForTime(bar.startNs);
    const double right = std::max(xForTime(bar.endNs), left + kMinBarWidthPx);
    const double top = laneTop(bar.lane) + lanePadding + row * (rowHeight + rowGap);
    return QRectF(left, top, right - left, rowHeight);
}

qint64 TimelineLayout::tickStepNs(qint64 spanNs, double widthPx, double minSpacingPx)
{
    if (spanNs <= 0 || widthPx <= 0)
        return kTickLadder.back();
    for (qint64 step : kTickLadder)
        if (double(step) / double(spanNs) * widthPx >= minSpacingPx)
            return step;
    return kTickLadder.back();
}

QList<TimelineLayout::Tick> TimelineLayout::ticks(double minSpacingPx) const
{
    QList<Tick> out;
    const qint64 step = tickStepNs(spanNs(), plot.width(), minSpacingPx);
    qint64 t = (floorDiv(viewStartNs - tickOriginNs, step) + 1) * step + tickOriginNs;
    if (t - step >= viewStartNs)
        t -= step;
    for (; t <= viewEndNs && out.size() < kMaxTicks; t += step)
        out.append({t, xForTime(t)});
    return out;
}

} // namespace rcrt::ui
