#pragma once

#include <QList>
#include <QString>

namespace rcrt::ui::charts {

// A labelled tick on a time axis.
struct TimeTick
{
    double ms = 0;  // since the Unix epoch
    QString label;  // local clock time
};

// Ticks at round local times (…, 10:00:00, 10:00:30, … or 10:00, 10:05, …) inside
// [minMs, maxMs], at most maxTicks of them: the smallest step from 1 s, 2 s, 5 s, 10 s, 15 s,
// 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1 day that fits. Labels show seconds only
// when the step is under a minute, and the date when the range is longer than a day.
QList<TimeTick> timeTicks(double minMs, double maxMs, int maxTicks);

} // namespace rcrt::ui::charts
