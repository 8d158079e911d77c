#include "app/cli/probe.h"

#include "app/cli/diagnose.h"
#include "app/cli/interrupt.h"
#include "app/cli/tapconnection.h"
#include "app/doctorlive.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimer>

#include <type_traits>

namespace rcrt::cli {

namespace {

struct ProbeArgs
{
    ProbeRunner::Options run;
    double maxP99Ms = -1; // < 0: no limit
};

// 0: parsed; otherwise the exit code (0 for --help).
int parseProbeArgs(const QStringList &args, ProbeArgs &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Writes console.probe.v1 breadcrumbs (tag console:probe, ttl +10 min) and times each on this "
        "machine's clock: write sent -> acknowledged -> event on the local bus (the probes are written "
        "through this process's own node) -> event on the stream. Exit 1 when a probe is lost or p99 "
        "(sent -> stream) exceeds --max-p99."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("count"), QStringLiteral("Probes to send (default 5)."), QStringLiteral("N")},
        {QStringLiteral("interval"), QStringLiteral("Between probes, ms (default 500)."), QStringLiteral("MS")},
        {QStringLiteral("timeout"), QStringLiteral("A probe not on the stream this long after its ack is lost; "
                                                   "also the wait for the stream to open (default 10000)."), QStringLiteral("MS")},
        {QStringLiteral("max-p99"), QStringLiteral("Fail when p99 of sent -> stream exceeds this, ms."), QStringLiteral("MS")},
    });
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap probe")} + args)) {
        err << "rcrt-tap probe: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return -1;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << "rcrt-tap probe: unexpected argument '" << parser.positionalArguments().first() << "'\n";
        return 2;
    }
    bool ok = true;
    const auto number = [&](const char *name, auto &target, double min) {
        const QString key = QLatin1String(name);
        if (!ok || !parser.isSet(key))
            return;
        const double v = parser.value(key).toDouble(&ok);
        ok = ok && v >= min;
        target = static_cast<std::remove_reference_t<decltype(target)>>(v);
    };
    number("count", out.run.count, 1);
    number("interval", out.run.intervalMs, 0);
    number("timeout", out.run.timeoutMs, 1);
    number("max-p99", out.maxP99Ms, 0);
    if (!ok) {
        err << "rcrt-tap probe: --count needs a number >= 1; --interval, --timeout and --max-p99 "
               "non-negative numbers\n";
        return 2;
    }
    return 0;
}

QJsonObject percentilesJson(const PercentileSummary &p)
{
    return QJsonObject{{QStringLiteral("count"), p.count}, {QStringLiteral("p50"), p.p50},
                       {QStringLiteral("p95"), p.p95},     {QStringLiteral("p99"), p.p99},
                       {QStringLiteral("max"), p.max}};
}

QString percentilesText(const PercentileSummary &p)
{
    if (p.count == 0)
        return QStringLiteral("(none)");
    return QStringLiteral("p50 %1 ms  p95 %2 ms  p99 %3 ms  max %4 ms")
        .arg(p.p50, 0, 'f', 1)
        .arg(p.p95, 0, 'f', 1)
        .arg(p.p99, 0, 'f', 1)
        .arg(p.max, 0, 'f', 1);
}

} // namespace

int runProbe(const TapOptions &options, const QStringList &rawArgs)
{
    ProbeArgs args;
    if (const int rc = parseProbeArgs(rawArgs, args); rc != 0)
        return rc < 0 ? 0 : rc;
    QTextStream err(stderr);
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap probe: " << error << '\n';
        return 1;
    }
    DoctorLive live(&connection->rest());
    QObject::connect(&live, &DoctorLive::logMessage, &live, [&err](const QString &line) {
        err << "# " << line << '\n';
        err.flush();
    });
    QObject::connect(&live, &DoctorLive::streamOpened, &live, [&] { live.probes().start(args.run); });
    QObject::connect(&live.probes(), &ProbeRunner::finished, &live, [] { QCoreApplication::quit(); });
    QObject::connect(&live.probes(), &ProbeRunner::probeUpdated, &live, [&err](const ProbeOutcome &p) {
        if (!p.error.isEmpty())
            err << "# probe write failed: " << p.error << '\n';
        err.flush();
    });
    bool openTimedOut = false;
    QTimer::singleShot(args.run.timeoutMs, &live, [&] {
        if (!live.everOpened()) {
            openTimedOut = true;
            QCoreApplication::quit();
        }
    });
    quitEventLoopOnInterrupt();
    live.start(doctorConnectionSettings(options, *connection));
    QCoreApplication::exec();
    live.stop();
    if (openTimedOut) {
        err << "rcrt-tap probe: the stream did not open within " << args.run.timeoutMs << " ms; nothing was sent\n";
        return 1;
    }

    const ProbeSummary s = live.probes().summary();
    const ClockOffsetEstimator::Estimate offset = live.doctor().stats().clock().probeEstimate();
    const bool tooSlow = args.maxP99Ms >= 0 && s.streamMs.count > 0 && s.streamMs.p99 > args.maxP99Ms;
    const int lostOrFailed = (s.sent - s.seen);
    QTextStream out(stdout);
    if (options.json) {
        QJsonArray probes;
        for (const ProbeOutcome &p : live.probes().outcomes()) {
            QJsonObject o{{QStringLiteral("breadcrumb_id"), QString::fromUtf8(p.breadcrumbId)},
                          {QStringLiteral("write_ms"), p.writeMs()},
                          {QStringLiteral("local_ms"), p.localMs()},
                          {QStringLiteral("stream_ms"), p.streamMs()}};
            if (!p.error.isEmpty())
                o.insert(QStringLiteral("error"), p.error);
            probes.append(o);
        }
        QJsonObject o{{QStringLiteral("sent"), s.sent},
                      {QStringLiteral("acknowledged"), s.acked},
                      {QStringLiteral("seen"), s.seen},
                      {QStringLiteral("lost"), s.sent - s.seen - s.failed},
                      {QStringLiteral("failed"), s.failed},
                      {QStringLiteral("stream_ms"), percentilesJson(s.streamMs)},
                      {QStringLiteral("write_ms"), percentilesJson(s.writeMs)},
                      {QStringLiteral("clock_offset_ms"), double(offset.offsetNs) / 1e6},
                      {QStringLiteral("clock_uncertainty_ms"), double(offset.uncertaintyNs) / 1e6},
                      {QStringLiteral("max_p99_exceeded"), tooSlow},
                      {QStringLiteral("probes"), probes}};
        if (s.local > 0) {
            o.insert(QStringLiteral("local"), s.local);
            o.insert(QStringLiteral("local_ms"), percentilesJson(s.localMs));
        }
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
    } else {
        out << "probes: " << s.sent << " sent, " << s.acked << " acknowledged, " << s.seen
            << " seen on the stream, " << (s.sent - s.seen - s.failed) << " lost, " << s.failed << " failed\n"
            << "sent -> acknowledged: " << percentilesText(s.writeMs) << '\n';
        if (s.local > 0)
            out << "sent -> local bus:    " << percentilesText(s.localMs) << '\n';
        out << "sent -> stream:       " << percentilesText(s.streamMs) << '\n'
            << "clock offset (server - console): " << offset.toString() << '\n';
        if (tooSlow)
            out << "p99 " << s.streamMs.p99 << " ms exceeds --max-p99 " << args.maxP99Ms << " ms\n";
    }
    out.flush();
    return (lostOrFailed > 0 || tooSlow) ? 1 : 0;
}

} // namespace rcrt::cli
