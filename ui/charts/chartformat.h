#pragma once

#include <QString>

namespace rcrt::ui::charts {

// A time unit for an axis: values in ms are divided by msPerUnit; `symbol` goes in the title.
struct DurationUnit
{
    QString symbol;    // "ms", "s", "min"
    double msPerUnit = 1;
};

// The unit that keeps an axis reaching `maxAbsMs` readable: ms below 2 s, s below 10 min,
// minutes above.
DurationUnit durationUnitFor(double maxAbsMs);

// A duration for captions and legends, with three significant digits:
// "850 µs", "12.3 ms", "1.20 s", "2.50 min"; negative values keep their sign.
QString formatDurationMs(double ms);

// A linear axis range widened to round ticks: about `intervals` steps of 1, 2, 2.5 or 5 times
// a power of ten, and the decimals its labels need (Qt's applyNiceNumbers() can pick steps
// like 3.333).
struct NiceRange
{
    double min = 0;
    double max = 1;
    int tickCount = 2;
    int decimals = 0;
};
NiceRange niceRange(double min, double max, int intervals = 4);

// An integer with group separators in the C locale style ("1,000,000"), for counts.
QString formatCount(qint64 n);

} // namespace rcrt::ui::charts
