#include "app/cli/ingest.h"

#include "model/eventstore.h"
#include "net/sseparser.h"

#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/resource.h>
#include <unistd.h>

namespace rcrt::cli {

namespace {

// Large reads: the benchmark measures the ingest path, not read(2). One read is one parser
// batch, as one network read is in SseClient.
constexpr qint64 kReadBytes = 1024 * 1024;

const char kUsage[] =
    "usage: rcrt-tap ingest FILE|- [--json] [--consumer]\n"
    "Pushes a raw SSE capture (what `curl -N .../events/stream` saves) through the ingest path\n"
    "(SSE parser, decoder, EventStore) on one thread, as fast as it goes, holding every event,\n"
    "and prints the counts, the time and the peak RSS. --json prints one object:\n"
    "  {\"events\":N,\"bytes\":B,\"seconds\":S,\"events_per_s\":R,\"peak_rss_bytes\":M,...}\n"
    "events = SSE events dispatched (breadcrumbs, repeats, pings, others, rejected);\n"
    "bytes = capture bytes read; payload_bytes = bytes of the events' data.\n"
    "--consumer connects a receiver to the store's batches, as the console's views are, so the\n"
    "30 Hz batches of new records are built (without one the store skips them); it reports\n"
    "batch_records, the records it received.\n";

void printError(const QString &message)
{
    const QByteArray line = "rcrt-tap ingest: " + message.toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
}

// User + system CPU of this process: on a shared machine wall time also counts other load.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Peak resident set: VmHWM from /proc (bytes exact to the kB), else getrusage.
qint64 peakRssBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        }
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return qint64(usage.ru_maxrss) * 1024; // kB on Linux
}

struct Totals
{
    qint64 bytes = 0;
    qint64 parseErrors = 0;
    qint64 batchRecords = -1; // -1: no consumer
    QString firstParseError;
    double seconds = 0;
    double cpuSeconds = 0;
};

QByteArray jsonReport(const StoreCounters &c, const Totals &t, qsizetype held, qint64 rss)
{
    const double rate = t.seconds > 0 ? double(c.events) / t.seconds : 0;
    QByteArray out = "{\"events\":" + QByteArray::number(c.events);
    out += ",\"bytes\":" + QByteArray::number(t.bytes);
    out += ",\"seconds\":" + QByteArray::number(t.seconds, 'f', 3);
    out += ",\"events_per_s\":" + QByteArray::number(qint64(rate));
    out += ",\"peak_rss_bytes\":" + QByteArray::number(rss);
    out += ",\"cpu_seconds\":" + QByteArray::number(t.cpuSeconds, 'f', 3);
    out += ",\"payload_bytes\":" + QByteArray::number(c.bytes);
    out += ",\"breadcrumbs\":" + QByteArray::number(c.newVersions);
    out += ",\"repeats\":" + QByteArray::number(c.repeats);
    out += ",\"pings\":" + QByteArray::number(c.pings);
    out += ",\"others\":" + QByteArray::number(c.others);
    out += ",\"rejected\":" + QByteArray::number(c.rejected);
    out += ",\"parse_errors\":" + QByteArray::number(t.parseErrors);
    out += ",\"held\":" + QByteArray::number(held);
    if (t.batchRecords >= 0)
        out += ",\"batch_records\":" + QByteArray::number(t.batchRecords);
    out += "}\n";
    return out;
}

QByteArray textReport(const StoreCounters &c, const Totals &t, qsizetype held, qint64 rss)
{
    const double rate = t.seconds > 0 ? double(c.events) / t.seconds : 0;
    const double mib = 1024.0 * 1024.0;
    QByteArray out;
    out += "events:        " + QByteArray::number(c.events) + " (" + QByteArray::number(c.newVersions)
        + " breadcrumbs, " + QByteArray::number(c.repeats) + " repeats, " + QByteArray::number(c.pings)
        + " pings, " + QByteArray::number(c.others) + " other, " + QByteArray::number(c.rejected)
        + " rejected)\n";
    out += "bytes:         " + QByteArray::number(t.bytes) + " (payload " + QByteArray::number(c.bytes) + ")\n";
    out += "seconds:       " + QByteArray::number(t.seconds, 'f', 3) + " (CPU " + QByteArray::number(t.cpuSeconds, 'f', 3) + ")\n";
    out += "events/s:      " + QByteArray::number(qint64(rate)) + " ("
        + QByteArray::number(double(t.bytes) / mib / std::max(t.seconds, 1e-9), 'f', 1) + " MiB/s)\n";
    out += "held records:  " + QByteArray::number(held) + '\n';
    if (t.batchRecords >= 0)
        out += "batch records: " + QByteArray::number(t.batchRecords) + " (to a connected consumer)\n";
    out += "peak RSS:      " + QByteArray::number(double(rss) / mib, 'f', 1) + " MiB\n";
    if (t.parseErrors > 0)
        out += "parse errors:  " + QByteArray::number(t.parseErrors) + '\n';
    return out;
}

} // namespace

int runIngest(const TapOptions &options, const QStringList &args)
{
    QString path;
    bool consumer = false;
    for (const QString &arg : args) {
        if (arg == QLatin1String("--consumer")) {
            consumer = true;
            continue;
        }
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg.startsWith(QLatin1Char('-')) && arg != QLatin1String("-")) {
            printError(QStringLiteral("unknown option '%1'").arg(arg));
            return 2;
        }
        if (!path.isEmpty()) {
            printError(QStringLiteral("more than one input given ('%1', '%2')").arg(path, arg));
            return 2;
        }
        path = arg;
    }
    if (path.isEmpty()) {
        printError(QStringLiteral("no capture file given\n") + QString::fromLatin1(kUsage).section(QLatin1Char('\n'), 0, 0));
        return 2;
    }

    QFile file;
    const bool isStdin = path == QLatin1String("-");
    const bool opened = isStdin ? file.open(STDIN_FILENO, QIODevice::ReadOnly | QIODevice::Unbuffered)
                                : (file.setFileName(path), file.open(QIODevice::ReadOnly | QIODevice::Unbuffered));
    if (!opened) {
        printError(QStringLiteral("cannot open '%1': %2").arg(path, file.errorString()));
        return 2;
    }

    EventStore::Options storeOptions;
    storeOptions.maxEvents = 0; // hold every event: the memory figure is for all of them
    EventStore store(storeOptions);

    Totals totals;
    if (consumer) {
        // Direct, like a receiver on the ingest thread: the records are built, handed over and
        // freed here, the ingest thread's whole share of the batches.
        totals.batchRecords = 0;
        QObject::connect(&store, &EventStore::batchReady, &store,
                         [&totals](const EventBatch &batch) { totals.batchRecords += batch.records.size(); });
    }
    QList<StreamEvent> batch;
    qint64 readArrivalNs = 0;
    SseParser::Handlers handlers;
    handlers.event = [&](SseEvent &&event) {
        batch.append(StreamEvent{readArrivalNs, EventSource::Replay, std::move(event.data)});
    };
    handlers.error = [&](const QString &message) {
        if (totals.parseErrors++ == 0)
            totals.firstParseError = message;
    };
    SseParser parser(std::move(handlers));
    parser.setPooledData(true); // as SseClient does: the store keeps every payload

    QByteArray buffer(kReadBytes, Qt::Uninitialized);
    QElapsedTimer clock;
    clock.start();
    const double cpuAtStart = cpuSeconds();
    for (;;) {
        const qint64 got = file.read(buffer.data(), kReadBytes);
        if (got < 0) {
            printError(QStringLiteral("read error on '%1': %2").arg(path, file.errorString()));
            return 2;
        }
        if (got == 0)
            break;
        totals.bytes += got;
        readArrivalNs = nowNs();
        parser.feed(QByteArrayView(buffer.constData(), got));
        if (!batch.isEmpty()) {
            store.ingestBatch(batch);
            batch.clear(); // keeps its capacity for the next read
        }
    }
    store.flush(); // the last batch, as the store's timer would send it
    totals.seconds = double(clock.nsecsElapsed()) / 1e9;
    totals.cpuSeconds = cpuSeconds() - cpuAtStart;

    const StoreCounters counters = store.counters();
    const qint64 rss = peakRssBytes();
    const QByteArray report = options.json ? jsonReport(counters, totals, store.size(), rss)
                                           : textReport(counters, totals, store.size(), rss);

    if (totals.bytes == 0) {
        printError(QStringLiteral("'%1' is empty").arg(path));
        return 1;
    }
    if (totals.parseErrors > 0)
        printError(QStringLiteral("%1 SSE parser error(s); first: %2").arg(totals.parseErrors).arg(totals.firstParseError));
    if (counters.events == 0) {
        printError(QStringLiteral("no SSE event in '%1' (%2 bytes): not a raw SSE capture "
                                  "(expected `data: <json>` lines, each event ended by a blank line)")
                       .arg(path)
                       .arg(totals.bytes));
        return 1;
    }
    std::fwrite(report.constData(), 1, size_t(report.size()), stdout);
    if (counters.rejected > 0) {
        printError(QStringLiteral("%1 of %2 events rejected by the decoder; last: %3")
                       .arg(counters.rejected)
                       .arg(counters.events)
                       .arg(store.lastRejectError()));
    }
    if (counters.rejected == counters.events) {
        printError(QStringLiteral("no event in '%1' is RCRT JSON: not an RCRT stream capture").arg(path));
        return 1;
    }
    return 0;
}

} // namespace rcrt::cli
