// Session files at scale: writes an N-event session from RCRT-shaped payloads (default 1M),
// then times open, reading every event in 10k chunks (what the GUI replay does), and
// indexAtOrAfter at random points. Prints one JSON object of figures.
//   bench_session [--events N] [--path FILE] [--keep] [--reuse]
// --reuse reads an existing FILE (from --keep) instead of writing it again.

#include "app/session/sessionreader.h"
#include "app/session/sessionwriter.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>

using namespace rcrt;

namespace {

QByteArray rcrtPayload(QRandomGenerator &rng, qint64 i, qint64 updatedAtNs)
{
    static const char *schemas[] = {"tool.request.v1", "tool.response.v1", "agent.context.v1", "user.message.v1"};
    const char *schema = schemas[i % 4];
    QByteArray id = QByteArray::number(rng.generate64(), 16).rightJustified(16, '0');
    QByteArray p = "{\"breadcrumb_id\":\"" + id.left(8) + "-" + id.mid(8, 4) + "-4" + id.mid(12, 3)
        + "-8000-" + QByteArray::number(i).rightJustified(12, '0') + "\",\"owner_id\":"
        "\"00000000-0000-0000-0000-000000000001\",\"version\":1,\"tags\":[\"workspace:tools\","
        "\"request:req-" + QByteArray::number(i / 2) + "\"],\"schema_name\":\"" + schema
        + "\",\"updated_at\":\"" + QByteArray::number(updatedAtNs) + "\",\"context\":{\"tool\":\"random\","
        "\"input\":{\"min\":1,\"max\":10},\"requestId\":\"req-" + QByteArray::number(i / 2)
        + "\",\"output\":{\"numbers\":[" + QByteArray::number(rng.bounded(10)) + "," + QByteArray::number(rng.bounded(10))
        + "]},\"note\":\"" + QByteArray(int(rng.bounded(100, 400)), 'x') + "\"},\"type\":\"breadcrumb.updated\"}";
    return p;
}

double ms(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }

// CPU time of this thread: on a loaded machine wall time mostly measures the neighbours.
double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 n = 1'000'000;
    QString path;
    const bool reuse = args.contains(QStringLiteral("--reuse"));
    const bool keep = reuse || args.contains(QStringLiteral("--keep"));
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--events"))
            n = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--path"))
            path = args[i + 1];
    }
    QTemporaryDir dir;
    if (path.isEmpty())
        path = dir.filePath(QStringLiteral("bench.rcrtsession"));
    const bool write = !(reuse && QFileInfo::exists(path));
    if (write)
        QFile::remove(path);

    QRandomGenerator rng(7);
    const qint64 t0 = 1'762'509'000'000'000'000;
    QElapsedTimer timer;
    timer.start();
    double cpu = cpuMs();
    if (write) {
        SessionHeader header;
        header.serverUrl = QStringLiteral("http://127.0.0.1:8081");
        header.startNs = t0;
        QString error;
        auto writer = SessionWriter::create(path, header, &error);
        if (!writer) {
            std::fprintf(stderr, "bench_session: %s\n", qPrintable(error));
            return 1;
        }
        QList<StreamEvent> batch;
        for (qint64 i = 0; i < n; ++i) {
            const qint64 at = t0 + i * 100'000; // 10k events/s
            batch.append({at, EventSource::Sse, rcrtPayload(rng, i, at - 2'000'000)});
            if (batch.size() == 1000) {
                writer->appendEvents(batch);
                batch.clear();
            }
        }
        writer->appendEvents(batch);
        if (!writer->close(&error)) {
            std::fprintf(stderr, "bench_session: %s\n", qPrintable(error));
            return 1;
        }
    }
    const double writeMs = ms(timer);
    const double writeCpuMs = cpuMs() - cpu;
    const qint64 fileBytes = QFileInfo(path).size();

    timer.restart();
    cpu = cpuMs();
    QString error;
    auto reader = SessionReader::open(path, &error);
    if (!reader) {
        std::fprintf(stderr, "bench_session: %s\n", qPrintable(error));
        return 1;
    }
    const double openMs = ms(timer);
    const double openCpuMs = cpuMs() - cpu;

    timer.restart();
    cpu = cpuMs();
    qint64 read = 0;
    qint64 bytes = 0;
    for (qint64 from = 0; from < reader->eventCount(); from += 10'000) {
        const auto chunk = reader->readEvents(from, 10'000);
        read += chunk.size();
        for (const StreamEvent &e : chunk)
            bytes += e.raw.size();
    }
    const double readAllMs = ms(timer);
    const double readAllCpuMs = cpuMs() - cpu;

    // Seek: indexAtOrAfter, then the 10k events a view shows from there.
    double seekMax = 0;
    double seekSum = 0;
    const int seeks = 200;
    for (int k = 0; k < seeks; ++k) {
        const qint64 at = reader->firstArrivalNs()
            + qint64(rng.bounded(1.0) * double(reader->lastArrivalNs() - reader->firstArrivalNs()));
        timer.restart();
        const qint64 row = reader->indexAtOrAfter(at);
        const auto window = reader->readEvents(row, 10'000);
        const double t = ms(timer);
        if (window.isEmpty() && row < reader->eventCount())
            return 1;
        seekMax = std::max(seekMax, t);
        seekSum += t;
    }
    std::printf("{\"events\":%lld,\"file_mb\":%.1f,\"write_ms\":%.0f,\"write_cpu_ms\":%.0f,\"write_events_per_s\":%.0f,"
                "\"open_ms\":%.1f,\"open_cpu_ms\":%.1f,\"read_all_ms\":%.0f,\"read_all_cpu_ms\":%.0f,\"read_events\":%lld,\"read_mb_per_s\":%.0f,"
                "\"seek_plus_10k_avg_ms\":%.2f,\"seek_plus_10k_max_ms\":%.2f,\"problems\":%lld}\n",
                static_cast<long long>(n), double(fileBytes) / 1e6, writeMs, writeCpuMs, double(n) / (writeMs / 1000),
                openMs, openCpuMs, readAllMs, readAllCpuMs, static_cast<long long>(read), double(bytes) / 1e6 / (readAllMs / 1000),
                seekSum / seeks, seekMax, static_cast<long long>(reader->problems().size()));
    if (keep)
        std::fprintf(stderr, "kept %s\n", qPrintable(path));
    else
        QFile::remove(path);
    return read == n ? 0 : 1;
}
