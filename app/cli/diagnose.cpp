#include "app/cli/diagnose.h"

#include "app/cli/interrupt.h"
#include "app/cli/tapconnection.h"
#include "app/doctorlive.h"
#include "app/session/sessionreader.h"
#include "model/eventstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

namespace rcrt::cli {

namespace {

struct DiagnoseArgs
{
    QString file;
    double durationS = 10;
    bool probe = true;
    int probes = 3;
    qint64 timeoutMs = 60'000;
    int consumerDelayMs = 0;
    int watchdogMs = 0; // 0: the client's default
};

// 0: parsed; -1: help shown; else the exit code.
int parseDiagnoseArgs(const QStringList &args, DiagnoseArgs &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Explains delivery problems with evidence (docs/diagnosis.md): live for --duration seconds "
        "(sending a few probes unless --no-probe, then reconciling the stream against a REST "
        "re-list), or from a session FILE. Exit 0 when healthy, 1 when any finding is a warning "
        "or worse."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A session file (rcrt-tap record)."),
                                 QStringLiteral("[FILE]"));
    parser.addOptions({
        {QStringLiteral("duration"), QStringLiteral("Live: watch this long, seconds (default 10)."), QStringLiteral("S")},
        {QStringLiteral("no-probe"), QStringLiteral("Live: send no probe breadcrumbs.")},
        {QStringLiteral("probes"), QStringLiteral("Live: probes to send (default 3)."), QStringLiteral("N")},
        {QStringLiteral("timeout-ms"), QStringLiteral("The requesters' timeout for tool requests (default 60000)."),
         QStringLiteral("MS")},
        {QStringLiteral("watchdog"), QStringLiteral("Live: reconnect after S seconds of silence (default 15). "
                                                    "Raise it above a proxy's buffering period to "
                                                    "measure that period."),
         QStringLiteral("S")},
        {QStringLiteral("consumer-delay-ms"), QStringLiteral("Testing the doctor: hold the console for MS after "
                                                             "every batch, like a console that falls behind."),
         QStringLiteral("MS")},
    });
    QTextStream err(stderr);
    if (!parser.parse(QStringList{QStringLiteral("rcrt-tap diagnose")} + args)) {
        err << "rcrt-tap diagnose: " << parser.errorText() << '\n';
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return -1;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        err << "rcrt-tap diagnose: one FILE at most\n";
        return 2;
    }
    if (!positional.isEmpty()) {
        out.file = positional.first();
        if (parser.isSet(QStringLiteral("duration"))) {
            err << "rcrt-tap diagnose: --duration is for a live connection, not with a FILE\n";
            return 2;
        }
    }
    bool ok = true;
    if (parser.isSet(QStringLiteral("duration")))
        out.durationS = parser.value(QStringLiteral("duration")).toDouble(&ok);
    if (ok && parser.isSet(QStringLiteral("probes")))
        out.probes = parser.value(QStringLiteral("probes")).toInt(&ok);
    if (ok && parser.isSet(QStringLiteral("timeout-ms")))
        out.timeoutMs = parser.value(QStringLiteral("timeout-ms")).toLongLong(&ok);
    if (ok && parser.isSet(QStringLiteral("consumer-delay-ms")))
        out.consumerDelayMs = parser.value(QStringLiteral("consumer-delay-ms")).toInt(&ok);
    if (!ok || out.durationS <= 0 || out.probes < 0 || out.timeoutMs <= 0 || out.consumerDelayMs < 0) {
        err << "rcrt-tap diagnose: --duration and --timeout-ms need positive numbers; --probes and "
               "--consumer-delay-ms non-negative ones\n";
        return 2;
    }
    out.probe = !parser.isSet(QStringLiteral("no-probe")) && out.probes > 0;
    if (parser.isSet(QStringLiteral("watchdog"))) {
        const double seconds = parser.value(QStringLiteral("watchdog")).toDouble(&ok);
        if (!ok || seconds < 1 || seconds > 3600) {
            err << "rcrt-tap diagnose: --watchdog needs seconds between 1 and 3600\n";
            return 2;
        }
        out.watchdogMs = int(seconds * 1000);
    }
    return 0;
}

int report(const TapOptions &options, const Doctor &doctor, const QString &source)
{
    const QList<Finding> &findings = doctor.findings();
    QTextStream out(stdout);
    if (options.json) {
        out << QJsonDocument(diagnosisToJson(findings, doctor.measures())).toJson(QJsonDocument::Compact) << '\n';
    } else {
        const DeliveryStats &s = doctor.stats();
        const DeliveryStats::LagSummary lag = s.lagSummary();
        out << "diagnosis of " << source << ": " << s.eventCount() << " events, " << s.pingCount()
            << " pings; lag p50 " << QString::number(lag.ms.p50, 'f', 1) << " ms, p95 "
            << QString::number(lag.ms.p95, 'f', 1) << " ms (clock offset " << lag.offset.toString() << ")\n";
        if (findings.isEmpty())
            out << "healthy: no finding\n";
        for (const Finding &f : findings)
            out << '\n' << f.toText();
    }
    out.flush();
    return worstSeverity(findings) >= Severity::Warning ? 1 : 0;
}

int diagnoseFile(const TapOptions &options, const DiagnoseArgs &args)
{
    QTextStream err(stderr);
    QString error;
    auto reader = SessionReader::open(args.file, &error);
    if (!reader) {
        err << "rcrt-tap diagnose: " << error << '\n';
        return 2;
    }
    Doctor doctor;
    doctor.setMode(Doctor::Mode::Replay);
    PendingOptions pending = doctor.flows().pendingOptions();
    pending.defaultTimeoutMs = args.timeoutMs;
    doctor.flows().setPendingOptions(pending);
    const qint64 endNs = reader->lastArrivalNs();
    doctor.flows().setClock([endNs] { return endNs; });
    doctor.setAnalysisTimeNs(endNs);

    EventStore store;
    QObject::connect(&store, &EventStore::batchReady, &doctor, &Doctor::addBatch);
    constexpr qint64 kChunk = 10'000;
    for (qint64 row = 0; row < reader->eventCount(); row += kChunk) {
        store.ingestBatch(reader->readEvents(row, kChunk));
        store.flush();
    }
    for (const auto &[atNs, json] : reader->probes()) {
        QString probeError;
        if (const auto p = ProbeOutcome::fromJson(json, &probeError))
            doctor.addProbe(*p);
        else
            err << "# skipped a probe record at " << atNs << ": " << probeError << '\n';
    }
    for (const QString &problem : reader->problems())
        err << "# " << problem << '\n';
    err.flush();
    doctor.refresh();
    return report(options, doctor, args.file);
}

int diagnoseLive(const TapOptions &options, const DiagnoseArgs &args)
{
    QTextStream err(stderr);
    QString error;
    auto connection = TapConnection::open(options, &error);
    if (!connection) {
        err << "rcrt-tap diagnose: " << error << '\n';
        return 1;
    }
    DoctorLive live(&connection->rest());
    live.setConsumerDelay(args.consumerDelayMs, nowNs() + qint64(args.durationS * 1e9));
    Doctor &doctor = live.doctor();
    PendingOptions pending = doctor.flows().pendingOptions();
    pending.defaultTimeoutMs = args.timeoutMs;
    doctor.flows().setPendingOptions(pending);
    // Probes travel over loopback-fast paths; a stream that owes one for 3 s is stalled (the
    // buffering rule stretches this by its period).
    doctor.options().probeLostAfterNs = 3'000'000'000;
    QObject::connect(&live, &DoctorLive::logMessage, &live, [&err](const QString &line) {
        err << "# " << line << '\n';
        err.flush();
    });
    if (args.probe) {
        QObject::connect(&live, &DoctorLive::streamOpened, &live, [&] {
            ProbeRunner::Options o;
            o.count = args.probes;
            o.intervalMs = 700;
            o.timeoutMs = int(args.durationS * 1000);
            live.probes().start(o);
        });
    }
    bool reconciling = false;
    const auto finish = [&] {
        doctor.setAnalysisTimeNs(nowNs());
        doctor.refresh();
        QCoreApplication::quit();
    };
    QObject::connect(&doctor, &Doctor::reconcileFinished, &live, [&](const ReconcileResult &r) {
        if (!r.error.isEmpty())
            err << "# re-list failed: " << r.error << '\n';
        finish();
    });
    QTimer::singleShot(qint64(args.durationS * 1000), &live, [&] {
        reconciling = true;
        live.probes().stop();
        doctor.startReconcile(&connection->rest());
        QTimer::singleShot(10'000, &live, finish); // a hung re-list must not hang the command
    });
    quitEventLoopOnInterrupt();
    ConnectionSettings settings = doctorConnectionSettings(options, *connection);
    settings.watchdogMs = args.watchdogMs;
    live.start(settings);
    QCoreApplication::exec();
    live.stop();
    if (!reconciling) // interrupted
        finish();
    return report(options, doctor, options.url.toString());
}

} // namespace

ConnectionSettings doctorConnectionSettings(const TapOptions &options, TapConnection &connection)
{
    ConnectionSettings s;
    s.url = options.url;
    if (options.token.isEmpty() && options.tokenFile.isEmpty() && !options.ownerId.isEmpty()) {
        s.auth = ConnectionSettings::Auth::Mint;
        s.ownerId = options.ownerId;
        s.agentId = options.agentId;
        s.roles = options.roles;
    } else if (connection.tokens().hasToken()) {
        s.auth = ConnectionSettings::Auth::Token;
        s.token = connection.tokens().token();
    }
    return s;
}

int runDiagnose(const TapOptions &options, const QStringList &rawArgs)
{
    DiagnoseArgs args;
    if (const int rc = parseDiagnoseArgs(rawArgs, args); rc != 0)
        return rc < 0 ? 0 : rc;
    return args.file.isEmpty() ? diagnoseLive(options, args) : diagnoseFile(options, args);
}

} // namespace rcrt::cli
