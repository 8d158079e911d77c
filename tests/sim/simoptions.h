#pragma once

#include <QString>
#include <QStringList>
#include <QUuid>

#include <optional>

namespace rcrt::sim {

enum class AuthMode { Disabled, Jwt };
enum class Workload { None, Demo, Load };

// Everything rcrt-sim can be told on its command line. Faults apply per stream connection so
// that a test can reproduce one incident shape at a time (rcrt-protocol.md §8.2).
struct SimOptions
{
    quint16 port = 8081;
    AuthMode auth = AuthMode::Disabled;
    QUuid ownerId{QStringLiteral("00000000-0000-0000-0000-000000000001")};
    QUuid agentId; // nil, like the real server without AGENT_ID
    int pingMs = 5000;
    Workload workload = Workload::None;
    double rate = 1000.0;
    qint64 events = 0; // 0 = unlimited
    bool runner = true;
    int runnerSlots = 5;
    int delayMs = 0;
    int bufferMs = 0;
    qint64 stallAfter = -1;
    qint64 dropAfter = -1;
    int dupSelectors = 0;
    int garbageEvery = 0;
    bool splitFrames = false;
    quint64 seed = 0;
    bool seedGiven = false;
    int jwtLeewayS = 60;
    int tokenTtlS = 3600; // lifetime of a minted token when the request names no ttl_sec
    int streamStatus = 0; // 0 = stream normally
    QByteArray streamContentType = "text/event-stream";
    int maxBreadcrumbs = 200000;
    qint64 clockSkewMs = 0; // the server clock's offset from the machine's
    bool quiet = false;
};

// Parses argv; on a usage error prints the message to stderr and returns nullopt.
// --help / --version exit the process from inside (QCommandLineParser behaviour).
std::optional<SimOptions> parseSimOptions(const QStringList &arguments);

} // namespace rcrt::sim
