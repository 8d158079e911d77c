#pragma once

#include "model/pendingrequests.h"

#include <QByteArray>
#include <QList>
#include <QRectF>

namespace rcrt::ui {

// One request on the timeline: from its creation to its first response's creation (server
// clock); an open request ends at "now" (its creation plus its age on the console clock).
struct TimelineBar
{
    QByteArray key;           // request breadcrumb id
    int lane = 0;             // index of its tool's lane
    int subRow = 0;           // row inside the lane, so parallel requests do not overlap
    qint64 startNs = 0;
    qint64 endNs = 0;
    qint64 timeoutAtNs = 0;   // startNs + the requester's timeout
    bool open = false;        // no response yet
    qint64 ageAnchorNs = 0;   // open bars: console-clock start of the request's age
    RequestState state = RequestState::Pending;
};

// Moves an open bar's end to `nowNs` (console clock): its creation plus its age, and makes it
// TimedOut once that passes its timeout. Closed bars are left alone. Done at paint time, so an
// open bar grows without any per-bar bookkeeping between frames.
void extendOpenBar(TimelineBar &bar, qint64 nowNs);

// Packs the bars of each lane into rows, greedily by start time: a bar goes to the first row
// whose last bar ended before it starts. Open bars never end. Beyond maxSubRows, bars share the
// last row, and that lane is marked in *overflowed (when given): its last row has overlapping
// bars. Sorts `bars` by (lane, start). Returns the number of rows of each lane (>= 1).
QList<int> packTimelineBars(QList<TimelineBar> &bars, int laneCount, int maxSubRows = 6,
                            QList<bool> *overflowed = nullptr);

// The timeline's paint maths, free of QWidget so it can be unit-tested: time ↔ x, lane
// geometry, zoom and pan with clamping, and tick positions.
struct TimelineLayout
{
    static constexpr qint64 kMinSpanNs = 10'000'000;                 // 10 ms across the plot
    static constexpr qint64 kMaxSpanNs = 7LL * 24 * 3600 * 1'000'000'000; // a week

    QRectF plot;               // where bars are drawn (widget coordinates)
    qint64 viewStartNs = 0;    // time at plot.left()
    qint64 viewEndNs = 60'000'000'000; // time at plot.right()
    double scrollY = 0;        // content pixels scrolled off the top
    double rowHeight = 18;
    double rowGap = 3;
    double lanePadding = 6;    // above and below the rows of a lane
    QList<int> laneRows;       // rows per lane, from packTimelineBars
    qint64 tickOriginNs = 0;   // ticks fall on tickOriginNs + k·step (the local UTC offset, negated)

    qint64 spanNs() const { return viewEndNs - viewStartNs; }
    double xForTime(qint64 ns) const;
    qint64 timeForX(double x) const;

    // Zooms by `factor` (> 1 zooms in) keeping the time under anchorX in place. The span is
    // clamped to [kMinSpanNs, kMaxSpanNs].
    void zoom(double factor, double anchorX);
    // Moves the view by a drag of dx, dy pixels (content follows the pointer).
    void pan(double dx, double dy);
    // Shows [startNs, endNs] with a margin of `marginFraction` of the span on each side.
    void fit(qint64 startNs, qint64 endNs, double marginFraction = 0.04);
    // Keeps the span and puts `nowNs` at `fraction` of the width (follow-now).
    void follow(qint64 nowNs, double fraction = 0.95);
    void clampScroll();

    double laneHeight(int lane) const;
    double laneTop(int lane) const;    // widget y, after scrolling
    double contentHeight() const;      // all lanes
    int laneAt(double y) const;        // -1 outside every lane
    // The bar's rectangle; at least 3 px wide so instants stay visible.
    QRectF barRect(const TimelineBar &bar) const;

    struct Tick
    {
        qint64 ns = 0;
        double x = 0;
    };
    // Tick step from a fixed ladder (1-2-5 ms…, 1/2/5/10/15/30 s, minutes, hours) so that ticks
    // are at least minSpacingPx apart.
    static qint64 tickStepNs(qint64 spanNs, double widthPx, double minSpacingPx);
    QList<Tick> ticks(double minSpacingPx = 90) const;
};

} // namespace rcrt::ui
