#include "ui/flows/flowstyle.h"

#include "ui/schemacolors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

#include <array>
#include <cstdlib>

namespace rcrt::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("rcrt::ui::FlowStyle", text);
}

struct Shades
{
    QRgb light;
    QRgb dark;
};

// Indexed by RequestState.
constexpr std::array<Shades, 5> kStateShades{{
    {0x2563eb, 0x60a5fa}, // pending: blue
    {0x15803d, 0x4ade80}, // answered: green
    {0xdc2626, 0xf87171}, // error: red
    {0x9333ea, 0xc084fc}, // timed out: purple
    {0xea580c, 0xfb923c}, // answered late: orange
}};

// Distinct, moderately saturated hues for lanes (Tableau 10), lighter on a dark palette.
constexpr std::array<Shades, 10> kLaneShades{{
    {0x4e79a7, 0x7aa6d6}, {0x59a14f, 0x8cd17d}, {0xb07aa1, 0xd4a6c8}, {0xf28e2b, 0xffbe7d},
    {0x76b7b2, 0x9fd8d3}, {0xedc948, 0xf1dd7e}, {0x9c755f, 0xc9a48f}, {0xff9da7, 0xffc2c8},
    {0x6b8e23, 0xa3c95a}, {0x5c6bc0, 0x9fa8da},
}};

} // namespace

QColor requestStateColor(RequestState state, bool darkPalette)
{
    const Shades &s = kStateShades.at(size_t(state));
    return QColor::fromRgb(darkPalette ? s.dark : s.light);
}

QColor requestStateColor(RequestState state)
{
    return requestStateColor(state, isDarkPalette(QGuiApplication::palette()));
}

QIcon requestStateIcon(RequestState state)
{
    const bool dark = isDarkPalette(QGuiApplication::palette());
    static QIcon cache[2][kStateShades.size()];
    QIcon &icon = cache[dark ? 1 : 0][size_t(state)];
    if (icon.isNull()) {
        // Drawn at twice the size so it stays crisp on high-DPI screens.
        QPixmap pixmap(32, 32);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(requestStateColor(state, dark));
        p.drawEllipse(QRectF(8, 8, 16, 16));
        p.end();
        icon = QIcon(pixmap);
    }
    return icon;
}

QColor laneColor(int laneIndex, bool darkPalette)
{
    const Shades &s = kLaneShades.at(size_t(std::abs(laneIndex)) % kLaneShades.size());
    return QColor::fromRgb(darkPalette ? s.dark : s.light);
}

QString formatDurationMs(qint64 ms)
{
    const QLocale locale;
    if (ms < 0)
        return QStringLiteral("−") + formatDurationMs(-ms);
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return tr("%1 s").arg(locale.toString(double(ms) / 1000.0, 'f', ms < 10'000 ? 2 : 1));
    if (ms < 3'600'000)
        return tr("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(ms / 3'600'000).arg((ms / 60'000) % 60, 2, 10, QLatin1Char('0'));
}

QString formatCountdownMs(qint64 ms)
{
    if (ms < 0)
        return tr("overdue %1").arg(formatDurationMs(-ms));
    if (ms < 10'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    return tr("%1 s").arg((ms + 999) / 1000);
}

QString plural(qint64 n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(QLocale().toString(n));
}

QString formatClockNs(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz"));
}

} // namespace rcrt::ui
