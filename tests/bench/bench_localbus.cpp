// Tool round trip through the local bus beside the same round trip over SSE, on loopback
// through rcrt-sim (--no-runner: the console's runner answers). Prints figures; never run by
// ctest. Usage: bench_localbus [--count N]
//
// Intervals (console clock, one process, one thread, requests one at a time):
//  local: a ToolInvocation's request published on the local bus (at the POST's acknowledgement)
//         → its response published on the local bus. Covers the runner's filter and decision
//         (no existing-response lookup: the request is this process's own, fresh), the echo
//         tool (a zero-delay timer), and the response's POST /breadcrumbs round trip on
//         loopback: the local bus publishes only what the server acknowledged.
//  sse:   the requester's SSE arrival of the request → its SSE arrival of the response, while
//         a second node's runner sees requests only by SSE (and so first asks the server for
//         an existing response: one GET, as any restart-safe runner must; the real runner GETs
//         /full per event).
//  ack:   POST /breadcrumbs sent → 200 received (the request writes), for scale.
//  inproc: the in-process share of `local`: request published on the local bus → the
//         runner's response POST handed to the network (filter, state, schema check, tool run
//         through a zero-delay timer, response body). local ≈ inproc + one POST round trip.

#include "app/localwiring.h"
#include "model/percentiles.h"
#include "support/simprocess.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>
#include <QNetworkAccessManager>
#include <QTest>

#include <cstdio>
#include <vector>

using namespace rcrt;

namespace {

void print(const char *label, std::vector<float> &ms)
{
    const PercentileSummary s = exactPercentiles(ms);
    std::printf("%-6s n=%-5lld p50=%8.3f ms  p99=%8.3f ms  min=%8.3f ms  max=%8.3f ms\n", label,
                static_cast<long long>(s.count), s.p50, s.p99, s.min, s.max);
}

float msBetween(qint64 fromNs, qint64 toNs)
{
    return float(double(toNs - fromNs) / 1e6);
}

RunnerOptions quietRunner()
{
    RunnerOptions o;
    o.publishCatalog = false;
    return o;
}

// Sends `count` echo invocations one at a time from `requester`; collects the intervals.
bool runInvocations(LocalNode &requester, int count, bool overSse, std::vector<float> &roundTrip,
                    std::vector<float> &ack, std::vector<float> *inProcess = nullptr)
{
    // The runner's response write as the writer reports it (one request at a time).
    WriteReport lastResponse;
    const QMetaObject::Connection watch = QObject::connect(
        &requester.writer(), &BreadcrumbWriter::written, &requester, [&](const WriteReport &r) {
            if (r.localEvent.raw.contains("\"tool.response.v1\""))
                lastResponse = r;
        });
    for (int i = 0; i < count; ++i) {
        ToolInvocation *inv = requester.invoke(QStringLiteral("echo"),
                                               QJsonObject{{QStringLiteral("message"), QStringLiteral("bench %1").arg(i)}},
                                               QStringLiteral("workspace:tools"), 10000);
        const InvocationTimeline &t = inv->timeline();
        // An event loop that quits on the signals: QTest::qWaitFor sleeps between polls, which
        // would be measured.
        auto complete = [&] { return inv->isFinished() && (!overSse || (t.requestSseNs && t.responseSseNs)); };
        QEventLoop loop;
        QObject::connect(inv, &ToolInvocation::finished, &loop, [&] { if (complete()) loop.quit(); });
        QObject::connect(inv, &ToolInvocation::timelineChanged, &loop, [&] { if (complete()) loop.quit(); });
        QTimer::singleShot(10000, &loop, &QEventLoop::quit);
        if (!complete())
            loop.exec();
        const bool done = complete();
        if (!done || inv->status() != ToolInvocation::Status::Success) {
            std::fprintf(stderr, "invocation %d: %s %s\n", i, qPrintable(ToolInvocation::statusName(inv->status())),
                         qPrintable(inv->error()));
            return false;
        }
        if (overSse)
            roundTrip.push_back(msBetween(t.requestSseNs, t.responseSseNs));
        else
            roundTrip.push_back(msBetween(t.requestLocalNs, t.responseLocalNs));
        ack.push_back(msBetween(t.sentNs, t.ackNs));
        if (inProcess && lastResponse.sentNs)
            inProcess->push_back(msBetween(t.requestLocalNs, lastResponse.sentNs));
        delete inv;
    }
    QObject::disconnect(watch);
    return true;
}

// Cost of what LocalNode adds to the ingest path: every SSE event also goes through the
// EventWaiter (history) and, when enabled, the runner's filter. Events/s over RCRT-shaped
// payloads that match nothing (the common case), nobody waiting.
void feedThroughput(int count)
{
    QList<StreamEvent> events;
    events.reserve(count);
    for (int i = 0; i < count; ++i) {
        const QByteArray raw = QStringLiteral(
            R"({"breadcrumb_id":"%1","owner_id":"00000000-0000-0000-0000-000000000001","version":1,)"
            R"("tags":["agent:response","chat:output"],"schema_name":"agent.response.v1",)"
            R"("updated_at":"2025-11-07T10:30:04.742590Z","context":{"message":"tool result %2",)"
            R"("timestamp":"2025-11-07T10:30:04.735Z","creator":{"type":"agent","agent_id":"a"}},"type":"breadcrumb.updated"})")
                                   .arg(QUuid::createUuid().toString(QUuid::WithoutBraces)).arg(i).toUtf8();
        events.append(StreamEvent{nowNs(), EventSource::Sse, raw});
    }
    QNetworkAccessManager nam;
    RestClient rest(&nam, QUrl(QStringLiteral("http://127.0.0.1:1")), nullptr);
    for (const bool runner : {false, true}) {
        LocalNode node(&rest);
        if (runner)
            node.setRunnerEnabled(true, quietRunner());
        const qint64 start = nowNs();
        node.feed(events);
        const double seconds = double(nowNs() - start) / 1e9;
        std::printf("LocalNode::feed, runner %-3s: %.2f M events/s (%d events, %.0f ns each)\n", runner ? "on" : "off",
                    count / seconds / 1e6, count, seconds * 1e9 / count);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("rcrt.*.debug=false\nrcrt.*.info=false"));
    int count = 1000;
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(QStringLiteral("--count")); i > 0 && i + 1 < args.size())
        count = std::max(1, args.at(i + 1).toInt());

    test::SimProcess sim;
    if (!sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")})) {
        std::fprintf(stderr, "%s\n", qPrintable(sim.error()));
        return 1;
    }
    QNetworkAccessManager nam;

    std::vector<float> local, localAck, inProcess;
    {
        RestClient rest(&nam, sim.url(), nullptr);
        LocalNode node(&rest); // no SSE at all: only the local bus
        node.setRunnerEnabled(true, quietRunner());
        runInvocations(node, 20, false, local, localAck); // warm-up
        local.clear();
        localAck.clear();
        if (!runInvocations(node, count, false, local, localAck, &inProcess))
            return 1;
    }

    std::vector<float> sse, sseAck;
    {
        // The requester: SSE in, no runner. The runner: another node that sees requests by SSE.
        RestClient requesterRest(&nam, sim.url(), nullptr);
        EventStore requesterStore;
        LocalNode requester(&requesterRest);
        LiveSource requesterLive(&nam, sim.url(), nullptr, heldStateOf(requesterStore));
        connectLocalNode(requesterLive, requesterStore, requester);

        RestClient runnerRest(&nam, sim.url(), nullptr);
        EventStore runnerStore;
        LocalNode runner(&runnerRest);
        LiveSource runnerLive(&nam, sim.url(), nullptr, heldStateOf(runnerStore));
        connectLocalNode(runnerLive, runnerStore, runner);
        runner.setRunnerEnabled(true, quietRunner());

        requesterLive.start();
        runnerLive.start();
        if (!QTest::qWaitFor([&] {
                return requesterLive.sse().state() == SseClient::State::Open
                    && runnerLive.sse().state() == SseClient::State::Open;
            }, 10000))
            return 1;
        runInvocations(requester, 20, true, sse, sseAck);
        sse.clear();
        sseAck.clear();
        if (!runInvocations(requester, count, true, sse, sseAck))
            return 1;
        requesterLive.stop();
        runnerLive.stop();
    }

    std::printf("tool round trip, echo, one request at a time, rcrt-sim on loopback (%d each):\n", count);
    print("local", local);
    print("sse", sse);
    print("ack", localAck);
    print("inproc", inProcess);
    feedThroughput(500'000);
    return 0;
}
