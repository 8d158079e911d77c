// rcrt-tap replay: a session file's events printed as tail prints them, at the recorded pace.

#include "app/cli/eventformat.h"
#include "app/cli/interrupt.h"
#include "app/cli/sessionargs.h"
#include "app/cli/sessioncommands.h"
#include "app/session/sessionreader.h"
#include "model/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace rcrt::cli {

namespace {

constexpr qint64 kChunk = 10'000;

struct ReplayArgs
{
    QString file;
    double speed = 1.0; // 0: as fast as possible
    bool pings = false;
};

bool parseReplayArgs(const QStringList &args, ReplayArgs &out, bool &help)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print a session file's events as tail does (source 'replay'), at the recorded arrival "
        "offsets divided by the speed."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The session file."));
    parser.addOptions({
        {QStringLiteral("speed"), QStringLiteral("X times the recorded pace (0.01 to 10000), or max."),
         QStringLiteral("X|max")},
        {QStringLiteral("pings"), QStringLiteral("Print pings too.")},
    });
    if (!parseSessionCommand(parser, QStringLiteral("replay"), args, 1, &help))
        return false;
    QTextStream err(stderr);
    out.file = parser.positionalArguments().first();
    if (parser.isSet(QStringLiteral("speed"))) {
        const QString speed = parser.value(QStringLiteral("speed"));
        bool ok = false;
        out.speed = speed == QLatin1String("max") ? 0.0 : speed.toDouble(&ok);
        if (speed != QLatin1String("max") && (!ok || out.speed < 0.01 || out.speed > 10000)) {
            err << "rcrt-tap replay: --speed takes a number from 0.01 to 10000, or max\n";
            return false;
        }
    }
    out.pings = parser.isSet(QStringLiteral("pings"));
    return true;
}

} // namespace

int runReplay(const TapOptions &options, const QStringList &rawArgs)
{
    ReplayArgs args;
    bool help = false;
    if (!parseReplayArgs(rawArgs, args, help))
        return help ? 0 : 2;
    QTextStream err(stderr);
    QString error;
    auto reader = SessionReader::open(args.file, &error);
    if (!reader) {
        err << "rcrt-tap replay: " << error << '\n';
        return 1;
    }
    const qsizetype problemsBefore = reader->problems().size();
    for (const QString &problem : reader->problems())
        err << "# problem: " << problem << '\n';
    err.flush();

    // The same dedupe and decoding as tail: the store sees each delivery with its recorded
    // arrival time and source `replay`.
    EventStore::Options storeOptions;
    storeOptions.maxEvents = 500'000;
    EventStore store(storeOptions);
    QObject::connect(&store, &EventStore::batchReady, &store, [&](const EventBatch &batch) {
        QByteArray out;
        for (const RejectRecord &reject : batch.rejects)
            err << "# rejected payload (" << sourceName(reject.source) << "): " << reject.error << '\n';
        err.flush();
        if (args.pings) {
            for (const PingRecord &ping : batch.pings)
                out += formatPingLine(ping, options.json);
        }
        for (const EventRecord &record : batch.records)
            out += formatEventLine(record, record.first, options.json);
        if (!out.isEmpty()) {
            std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
            std::fflush(stdout);
        }
    });

    const qint64 total = reader->eventCount();
    const qint64 firstNs = reader->firstArrivalNs();
    qint64 readRow = 0; // next row to read from the file
    QList<StreamEvent> chunk;
    qsizetype inChunk = 0;
    QElapsedTimer clock;
    clock.start();
    QTimer step;
    step.setSingleShot(true);
    step.setTimerType(Qt::PreciseTimer);
    // Each step feeds every event that is due, then sleeps until the next one is.
    QObject::connect(&step, &QTimer::timeout, &store, [&] {
        const qint64 elapsedNs = clock.nsecsElapsed();
        qint64 fed = 0;
        while (inChunk < chunk.size() || readRow < total) {
            if (inChunk >= chunk.size()) {
                // Fewer rows than asked only when some were unreadable (they become problems).
                chunk = reader->readEvents(readRow, kChunk);
                readRow += std::min(kChunk, total - readRow);
                inChunk = 0;
                continue;
            }
            StreamEvent event = chunk[inChunk];
            const qint64 dueNs = args.speed > 0 ? qint64(double(event.arrivalNs - firstNs) / args.speed) : 0;
            if (dueNs > elapsedNs) {
                store.flush();
                step.start(int(std::max<qint64>(0, (dueNs - elapsedNs) / 1'000'000)));
                return;
            }
            event.source = EventSource::Replay;
            store.ingest(std::move(event));
            ++inChunk;
            if (++fed >= kChunk && args.speed == 0) { // let Ctrl-C through on huge files
                store.flush();
                step.start(0);
                return;
            }
        }
        store.flush();
        QCoreApplication::quit();
    });
    quitEventLoopOnInterrupt();
    step.start(0);
    QCoreApplication::exec();
    store.flush();
    const QStringList problems = reader->problems();
    for (qsizetype i = problemsBefore; i < problems.size(); ++i)
        err << "# problem: " << problems[i] << '\n';
    return 0;
}

} // namespace rcrt::cli
