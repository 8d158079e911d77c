#include "ui/charts/timeticks.h"

#include <QDateTime>

#include <cmath>

namespace rcrt::ui::charts {

QList<TimeTick> timeTicks(double minMs, double maxMs, int maxTicks)
{
    static constexpr double kSteps[] = {1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5,
                                        36e5, 72e5, 108e5, 216e5, 432e5, 864e5};
    QList<TimeTick> ticks;
    if (!(maxMs > minMs) || maxTicks < 1)
        return ticks;
    double step = kSteps[std::size(kSteps) - 1];
    for (double s : kSteps) {
        if ((maxMs - minMs) / s <= maxTicks) {
            step = s;
            break;
        }
    }
    // Round in local time, so an hour step lands on local hours in a +05:30 zone too.
    const double offset = QDateTime::fromMSecsSinceEpoch(qint64(minMs)).offsetFromUtc() * 1000.0;
    const QString format = maxMs - minMs > 864e5 ? QStringLiteral("dd MMM HH:mm")
        : step < 6e4                            ? QStringLiteral("HH:mm:ss")
                                                : QStringLiteral("HH:mm");
    for (double t = std::ceil((minMs + offset) / step) * step - offset; t <= maxMs; t += step)
        ticks.append({t, QDateTime::fromMSecsSinceEpoch(qint64(t)).toString(format)});
    return ticks;
}

} // namespace rcrt::ui::charts
