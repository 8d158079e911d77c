#include "ui/charts/chartpalette.h"

#include <algorithm>
#include <array>

namespace rcrt::ui::charts {

namespace {

struct Shades
{
    QRgb light;
    QRgb dark;
};

// Ten hues in an order that keeps neighbours distinct (after the Tableau 10 set).
constexpr std::array<Shades, 10> kCategorical{{
    {0x1f77b4, 0x5fa8e0}, {0xff7f0e, 0xffa94d}, {0x2ca02c, 0x5fd35f}, {0xd62728, 0xf26b6b},
    {0x9467bd, 0xb99ae0}, {0x8c564b, 0xc08a7e}, {0xe377c2, 0xf0a6da}, {0x7f7f7f, 0xb0b0b0},
    {0xbcbd22, 0xdede4d}, {0x17becf, 0x5fdfeb},
}};

constexpr std::array<Shades, 3> kPercentiles{{
    {0x15803d, 0x4ade80}, // p50: green
    {0xc2410c, 0xfb923c}, // p95: orange
    {0xb91c1c, 0xf87171}, // p99: red
}};

QColor pick(const Shades &s, bool dark)
{
    return QColor::fromRgb(dark ? s.dark : s.light);
}

} // namespace

QColor categoricalColor(int index, bool dark)
{
    return pick(kCategorical[size_t(index) % kCategorical.size()], dark);
}

QColor referenceLineColor(bool dark)
{
    return dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x4b, 0x55, 0x63);
}

QColor percentileColor(int which, bool dark)
{
    return pick(kPercentiles[size_t(std::clamp(which, 0, 2))], dark);
}

QColor histogramColor(bool dark)
{
    return dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x25, 0x63, 0xeb);
}

} // namespace rcrt::ui::charts
