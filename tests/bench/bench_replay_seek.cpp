// Replay at scale (issue 5 item 6): a 1,000,000-event session opened in the real main window
// (offscreen), then seeks to random positions.
//
//   bench_replay_seek [--events 1000000] [--seeks 200] [--file PATH] [--keep]
// Writes the session through SessionWriter (RCRT-shaped: notes of several schemas, 1 in 8
// deliveries a tool request or response, a ping every 5 s, 1 ms apart), unless --file names an
// existing one. Prints one JSON object: write time, open-to-interactive (open → loaded → the
// views at cursor 0), load throughput, and over random positions the seek time p50/p99/max:
// the call itself (the events table at the cursor, the window responsive again), until the
// flows and pending views are at the cursor, and until the charts are too.

#include "app/replayengine.h"
#include "app/session/sessionwriter.h"
#include "ui/events/eventsmodel.h"
#include "ui/events/eventsview.h"
#include "ui/mainwindow.h"
#include "ui/replay/replayfeeder.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QEventLoop>
#include <QTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimeZone>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <random>
#include <vector>

using namespace rcrt;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kT0 = 1'700'000'000'000 * kMs;

QByteArray iso(qint64 ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / kMs, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toUtf8();
}

QByteArray uuid(qint64 n)
{
    return QByteArray("00000000-0000-4000-8000-") + QByteArray::number(n, 16).rightJustified(12, '0');
}

QByteArray event(qint64 i, qint64 arrivalNs)
{
    static const char *schemas[] = {"agent.context.v1", "chat.message.v1", "system.health.v1", "note.v1"};
    const QByteArray at = iso(arrivalNs - 30 * kMs);
    const qint64 k = i % 8;
    if (k == 3) { // a tool request, answered four deliveries later
        return R"({"type":"breadcrumb.updated","breadcrumb_id":")" + uuid(i) + R"(","owner_id":"00000000-0000-0000-0000-0000000000aa","version":1,"tags":["tool:request","workspace:tools"],"schema_name":"tool.request.v1","updated_at":")"
            + at + R"(","context":{"tool":"echo","requestId":"req-)" + QByteArray::number(i) + R"(","input":{"text":"hello"}}})";
    }
    if (k == 7) {
        const QByteArray req = QByteArray::number(i - 4);
        return R"({"type":"breadcrumb.updated","breadcrumb_id":")" + uuid(i) + R"(","owner_id":"00000000-0000-0000-0000-0000000000aa","version":1,"tags":["tool:response","workspace:tools","request:req-)"
            + req + R"("],"schema_name":"tool.response.v1","updated_at":")" + at + R"(","context":{"tool":"echo","request_id":"req-)" + req
            + R"(","status":"success","output":{"text":"hello"},"execution_time_ms":3}})";
    }
    return R"({"type":"breadcrumb.updated","breadcrumb_id":")" + uuid(i) + R"(","owner_id":"00000000-0000-0000-0000-0000000000aa","version":1,"tags":["bench","n:)"
        + QByteArray::number(i % 97) + R"("],"schema_name":")" + schemas[i % 4] + R"(","updated_at":")" + at
        + R"(","context":{"text":"an RCRT-shaped breadcrumb of about three hundred bytes, like the demo's notes","i":)" + QByteArray::number(i) + "}}";
}

bool writeSession(const QString &path, qint64 count, QString *error)
{
    SessionHeader header;
    header.appVersion = QStringLiteral("bench");
    header.serverUrl = QStringLiteral("http://127.0.0.1:8081");
    header.startNs = kT0;
    auto writer = SessionWriter::create(path, header, error);
    if (!writer)
        return false;
    QList<StreamEvent> chunk;
    qint64 lastPing = 0;
    for (qint64 i = 0; i < count; ++i) {
        const qint64 arrival = kT0 + i * kMs;
        if (arrival - lastPing >= 5000 * kMs) {
            chunk.append({arrival, EventSource::Sse, "{\"type\":\"ping\",\"ts\":\"" + iso(arrival).left(19) + "Z\"}"});
            lastPing = arrival;
            ++i;
            if (i >= count)
                break;
        }
        chunk.append({kT0 + i * kMs, EventSource::Sse, event(i, kT0 + i * kMs)});
        if (chunk.size() >= 10'000) {
            writer->appendEvents(chunk);
            chunk.clear();
        }
    }
    writer->appendEvents(chunk);
    return writer->close(error);
}

struct Stats
{
    double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    const auto at = [&v](double q) { return v[std::min(v.size() - 1, size_t(q * double(v.size())))]; };
    return {at(0.50), at(0.99), v.back()};
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("events"), QStringLiteral("Deliveries in the session."), QStringLiteral("n"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("seeks"), QStringLiteral("Random seeks."), QStringLiteral("n"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("file"), QStringLiteral("Use (or keep) this session file."), QStringLiteral("path")});
    parser.process(app);
    const qint64 count = parser.value(QStringLiteral("events")).toLongLong();
    const int seeks = parser.value(QStringLiteral("seeks")).toInt();

    QTemporaryDir dir;
    QString path = parser.value(QStringLiteral("file"));
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("bench.rcrtsession"));
    double writeS = 0;
    if (!QFile::exists(path)) {
        QElapsedTimer t;
        t.start();
        QString error;
        if (!writeSession(path, count, &error)) {
            std::fprintf(stderr, "cannot write %s: %s\n", qPrintable(path), qPrintable(error));
            return 1;
        }
        writeS = double(t.nsecsElapsed()) / 1e9;
    }

    ui::MainWindow window;
    window.resize(1400, 860);
    window.show();
    ReplayEngine *engine = window.replayEngine();
    QEventLoop wait;
    bool loaded = false;
    QObject::connect(engine, &ReplayEngine::loaded, &wait, [&] { loaded = true; wait.quit(); });
    QObject::connect(engine, &ReplayEngine::loadFailed, &wait, &QEventLoop::quit);
    QTimer::singleShot(120'000, &wait, &QEventLoop::quit);
    QElapsedTimer open;
    open.start();
    const std::clock_t cpuStart = std::clock(); // every thread: on a busy machine wall time lies
    if (window.openSession(path))
        wait.exec();
    if (!loaded) {
        std::fprintf(stderr, "the session did not load\n");
        return 1;
    }
    QCoreApplication::processEvents(); // the views' first paint at cursor 0
    const double openS = double(open.nsecsElapsed()) / 1e9;
    const double openCpuS = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    const qint64 n = engine->eventCount();

    // Seeks: the synchronous part (events, flows, pending), then the charts catching up.
    std::mt19937_64 random(42);
    std::vector<double> syncMs, flowsMs, chartsMs;
    for (int i = 0; i < seeks; ++i) {
        const qint64 to = qint64(random() % quint64(n + 1));
        QElapsedTimer t;
        t.start();
        engine->seek(to);
        QCoreApplication::sendPostedEvents(); // layout and model signals delivered
        syncMs.push_back(double(t.nsecsElapsed()) / 1e6);
        while (!window.replayFeeder()->flowsCaughtUp())
            QCoreApplication::processEvents();
        flowsMs.push_back(double(t.nsecsElapsed()) / 1e6);
        while (!window.replayFeeder()->isCaughtUp())
            QCoreApplication::processEvents();
        chartsMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    // Step-sized moves (play): one delivery forward.
    std::vector<double> stepMs;
    for (int i = 0; i < 200; ++i) {
        QElapsedTimer t;
        t.start();
        engine->stepForward();
        stepMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    const Stats s = stats(syncMs), f = stats(flowsMs), c = stats(chartsMs), st = stats(stepMs);
    std::printf("{\"events\":%lld,\"records\":%lld,\"flow_records\":%lld,\"file_mb\":%.1f,\"write_s\":%.2f,"
                "\"open_to_interactive_s\":%.2f,\"open_cpu_s\":%.2f,\"load_events_per_s\":%.0f,"
                "\"seek_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                "\"seek_with_flows_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                "\"seek_with_charts_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                "\"step_ms\":{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f},\"seeks\":%d}\n",
                static_cast<long long>(n), static_cast<long long>(engine->session()->recordCount()),
                static_cast<long long>(engine->session()->flowRecordCount()),
                double(QFileInfo(path).size()) / 1e6, writeS, openS, openCpuS, double(n) / openS, s.p50, s.p99, s.max, f.p50, f.p99, f.max, c.p50, c.p99,
                c.max, st.p50, st.p99, st.max, seeks);
    return 0;
}
