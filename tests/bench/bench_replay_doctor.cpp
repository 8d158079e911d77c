// The Diagnosis panel during a replay at scale (issue 6 item 4 on issue 5's 1,000,000-event
// session): a session file opened in the real main window (offscreen), then seeks that make the
// doctor catch up over the whole session.
//
//   bench_replay_seek --events 1000000 --seeks 1 --file /tmp/m.rcrtsession   # writes one
//   bench_replay_doctor --file /tmp/m.rcrtsession [--repeat 3]
//
// Prints one JSON object. For a seek to the end (from the start) and one step back from there
// (the doctor starts over): the time until every view and the doctor are at the cursor and the
// findings are evaluated, and the longest the GUI thread's event loop was blocked meanwhile
// (the largest gap between two turns of a 0 ms heartbeat timer: what the user feels as a
// freeze), with the doctor following the cursor and without it (the other views alone); and
// the GUI thread's CPU time of one evaluation (Doctor::refresh) at the end. Best of --repeat;
// the *_cpu_ms figures are the GUI thread's own CPU time, which a busy machine does not stretch.

#include "app/doctor.h"
#include "app/replayengine.h"
#include "ui/mainwindow.h"
#include "ui/replay/replaydoctorfeeder.h"
#include "ui/replay/replayfeeder.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <functional>

using namespace rcrt;

namespace {

struct Figures
{
    double settleMs = 0;    // seek → everything at the cursor, evaluated
    double maxGapMs = 0;    // longest event-loop block meanwhile
    double maxGapCpuMs = 0; // the GUI thread's CPU time in its costliest block (a busy machine
                            // stretches wall time; this is the work itself)
    double cpuMs = 0;       // the GUI thread's CPU time from the seek until settled
};

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Runs `seek`, then the event loop until the views (and the doctor, when it follows) are at
// the cursor and evaluated.
Figures measure(ui::MainWindow &window, bool doctor, const std::function<void()> &seek)
{
    ReplayEngine *engine = window.replayEngine();
    QElapsedTimer clock;
    QElapsedTimer sinceBeat;
    double maxGap = 0;
    double maxGapCpu = 0;
    double beatCpu = 0;
    QTimer heartbeat;
    heartbeat.setInterval(0);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const double cpu = threadCpuMs();
        maxGap = std::max(maxGap, double(sinceBeat.nsecsElapsed()) / 1e6);
        maxGapCpu = std::max(maxGapCpu, cpu - beatCpu);
        beatCpu = cpu;
        sinceBeat.restart();
    });
    bool evaluated = !doctor;
    const QMetaObject::Connection c = QObject::connect(window.replayDoctorFeeder(), &ui::ReplayDoctorFeeder::evaluated,
                                                       [&](qint64 cursor) {
        // The last evaluation reads the flows at the cursor too.
        evaluated = evaluated || (cursor == engine->cursor() && window.replayFeeder()->flowsCaughtUp());
    });
    beatCpu = threadCpuMs();
    sinceBeat.start();
    heartbeat.start();
    QCoreApplication::processEvents();
    maxGap = maxGapCpu = 0; // from the seek on
    clock.start();
    sinceBeat.restart();
    const double startCpu = beatCpu = threadCpuMs();
    const qint64 before = engine->cursor();
    seek();
    evaluated = evaluated || engine->cursor() == before; // no move, nothing to evaluate
    while (!(evaluated && window.replayFeeder()->isCaughtUp() && (!doctor || window.replayDoctorFeeder()->isCaughtUp())))
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    Figures f;
    f.settleMs = double(clock.nsecsElapsed()) / 1e6;
    maxGap = std::max(maxGap, double(sinceBeat.nsecsElapsed()) / 1e6);
    f.maxGapMs = maxGap;
    f.maxGapCpuMs = std::max(maxGapCpu, threadCpuMs() - beatCpu);
    f.cpuMs = threadCpuMs() - startCpu;
    QObject::disconnect(c);
    return f;
}

void keepBest(Figures &best, const Figures &f, bool first)
{
    best.settleMs = first ? f.settleMs : std::min(best.settleMs, f.settleMs);
    best.maxGapMs = first ? f.maxGapMs : std::min(best.maxGapMs, f.maxGapMs);
    best.maxGapCpuMs = first ? f.maxGapCpuMs : std::min(best.maxGapCpuMs, f.maxGapCpuMs);
    best.cpuMs = first ? f.cpuMs : std::min(best.cpuMs, f.cpuMs);
}

QJsonObject json(const Figures &f)
{
    const auto round = [](double ms) { return std::round(ms * 10) / 10; };
    return QJsonObject{{QStringLiteral("settle_ms"), round(f.settleMs)},
                       {QStringLiteral("cpu_ms"), round(f.cpuMs)},
                       {QStringLiteral("max_gap_ms"), round(f.maxGapMs)},
                       {QStringLiteral("max_gap_cpu_ms"), round(f.maxGapCpuMs)}};
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("file"), QStringLiteral("The session to replay."), QStringLiteral("path")});
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Runs of each measure (best kept)."), QStringLiteral("n"),
                      QStringLiteral("3")});
    parser.process(app);
    const QString path = parser.value(QStringLiteral("file"));
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    if (path.isEmpty() || !QFile::exists(path)) {
        std::fprintf(stderr, "bench_replay_doctor: --file PATH names an existing session (bench_replay_seek --file writes one)\n");
        return 2;
    }

    ui::MainWindow window;
    window.show();
    ReplayEngine *engine = window.replayEngine();
    QEventLoop loading;
    QObject::connect(engine, &ReplayEngine::loaded, &loading, &QEventLoop::quit);
    QObject::connect(engine, &ReplayEngine::loadFailed, &loading, &QEventLoop::quit);
    if (!window.openSession(path))
        return 1;
    loading.exec();
    if (!engine->isLoaded())
        return 1;

    Figures toEnd, stepBack, toEndAlone, stepBackAlone;
    for (int run = 0; run < repeat; ++run) {
        measure(window, true, [engine] { engine->seekToStart(); });
        keepBest(toEnd, measure(window, true, [engine] { engine->seekToEnd(); }), run == 0);
        keepBest(stepBack, measure(window, true, [engine] { engine->stepBack(); }), run == 0);
    }
    double refreshCpuMs = 0;
    for (int run = 0; run < repeat; ++run) {
        const double before = threadCpuMs();
        window.doctor()->refresh();
        refreshCpuMs = run == 0 ? threadCpuMs() - before : std::min(refreshCpuMs, threadCpuMs() - before);
    }
    const QJsonObject measures = window.doctor()->measures();
    window.replayDoctorFeeder()->stop(); // the other views alone
    for (int run = 0; run < repeat; ++run) {
        measure(window, false, [engine] { engine->seekToStart(); });
        keepBest(toEndAlone, measure(window, false, [engine] { engine->seekToEnd(); }), run == 0);
        keepBest(stepBackAlone, measure(window, false, [engine] { engine->stepBack(); }), run == 0);
    }

    const QJsonObject out{{QStringLiteral("deliveries"), engine->eventCount()},
                          {QStringLiteral("chunk"), ui::ReplayDoctorFeeder::kChunk},
                          {QStringLiteral("seek_to_end"), json(toEnd)},
                          {QStringLiteral("step_back_from_end"), json(stepBack)},
                          {QStringLiteral("seek_to_end_without_doctor"), json(toEndAlone)},
                          {QStringLiteral("step_back_without_doctor"), json(stepBackAlone)},
                          {QStringLiteral("evaluate_at_end_cpu_ms"), std::round(refreshCpuMs * 10) / 10},
                          {QStringLiteral("doctor_events"), measures.value(QStringLiteral("events"))},
                          {QStringLiteral("doctor_pings"), measures.value(QStringLiteral("pings"))}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
