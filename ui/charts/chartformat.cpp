#include "ui/charts/chartformat.h"

#include <QLocale>

#include <algorithm>
#include <cmath>

namespace rcrt::ui::charts {

DurationUnit durationUnitFor(double maxAbsMs)
{
    if (maxAbsMs < 2'000)
        return {QStringLiteral("ms"), 1};
    if (maxAbsMs < 600'000)
        return {QStringLiteral("s"), 1'000};
    return {QStringLiteral("min"), 60'000};
}

QString formatDurationMs(double ms)
{
    const double a = std::fabs(ms);
    auto three = [](double v) {
        // Three significant digits without switching to exponent notation.
        const int decimals = v >= 100 ? 0 : v >= 10 ? 1 : 2;
        return QString::number(v, 'f', decimals);
    };
    const QString sign = ms < 0 ? QStringLiteral("−") : QString();
    if (a == 0)
        return QStringLiteral("0 ms");
    if (a < 1)
        return sign + three(a * 1000) + QStringLiteral(" µs");
    if (a < 1'000)
        return sign + three(a) + QStringLiteral(" ms");
    if (a < 60'000)
        return sign + three(a / 1'000) + QStringLiteral(" s");
    return sign + three(a / 60'000) + QStringLiteral(" min");
}

NiceRange niceRange(double min, double max, int intervals)
{
    if (!(max > min))
        max = min + 1;
    intervals = std::max(intervals, 1);
    const double raw = (max - min) / intervals;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    double mantissa = 10;
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
        if (m * magnitude >= raw * (1 - 1e-9)) {
            step = m * magnitude;
            mantissa = m;
            break;
        }
    }
    NiceRange r;
    r.min = std::floor(min / step + 1e-9) * step;
    r.max = std::ceil(max / step - 1e-9) * step;
    r.tickCount = int(std::lround((r.max - r.min) / step)) + 1;
    const int stepDecimals = int(-std::floor(std::log10(step) + 1e-9)) + (mantissa == 2.5 ? 1 : 0);
    r.decimals = std::max(0, stepDecimals);
    return r;
}

QString formatCount(qint64 n)
{
    return QLocale::c().toString(n);
}

} // namespace rcrt::ui::charts
