// rcrt-tap record: a live connection (reconnecting and backfilling as tail does) into a
// session file.

#include "app/cli/eventformat.h"
#include "app/cli/sessionargs.h"
#include "app/cli/sessioncommands.h"
#include "app/cli/tapconnection.h"
#include "app/cli/tapstream.h"
#include "app/session/recorder.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <limits>

namespace rcrt::cli {

namespace {

struct RecordArgs
{
    QString output;
    double durationS = 0;
    int history = 0;
    bool print = false;
    QString note;
};

bool parseRecordArgs(const QStringList &args, RecordArgs &out, bool &help)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Record a live session (every delivery with its arrival time, the connection log and a "
        "clock-offset estimate) into a session file. Ctrl-C stops cleanly; commits happen every "
        "250 ms, so even a crash keeps all but the last quarter second."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("The session file to create."), QStringLiteral("FILE")},
        {QStringLiteral("duration"), QStringLiteral("Stop after S seconds."), QStringLiteral("S")},
        {QStringLiteral("history"), QStringLiteral("Load the N newest breadcrumbs first."), QStringLiteral("N")},
        {QStringLiteral("print"), QStringLiteral("Also print the events as tail does.")},
        {QStringLiteral("note"), QStringLiteral("A note for the session header."), QStringLiteral("TEXT")},
    });
    if (!parseSessionCommand(parser, QStringLiteral("record"), args, 0, &help))
        return false;
    QTextStream err(stderr);
    out.output = parser.value(QStringLiteral("output"));
    if (out.output.isEmpty()) {
        err << "rcrt-tap record: -o FILE is required\n";
        return false;
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("duration")))
        out.durationS = parser.value(QStringLiteral("duration")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("history")))
        out.history = parser.value(QStringLiteral("history")).toInt(&ok);
    if (!ok || out.durationS < 0 || out.history < 0) {
        err << "rcrt-tap record: --duration and --history take non-negative numbers\n";
        return false;
    }
    out.print = parser.isSet(QStringLiteral("print"));
    out.note = parser.value(QStringLiteral("note"));
    return true;
}

// Server clock − ours from pings: `ts` has whole seconds, so each ping bounds the offset to
// [ts − arrival, ts + 1 s − arrival] (transit ignored); the estimate is the middle of the
// intersection of those bounds.
class ClockOffsetEstimate
{
public:
    void add(const PingRecord &ping)
    {
        if (ping.serverTsNs == 0)
            return;
        m_low = std::max(m_low, ping.serverTsNs - ping.arrivalNs);
        m_high = std::min(m_high, ping.serverTsNs + 1'000'000'000 - ping.arrivalNs);
        m_valid = true;
    }
    std::optional<qint64> value() const
    {
        if (!m_valid)
            return std::nullopt;
        return m_low <= m_high ? m_low + (m_high - m_low) / 2 : m_low;
    }

private:
    qint64 m_low = std::numeric_limits<qint64>::min();
    qint64 m_high = std::numeric_limits<qint64>::max();
    bool m_valid = false;
};

} // namespace

int runRecord(const TapOptions &options, const QStringList &rawArgs)
{
    RecordArgs args;
    bool help = false;
    if (!parseRecordArgs(rawArgs, args, help))
        return help ? 0 : 2;

    QTextStream err(stderr);
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap record: " << error << '\n';
        return 1;
    }
    SessionHeader header;
    header.serverUrl = sanitizeServerUrl(options.url);
    header.startNs = nowNs();
    header.note = args.note;
    auto recorder = Recorder::start(args.output, header, &error);
    if (!recorder) {
        err << "rcrt-tap record: " << error << '\n';
        return 1;
    }

    int exitCode = 0;
    TapStream stream(*connection, options, args.history, QStringLiteral("record"), &exitCode);
    EventStore &store = stream.store;
    LiveSource &live = stream.live;
    ClockOffsetEstimate offset;
    // Every delivery goes to the file (repeats too: they are part of what happened).
    QObject::connect(&live, &LiveSource::eventsReceived, recorder.get(), &Recorder::appendEvents);
    QObject::connect(&live, &LiveSource::logMessage, recorder.get(), &Recorder::appendLogMessage);
    QObject::connect(recorder.get(), &Recorder::writeFailed, &store, [&](const QString &message) {
        err << "rcrt-tap record: cannot write " << args.output << ": " << message << '\n';
        exitCode = 1;
        QCoreApplication::quit();
    });
    QObject::connect(&store, &EventStore::batchReady, &store, [&](const EventBatch &batch) {
        for (const PingRecord &ping : batch.pings)
            offset.add(ping);
        if (!args.print)
            return;
        QByteArray out;
        for (const EventRecord &record : batch.records)
            out += formatEventLine(record, record.first, options.json);
        std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
        std::fflush(stdout);
    });

    const qint64 startNs = nowNs();
    err << "# recording to " << args.output << '\n';
    err.flush();
    stream.run(args.durationS);
    if (const auto estimate = offset.value())
        recorder->setClockOffsetNs(*estimate);
    const qint64 events = recorder->eventCount();
    const qint64 bytes = recorder->bytesWritten();
    if (!recorder->stop())
        exitCode = 1;
    err << "# recorded " << events << " events (" << bytes << " payload bytes) in "
        << QString::number(double(nowNs() - startNs) / 1e9, 'f', 1) << " s to " << args.output << '\n';
    return exitCode;
}

} // namespace rcrt::cli
