#include "simoptions.h"

#include <QCommandLineParser>
#include <QRandomGenerator>

#include <cstdio>
#include <limits>

namespace rcrt::sim {
namespace {

struct Flag
{
    const char *name;
    const char *valueName; // nullptr for a switch
    const char *help;
};

// One table so --help and the parser never disagree.
constexpr Flag kFlags[] = {
    {"port", "N", "TCP port on 127.0.0.1 (default 8081; 0 picks a free port)."},
    {"auth", "MODE", "disabled (default; identity from --owner-id/--agent-id, all roles) or jwt "
                     "(RS256 tokens from POST /auth/token, key generated at startup)."},
    {"owner-id", "UUID", "Owner (tenant) of disabled-mode callers and of workload writes "
                         "(default 00000000-0000-0000-0000-000000000001)."},
    {"agent-id", "UUID", "Agent of disabled-mode callers (default nil UUID)."},
    {"ping-ms", "MS", "Interval of the stream's JSON ping; the first ping is sent at connect "
                      "(default 5000)."},
    {"workload", "NAME", "none (default; empty store), demo (tool.code.v1 bootstrap, then the §6 "
                         "ecosystem every 6 s) or load (RCRT-shaped writes at --rate; writes its "
                         "own responses, no runner)."},
    {"rate", "N", "Writes per second for --workload load (default 1000)."},
    {"events", "N", "Stop the load workload after N writes (default: never)."},
    {"no-runner", nullptr, "Do not simulate the tools-runner (it answers tool.request.v1 + "
                           "tool:request + workspace:tools; built-in tools: echo, random, "
                           "calculator, timer, workflow, openrouter; others need a tool.code.v1)."},
    {"runner-slots", "N", "Concurrent executions of the simulated tools-runner (default 5, "
                          "like the Deno runtime); extra requests queue."},
    {"delay-ms", "D", "Fault: deliver every breadcrumb event D ms late (pings on time)."},
    {"buffer-ms", "W", "Fault: hold all stream output (pings too) and flush every W ms, "
                       "like a buffering proxy."},
    {"stall-after", "N", "Fault: after N breadcrumb events on a connection only pings flow."},
    {"drop-after", "N", "Fault: end the stream cleanly after N breadcrumb events."},
    {"dup-selectors", "N", "Fault: deliver every event N extra times, as if N selectors matched."},
    {"garbage-every", "N", "Fault: after every N events write a data: line that is not JSON."},
    {"split-frames", nullptr, "Fault: write frames in small pieces (each its own chunk and "
                              "send), also inside multi-byte UTF-8 characters."},
    {"seed", "S", "Seed of every random choice (ids, timings, splits); default random."},
    {"jwt-leeway-s", "S", "Leeway for exp checks in jwt mode (default 60, as jsonwebtoken)."},
    {"token-ttl-s", "S", "Lifetime of minted tokens when the request names no ttl_sec "
                         "(default 3600, as the real server)."},
    {"stream-status", "CODE", "Answer /events/stream with this status and a short text body."},
    {"stream-content-type", "TYPE", "Stream with this content type instead of "
                                    "text/event-stream."},
    {"max-breadcrumbs", "N", "Keep at most N breadcrumbs, evicting the least recently updated "
                             "silently like hygiene (default 200000)."},
    {"clock-skew-ms", "MS", "Fault: the server's clock (updated_at, ping ts) runs MS ahead of this "
                            "machine's; negative: behind."},
    {"quiet", nullptr, "Log warnings only."},
};

QString flagName(const Flag &flag) { return QString::fromLatin1(flag.name); }

bool fail(const QString &message)
{
    std::fprintf(stderr, "rcrt-sim: %s\n", qPrintable(message));
    return false;
}

template<typename T>
bool readNumber(const QCommandLineParser &parser, const char *name, T &out, qint64 min, qint64 max)
{
    const QString key = QString::fromLatin1(name);
    if (!parser.isSet(key))
        return true;
    bool ok = false;
    const qint64 value = parser.value(key).toLongLong(&ok);
    if (!ok || value < min || value > max)
        return fail(QStringLiteral("--%1 needs an integer in [%2, %3]").arg(key).arg(min).arg(max));
    out = static_cast<T>(value);
    return true;
}

bool readUuid(const QCommandLineParser &parser, const char *name, QUuid &out)
{
    const QString key = QString::fromLatin1(name);
    if (!parser.isSet(key))
        return true;
    const QUuid uuid(parser.value(key));
    if (uuid.isNull() && parser.value(key) != QStringLiteral("00000000-0000-0000-0000-000000000000"))
        return fail(QStringLiteral("--%1 needs a UUID").arg(key));
    out = uuid;
    return true;
}

} // namespace

std::optional<SimOptions> parseSimOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "rcrt-sim: an RCRT-compatible server (REST, RS256 auth, SSE stream) on 127.0.0.1 with "
        "demo/load workloads, a simulated tools-runner and stream fault injection.\n"
        "The first stdout line is 'rcrt-sim listening on http://127.0.0.1:PORT'; logs go to stderr.\n"
        "Examples:\n"
        "  rcrt-sim --workload demo                      the demo ecosystem on port 8081\n"
        "  rcrt-sim --port 0 --workload load --rate 200000   stream throughput\n"
        "  rcrt-sim --workload demo --runner-slots 1      workflow steps starve: 60 s timeouts\n"
        "  rcrt-sim --workload demo --buffer-ms 60000     a buffering proxy: minute-long bursts\n"
        "  rcrt-sim --auth jwt --jwt-leeway-s 0           expiring tokens as the real server checks"));
    parser.addHelpOption();
    parser.addVersionOption();
    for (const Flag &flag : kFlags) {
        if (flag.valueName)
            parser.addOption({flagName(flag), QString::fromUtf8(flag.help),
                              QString::fromLatin1(flag.valueName)});
        else
            parser.addOption({flagName(flag), QString::fromUtf8(flag.help)});
    }
    parser.process(arguments);
    if (!parser.positionalArguments().isEmpty()) {
        fail(QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().first()));
        return std::nullopt;
    }

    SimOptions o;
    bool ok = readNumber(parser, "port", o.port, 0, 65535)
        && readNumber(parser, "ping-ms", o.pingMs, 1, 3600000)
        && readNumber(parser, "events", o.events, 0, std::numeric_limits<qint64>::max())
        && readNumber(parser, "runner-slots", o.runnerSlots, 1, 1000)
        && readNumber(parser, "delay-ms", o.delayMs, 0, 3600000)
        && readNumber(parser, "buffer-ms", o.bufferMs, 0, 3600000)
        && readNumber(parser, "stall-after", o.stallAfter, 0, std::numeric_limits<qint64>::max())
        && readNumber(parser, "drop-after", o.dropAfter, 0, std::numeric_limits<qint64>::max())
        && readNumber(parser, "dup-selectors", o.dupSelectors, 0, 1000)
        && readNumber(parser, "garbage-every", o.garbageEvery, 0, 1000000000)
        && readNumber(parser, "jwt-leeway-s", o.jwtLeewayS, 0, 1000000)
        && readNumber(parser, "token-ttl-s", o.tokenTtlS, 1, 100000000)
        && readNumber(parser, "stream-status", o.streamStatus, 100, 599)
        && readNumber(parser, "max-breadcrumbs", o.maxBreadcrumbs, 1, 100000000)
        && readNumber(parser, "clock-skew-ms", o.clockSkewMs, -86400000, 86400000)
        && readUuid(parser, "owner-id", o.ownerId) && readUuid(parser, "agent-id", o.agentId);
    if (!ok)
        return std::nullopt;

    if (parser.isSet(QStringLiteral("rate"))) {
        o.rate = parser.value(QStringLiteral("rate")).toDouble(&ok);
        if (!ok || o.rate <= 0 || o.rate > 1e8) {
            fail(QStringLiteral("--rate needs a positive number"));
            return std::nullopt;
        }
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        o.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            fail(QStringLiteral("--seed needs an unsigned integer"));
            return std::nullopt;
        }
        o.seedGiven = true;
    } else {
        o.seed = QRandomGenerator::system()->generate64();
    }

    const QString auth = parser.value(QStringLiteral("auth"));
    if (auth.isEmpty() || auth == QStringLiteral("disabled"))
        o.auth = AuthMode::Disabled;
    else if (auth == QStringLiteral("jwt"))
        o.auth = AuthMode::Jwt;
    else {
        fail(QStringLiteral("--auth is disabled or jwt"));
        return std::nullopt;
    }

    const QString workload = parser.value(QStringLiteral("workload"));
    if (workload.isEmpty() || workload == QStringLiteral("none"))
        o.workload = Workload::None;
    else if (workload == QStringLiteral("demo"))
        o.workload = Workload::Demo;
    else if (workload == QStringLiteral("load"))
        o.workload = Workload::Load;
    else {
        fail(QStringLiteral("--workload is none, demo or load"));
        return std::nullopt;
    }

    o.runner = !parser.isSet(QStringLiteral("no-runner"));
    o.splitFrames = parser.isSet(QStringLiteral("split-frames"));
    o.quiet = parser.isSet(QStringLiteral("quiet"));
    if (parser.isSet(QStringLiteral("stream-content-type")))
        o.streamContentType = parser.value(QStringLiteral("stream-content-type")).toUtf8();
    return o;
}

} // namespace rcrt::sim
