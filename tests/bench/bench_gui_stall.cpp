// GUI responsiveness under load (issue 3 item 8): rcrt-sim --workload load --rate N streams
// into the real main window while a 1 ms timer on the GUI thread measures how late the event
// loop gets to it (the longest stall) and the events table's repaint intervals.
//
//   bench_gui_stall [--rate 10000] [--seconds 20]
// Prints one JSON line with the figures. Run it offscreen or under Xvfb.

#include "support/simprocess.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

// Counts paint events of one widget and keeps the intervals between them.
class PaintProbe final : public QObject
{
public:
    explicit PaintProbe(QElapsedTimer &clock) : m_clock(clock) {}
    std::vector<double> intervalsMs;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                intervalsMs.push_back(double(now - m_last) / 1e6);
            m_last = now;
        }
        return QObject::eventFilter(watched, event);
    }

private:
    QElapsedTimer &m_clock;
    qint64 m_last = 0;
};

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("rate"), QStringLiteral("Events per second."), QStringLiteral("N"), QStringLiteral("10000")},
                       {QStringLiteral("seconds"), QStringLiteral("Measured seconds."), QStringLiteral("S"), QStringLiteral("20")}});
    parser.process(app);
    const int rate = parser.value(QStringLiteral("rate")).toInt();
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();

    rcrt::test::SimProcess sim;
    if (!sim.start({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"), QString::number(rate)})) {
        std::fprintf(stderr, "rcrt-sim: %s\n", qPrintable(sim.error()));
        return 1;
    }
    rcrt::ui::MainWindow window;
    window.resize(1400, 860);
    window.show();
    rcrt::ConnectionSettings settings;
    settings.url = sim.url();
    settings.initialHistory = 0;
    window.connectTo(settings);

    QElapsedTimer clock;
    clock.start();
    PaintProbe paints(clock);
    window.eventsView()->table()->viewport()->installEventFilter(&paints);

    // The loop should run this every ~1 ms; any larger gap is time the GUI thread was busy.
    std::vector<double> gapsMs;
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        const qint64 now = clock.nsecsElapsed();
        gapsMs.push_back(double(now - last) / 1e6);
        last = now;
    });
    // Warm up 2 s (connect, first batches), then measure.
    QTimer::singleShot(2000, &app, [&] {
        gapsMs.clear();
        paints.intervalsMs.clear();
        last = clock.nsecsElapsed();
        tick.start();
    });
    QTimer::singleShot((2 + seconds) * 1000, &app, &QApplication::quit);
    QApplication::exec();

    const qint64 rows = window.eventsView()->model()->rowCount();
    std::printf("{\"rate\":%d,\"seconds\":%d,\"rows\":%lld,\"longest_stall_ms\":%.1f,\"stall_p99_ms\":%.1f,"
                "\"repaints\":%zu,\"repaint_p50_ms\":%.1f,\"repaint_p99_ms\":%.1f,\"platform\":\"%s\"}\n",
                rate, seconds, qlonglong(rows), gapsMs.empty() ? 0.0 : *std::max_element(gapsMs.begin(), gapsMs.end()),
                percentile(gapsMs, 0.99), paints.intervalsMs.size(), percentile(paints.intervalsMs, 0.5),
                percentile(paints.intervalsMs, 0.99), qPrintable(QApplication::platformName()));
    return 0;
}
