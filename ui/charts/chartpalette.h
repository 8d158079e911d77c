#pragma once

#include <QColor>

namespace rcrt::ui::charts {

// Colours the charts use beyond the schema families (ui/schemacolors.h): a categorical
// palette for per-tool series, and fixed colours for reference lines and percentile markers
// so p50/p95/p99 read the same in every chart. `dark` picks shades for a dark base.
QColor categoricalColor(int index, bool dark);
QColor referenceLineColor(bool dark);
QColor percentileColor(int which, bool dark); // 0: p50, 1: p95, 2: p99
QColor histogramColor(bool dark);

} // namespace rcrt::ui::charts
