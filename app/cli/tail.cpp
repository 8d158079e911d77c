#include "app/cli/tail.h"

#include "app/cli/eventformat.h"
#include "app/cli/jsonout.h"
#include "app/cli/tailsummary.h"
#include "app/cli/tapconnection.h"
#include "app/cli/tapstream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace rcrt::cli {

namespace {

struct TailArgs
{
    qint64 count = 0; // 0: no limit
    double durationS = 0; // 0: no limit
    QByteArray schema;
    QByteArray tag;
    bool pings = false;
    bool summary = false;
    int history = 0;
};

bool parseTailArgs(const QStringList &args, TailArgs &out)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("count"), QStringLiteral("Exit after N breadcrumb events."), QStringLiteral("N")},
        {QStringLiteral("duration"), QStringLiteral("Exit after S seconds."), QStringLiteral("S")},
        {QStringLiteral("schema"), QStringLiteral("Only events of this schema_name."), QStringLiteral("NAME")},
        {QStringLiteral("tag"), QStringLiteral("Only events with this tag."), QStringLiteral("TAG")},
        {QStringLiteral("pings"), QStringLiteral("Print pings too.")},
        {QStringLiteral("history"), QStringLiteral("Load the N newest breadcrumbs first."), QStringLiteral("N")},
        {QStringLiteral("summary"), QStringLiteral("Print a summary at the end.")},
    });
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap tail")} + args)) {
        err << "rcrt-tap tail: " << parser.errorText() << '\n';
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return false;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "rcrt-tap tail: unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return false;
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("count")))
        out.count = parser.value(QStringLiteral("count")).toLongLong(&ok);
    if (ok && parser.isSet(QStringLiteral("duration")))
        out.durationS = parser.value(QStringLiteral("duration")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("history")))
        out.history = parser.value(QStringLiteral("history")).toInt(&ok);
    if (!ok || out.count < 0 || out.durationS < 0 || out.history < 0) {
        err << "rcrt-tap tail: --count, --duration and --history take non-negative numbers\n";
        return false;
    }
    out.schema = parser.value(QStringLiteral("schema")).toUtf8();
    out.tag = parser.value(QStringLiteral("tag")).toUtf8();
    out.pings = parser.isSet(QStringLiteral("pings"));
    out.summary = parser.isSet(QStringLiteral("summary"));
    return true;
}

bool matches(const TailArgs &args, const Envelope &e)
{
    if (!args.schema.isEmpty() && e.schemaName != args.schema)
        return false;
    return args.tag.isEmpty() || e.hasTag(args.tag);
}

void writeOut(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

int runTail(const TapOptions &options, const QStringList &rawArgs)
{
    TailArgs args;
    if (!parseTailArgs(rawArgs, args))
        return rawArgs.contains(QStringLiteral("--help")) ? 0 : 2;

    QTextStream err(stderr);
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap tail: " << error << '\n';
        return 1;
    }

    int exitCode = 0;
    TapStream stream(*connection, options, args.history, QStringLiteral("tail"), &exitCode);
    EventStore &store = stream.store;
    LiveSource &live = stream.live;

    TailSummary summary;
    qint64 printed = 0;
    const qint64 startNs = nowNs();

    QObject::connect(&store, &EventStore::batchReady, &store, [&](const EventBatch &batch) {
        QByteArray out;
        for (const RejectRecord &reject : batch.rejects)
            err << "# rejected payload (" << sourceName(reject.source) << "): " << reject.error << '\n';
        err.flush();
        summary.add(batch);
        if (args.pings) {
            for (const PingRecord &ping : batch.pings)
                out += formatPingLine(ping, options.json);
        }
        for (const EventRecord &record : batch.records) {
            if (args.count > 0 && printed >= args.count)
                break;
            if (!matches(args, record.envelope))
                continue;
            out += formatEventLine(record, record.first, options.json);
            ++printed;
        }
        writeOut(out);
        // Checked here too: under a flood of network events a timer can fire late.
        const bool timeUp = args.durationS > 0 && double(nowNs() - startNs) / 1e9 >= args.durationS;
        if ((args.count > 0 && printed >= args.count) || timeUp)
            QCoreApplication::quit();
    });

    stream.run(args.durationS);

    if (args.summary) {
        summary.setConnection(live.sse().connectCount(), live.sse().reconnectCount(), live.backfillCount());
        writeOut(options.json ? summary.toJson(nowNs() - startNs) : summary.toText(nowNs() - startNs));
    }
    return exitCode;
}

} // namespace rcrt::cli
