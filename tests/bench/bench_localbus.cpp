// Tool round trip through the local bus beside the same round trip over SSE, on loopback
// through rcrt-sim (--no-runner: the console's runner answers). Prints figures; never run by
// ctest. Usage: bench_localbus [--count N] [--no-feed] [--local-only] [--ack [PATH]]
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
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTest>

#include <cstdio>
#include <functional>
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

// The local round trip in three parts: inproc (request on the bus → response handed to the
// writer), post (the response's POST round trip), publish (its answer → response on the bus).
struct LocalParts
{
    std::vector<float> inproc, post, publish;
};

// Sends `count` echo invocations one at a time from `requester`; collects the intervals.
bool runInvocations(LocalNode &requester, int count, bool overSse, std::vector<float> &roundTrip,
                    std::vector<float> &ack, LocalParts *parts = nullptr)
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
        if (parts && lastResponse.sentNs) {
            parts->inproc.push_back(msBetween(t.requestLocalNs, lastResponse.sentNs));
            parts->post.push_back(msBetween(lastResponse.sentNs, lastResponse.ackNs));
            parts->publish.push_back(msBetween(lastResponse.ackNs, t.responseLocalNs));
        }
        delete inv;
    }
    QObject::disconnect(watch);
    return true;
}

// Where one acknowledged POST spends its time: the same create through RestClient over its
// HttpTransport (what the BreadcrumbWriter waits for), through RestClient over
// QNetworkAccessManager (the path before the transport), through a bare QNetworkAccessManager,
// and as raw bytes on one kept-alive QTcpSocket driven by this thread's event loop (the floor
// for any Qt client; the rest of it is rcrt-sim). `only` picks one path (for a profiler).
void ackBreakdown(const QUrl &url, int count, const QString &only)
{
    const QByteArray body = R"({"title":"ack","context":{"n":1},"tags":["bench:ack"],"schema_name":"bench.ack.v1"})";
    constexpr int warmUp = 20;
    // Runs `start` count + warmUp times, one at a time; `start` calls its argument when done.
    auto measure = [&](const std::function<void(const std::function<void()> &)> &start) {
        std::vector<float> ms;
        for (int i = 0; i < count + warmUp; ++i) {
            QEventLoop loop;
            qint64 end = 0;
            const qint64 begin = nowNs();
            start([&] {
                end = nowNs();
                loop.quit();
            });
            if (!end)
                loop.exec();
            if (i >= warmUp)
                ms.push_back(msBetween(begin, end));
        }
        return ms;
    };
    QNetworkAccessManager nam;
    auto restCall = [&](RestClient &client) {
        return [&](const std::function<void()> &done) {
            RestCall *call = client.createBreadcrumb(body);
            QObject::connect(call, &RestCall::finished, call, [done](const RestResult &result) {
                if (!result.ok())
                    std::fprintf(stderr, "POST failed: %s\n", qPrintable(result.error));
                done();
            });
        };
    };
    std::printf("one POST /breadcrumbs, call -> answer handed to the caller (%d each):\n", count);
    if (only.isEmpty() || only == u"rest") {
        RestClient client(&nam, url, nullptr);
        std::vector<float> ms = measure(restCall(client));
        print("rest", ms);
    }
    if (only.isEmpty() || only == u"rest-qnam") {
        RestClient client(&nam, url, nullptr);
        client.setHttpTransportEnabled(false);
        std::vector<float> ms = measure(restCall(client));
        print("restqn", ms);
    }
    if (only.isEmpty() || only == u"qnam") {
        QNetworkRequest request(RestClient::endpointUrl(url, QStringLiteral("/breadcrumbs")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        std::vector<float> ms = measure([&](const std::function<void()> &done) {
            QNetworkReply *reply = nam.post(request, body);
            QObject::connect(reply, &QNetworkReply::finished, reply, [reply, done] {
                reply->deleteLater();
                done();
            });
        });
        print("qnam", ms);
    }
    if (only.isEmpty() || only == u"socket") {
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        if (!socket.waitForConnected(5000))
            return;
        socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QByteArray request = "POST /breadcrumbs HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':'
            + QByteArray::number(url.port()) + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        QByteArray answer;
        std::function<void()> pending;
        // Complete when the body its content-length announces is in (rcrt-sim's lower-case names).
        QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] {
            answer += socket.readAll();
            const qsizetype headEnd = answer.indexOf("\r\n\r\n");
            const qsizetype lengthAt = answer.indexOf("content-length: ");
            if (headEnd < 0 || lengthAt < 0)
                return;
            const qsizetype eol = answer.indexOf('\r', lengthAt);
            const int length = answer.mid(lengthAt + 16, eol - lengthAt - 16).toInt();
            if (answer.size() >= headEnd + 4 + length && pending) {
                answer.clear();
                std::exchange(pending, nullptr)();
            }
        });
        std::vector<float> ms = measure([&](const std::function<void()> &done) {
            pending = done;
            socket.write(request);
            socket.flush();
        });
        print("socket", ms);
    }
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
    if (const qsizetype i = args.indexOf(QStringLiteral("--ack")); i > 0) {
        const QString only = i + 1 < args.size() && !args.at(i + 1).startsWith(u'-') ? args.at(i + 1) : QString();
        ackBreakdown(sim.url(), count, only);
        return 0;
    }
    QNetworkAccessManager nam;

    // The local round trip with RestClient over its HttpTransport, then over
    // QNetworkAccessManager (the client before the transport), back to back.
    std::vector<float> local, localAck, qnamLocal, qnamAck;
    LocalParts parts, qnamParts;
    // --local-only: the transport's local round trip alone (for a profiler).
    const bool localOnly = args.contains(QStringLiteral("--local-only"));
    for (const bool transport : {true, false}) {
        if (localOnly && !transport)
            break;
        RestClient rest(&nam, sim.url(), nullptr);
        rest.setHttpTransportEnabled(transport);
        LocalNode node(&rest); // no SSE at all: only the local bus
        node.setRunnerEnabled(true, quietRunner());
        std::vector<float> warmRoundTrip, warmAck;
        runInvocations(node, 20, false, warmRoundTrip, warmAck);
        if (!runInvocations(node, count, false, transport ? local : qnamLocal, transport ? localAck : qnamAck,
                            transport ? &parts : &qnamParts))
            return 1;
    }

    if (localOnly) {
        print("local", local);
        print("inproc", parts.inproc);
        print("post", parts.post);
        print("publsh", parts.publish);
        return 0;
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
    print("inproc", parts.inproc);
    print("post", parts.post);
    print("publsh", parts.publish);
    std::printf("the same local round trip with RestClient over QNetworkAccessManager:\n");
    print("local", qnamLocal);
    print("ack", qnamAck);
    print("inproc", qnamParts.inproc);
    print("post", qnamParts.post);
    print("publsh", qnamParts.publish);
    if (!args.contains(QStringLiteral("--no-feed"))) // 500k events in memory
        feedThroughput(500'000);
    return 0;
}
