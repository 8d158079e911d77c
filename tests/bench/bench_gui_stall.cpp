// GUI responsiveness under load (issue 3 item 8): rcrt-sim --workload load --rate N streams
// into the real main window while a 1 ms timer on the GUI thread measures how late the event
// loop gets to it (the longest stall) and the events table's repaint intervals.
//
//   bench_gui_stall [--rate 10000] [--seconds 20]
// Prints one JSON line with the figures. Run it offscreen or under Xvfb.
// Every top-level event the GUI thread dispatches is also timed on the thread's CPU clock, so
// a stall can be told apart from the scheduler's (a shared machine): the JSON names the
// handler that took the longest CPU time, and `--trace MS` lists every one above MS on stderr.

#include "support/simprocess.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
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

qint64 threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Times each outermost event dispatch of the GUI thread on its CPU clock.
class TimedApplication final : public QApplication
{
public:
    using QApplication::QApplication;
    double traceMs = -1; // < 0: no trace
    double longestMs = 0;
    QString longestWhat;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || thread() != QThread::currentThread())
            return QApplication::notify(receiver, event);
        // Taken before: the event may delete its receiver (DeferredDelete).
        const int type = int(event->type());
        const char *receiverClass = receiver->metaObject()->className();
        const char *parentClass = receiver->parent() ? receiver->parent()->metaObject()->className() : nullptr;
        ++m_depth;
        const qint64 start = threadCpuNs();
        const bool result = QApplication::notify(receiver, event);
        const double ms = double(threadCpuNs() - start) / 1e6;
        --m_depth;
        if (ms > longestMs || (traceMs >= 0 && ms > traceMs)) {
            QString what = QStringLiteral("event %1 to %2").arg(type).arg(QLatin1StringView(receiverClass));
            if (parentClass)
                what += QStringLiteral(" (in %1)").arg(QLatin1StringView(parentClass));
            if (ms > longestMs) {
                longestMs = ms;
                longestWhat = what;
            }
            if (traceMs >= 0 && ms > traceMs)
                std::fprintf(stderr, "slow %.1f ms cpu: %s\n", ms, qPrintable(what));
        }
        return result;
    }

private:
    int m_depth = 0;
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
    TimedApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{QStringLiteral("rate"), QStringLiteral("Events per second."), QStringLiteral("N"), QStringLiteral("10000")},
                       {QStringLiteral("seconds"), QStringLiteral("Measured seconds."), QStringLiteral("S"), QStringLiteral("20")},
                       {QStringLiteral("trace"), QStringLiteral("List every GUI-thread event that took more than MS of CPU."),
                        QStringLiteral("MS")}});
    parser.process(app);
    if (parser.isSet(QStringLiteral("trace")))
        app.traceMs = parser.value(QStringLiteral("trace")).toDouble();
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
        app.longestMs = 0;
        app.longestWhat.clear();
        last = clock.nsecsElapsed();
        tick.start();
    });
    QTimer::singleShot((2 + seconds) * 1000, &app, &QApplication::quit);
    QApplication::exec();

    const qint64 rows = window.eventsView()->model()->rowCount();
    std::printf("{\"rate\":%d,\"seconds\":%d,\"rows\":%lld,\"longest_stall_ms\":%.1f,\"stall_p99_ms\":%.1f,"
                "\"repaints\":%zu,\"repaint_p50_ms\":%.1f,\"repaint_p99_ms\":%.1f,\"longest_event_cpu_ms\":%.1f,"
                "\"longest_event\":\"%s\",\"platform\":\"%s\"}\n",
                rate, seconds, qlonglong(rows), gapsMs.empty() ? 0.0 : *std::max_element(gapsMs.begin(), gapsMs.end()),
                percentile(gapsMs, 0.99), paints.intervalsMs.size(), percentile(paints.intervalsMs, 0.5),
                percentile(paints.intervalsMs, 0.99), app.longestMs, qPrintable(app.longestWhat),
                qPrintable(QApplication::platformName()));
    return 0;
}
