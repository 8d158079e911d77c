#pragma once

#include "model/pendingrequests.h"

#include <QColor>
#include <QIcon>
#include <QString>

class QPalette;

namespace rcrt::ui {

// Colours and text shared by the flows tree, the timeline and the pending table, so a state
// looks the same in all three.

// Pending blue, answered green, error red, timed out purple, answered late orange; lighter
// shades on a dark palette.
QColor requestStateColor(RequestState state, bool darkPalette);
QColor requestStateColor(RequestState state); // for the application's palette

// A small filled dot in the state's colour, for the State columns (cached per state and palette).
QIcon requestStateIcon(RequestState state);

// A timeline lane colour: lanes take the palette's colours in order, so neighbouring lanes
// differ (a hash could give two tools one colour).
QColor laneColor(int laneIndex, bool darkPalette);

// "850 ms", "12.3 s", "4 min 05 s", "2 h 07 min".
QString formatDurationMs(qint64 ms);
// A countdown: "47 s", "0.4 s", "overdue 12 s".
QString formatCountdownMs(qint64 ms);
// "1 request" / "3 requests": `one` and `many` hold %1 (plural forms without a translation file,
// where Qt's %n would print "request(s)").
QString plural(qint64 n, const QString &one, const QString &many);
// Local wall-clock time of an epoch-ns instant, HH:mm:ss.zzz (as in the events table).
QString formatClockNs(qint64 ns);

} // namespace rcrt::ui
