// Request states, ages, countdowns and hints (issue 3 item 5), with the console clock injected.
#include "tst_flowrig.h"

#include <QTest>

using namespace rcrt;
using namespace rcrt::test;

namespace {

const QList<QByteArray> kResponseTags = {"workspace:tools", "tool:response", "request:r1"};

// The runner's presence for workspace:tools, at `atMs` on the server clock.
void runnerCatalog(Rig &rig, int n, qint64 atMs)
{
    rig.feed(payload(uuid(n), 1, {"workspace:tools", "tool:catalog"}, "tool.catalog.v1", kBaseNs + atMs * kMs,
                     obj({{s("tools"), QJsonArray{}}})));
}

} // namespace

class TestPendingRequests : public QObject
{
    Q_OBJECT

private slots:
    void countsDownToTheTimeout()
    {
        Rig rig;
        runnerCatalog(rig, 9, -1000);
        rig.request(1, 0, requestContext("random", "r1")); // arrives at +20 ms (console clock)
        const qint64 arrival = kBaseNs + 20 * kMs;

        rig.clockNs = arrival + 10'000 * kMs;
        RequestStatus st = rig.tracker.requestStatus(uuid(1));
        QCOMPARE(st.state, RequestState::Pending);
        QCOMPARE(st.ageMs, 10'000);
        QCOMPARE(st.countdownMs, 50'000);
        QCOMPARE(st.timeoutMs, 60'000);
        QCOMPARE(st.roundTripMs, -1);
        QCOMPARE(st.hints, RequestHints());
        QVERIFY(st.isOpen());

        rig.clockNs = arrival + 60'000 * kMs;
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).state, RequestState::Pending);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).countdownMs, 0);

        rig.clockNs = arrival + 61'500 * kMs;
        st = rig.tracker.requestStatus(uuid(1));
        QCOMPARE(st.state, RequestState::TimedOut);
        QCOMPARE(st.countdownMs, -1'500);
        QCOMPARE(st.settledAtNs, arrival + 60'000 * kMs);
        QVERIFY(st.isOpen());
        QVERIFY(st.isProblem());
    }

    void timeoutIsConfigurable()
    {
        Rig rig;
        rig.request(1, 0, requestContext("ollama_local", "r1"));
        rig.request(2, 0, requestContext("random", "r2"));
        PendingOptions options;
        options.defaultTimeoutMs = 10'000;
        options.toolTimeoutsMs.insert(s("ollama_local"), 120'000);
        rig.tracker.setPendingOptions(options);
        rig.clockNs = kBaseNs + 20 * kMs + 30'000 * kMs;
        QCOMPARE(rig.tracker.requestStatus(uuid(2)).state, RequestState::TimedOut);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).state, RequestState::Pending);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).countdownMs, 90'000);
    }

    void answeredWithinTheTimeout()
    {
        Rig rig;
        rig.request(1, 0, requestContext("random", "r1"));
        rig.response(2, 1'250, responseContext("random", "r1"), kResponseTags);
        rig.clockNs = kBaseNs + 3'600'000 * kMs; // an hour later: answered stays answered
        const RequestStatus st = rig.tracker.requestStatus(uuid(1));
        QCOMPARE(st.state, RequestState::Answered);
        QCOMPARE(st.roundTripMs, 1'250);
        QCOMPARE(st.countdownMs, 0);
        QCOMPARE(st.settledAtNs, kBaseNs + 1'270 * kMs); // the response's arrival
        QVERIFY(!st.isOpen());
        QVERIFY(!st.isProblem());
    }

    void timedOutThenAnsweredLate()
    {
        Rig rig;
        rig.request(1, 0, requestContext("random", "r1"));
        rig.clockNs = kBaseNs + 70'000 * kMs;
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).state, RequestState::TimedOut);
        rig.response(2, 75'000, responseContext("random", "r1"), kResponseTags);
        const RequestStatus st = rig.tracker.requestStatus(uuid(1));
        QCOMPARE(st.state, RequestState::AnsweredLate);
        QCOMPARE(st.roundTripMs, 75'000);
        QVERIFY(st.hints.testFlag(RequestHint::AnsweredAfterTimeout));
    }

    void errorResponseIsError()
    {
        Rig rig;
        rig.request(1, 0, requestContext("random", "r1"));
        rig.response(2, 80'000, responseContext("random", "r1", "error"), kResponseTags);
        const RequestStatus st = rig.tracker.requestStatus(uuid(1));
        QCOMPARE(st.state, RequestState::Error);
        QVERIFY(st.hints.testFlag(RequestHint::AnsweredAfterTimeout));
        QVERIFY(!st.hints.testFlag(RequestHint::UntaggedResponse));
    }

    void roundTripUsesTheServerClock()
    {
        // Delivered 50 s late (a stalled stream), answered 200 ms after creation: the round
        // trip is 200 ms and the request was never late.
        Rig rig;
        rig.feed(payload(uuid(1), 1, {"tool:request", "workspace:tools"}, "tool.request.v1", kBaseNs,
                         requestContext("random", "r1")),
                 kBaseNs + 50'000 * kMs);
        rig.response(2, 200, responseContext("random", "r1"), kResponseTags);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).roundTripMs, 200);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).state, RequestState::Answered);
    }

    void ageAnchor()
    {
        Rig rig;
        // Live: the console clock from its arrival, whatever the server says.
        rig.feed(payload(uuid(1), 1, {"tool:request", "workspace:tools"}, "tool.request.v1", kBaseNs,
                         requestContext("random", "r1")),
                 kBaseNs + 5'000 * kMs, EventSource::Sse);
        // Backfilled: its arrival says nothing about its age; the server time does.
        rig.feed(payload(uuid(2), 1, {"tool:request", "workspace:tools"}, "tool.request.v1", kBaseNs,
                         requestContext("random", "r2")),
                 kBaseNs + 5'000 * kMs, EventSource::Backfill);
        rig.clockNs = kBaseNs + 8'000 * kMs;
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).ageMs, 3'000);
        QCOMPARE(rig.tracker.requestStatus(uuid(2)).ageMs, 8'000);
    }

    void hintNoInput()
    {
        Rig rig;
        runnerCatalog(rig, 9, 0);
        rig.request(1, 0, requestContext("random", "r1", false));
        QJsonObject empty = requestContext("random", "r2", false);
        empty.insert(s("input"), QJsonObject{}); // {} is truthy to the runner: it runs
        rig.request(2, 0, empty);
        QJsonObject nullInput = requestContext("random", "r3", false);
        nullInput.insert(s("input"), QJsonValue::Null);
        rig.request(3, 0, nullInput);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).hints, RequestHints(RequestHint::NoInput));
        QCOMPARE(rig.tracker.requestStatus(uuid(2)).hints, RequestHints());
        QCOMPARE(rig.tracker.requestStatus(uuid(3)).hints, RequestHints(RequestHint::NoInput));
        QVERIFY(pending::hintText(RequestHint::NoInput, *rig.tracker.request(uuid(1)), rig.tracker.pendingOptions())
                    .contains(s("request has no input")));
    }

    void hintNoRunner()
    {
        Rig rig;
        rig.request(1, 10 * 60'000, requestContext("random", "r1"));
        QVERIFY(rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::NoRunner));
        QCOMPARE(pending::hintText(RequestHint::NoRunner, *rig.tracker.request(uuid(1)), rig.tracker.pendingOptions()),
                 s("no runner seen for workspace:tools in 5 min"));

        // Evidence older than the window does not count ...
        runnerCatalog(rig, 9, 10 * 60'000 - 6 * 60'000);
        QVERIFY(rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::NoRunner));
        // ... a response from that workspace within it does.
        rig.response(8, 10 * 60'000 - 4 * 60'000, responseContext("echo", "other"),
                     {"workspace:tools", "tool:response", "request:other"});
        QVERIFY(!rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::NoRunner));

        // Another workspace has its own runner.
        rig.request(2, 10 * 60'000, requestContext("random", "r2"), {"tool:request", "workspace:agents"});
        QVERIFY(rig.tracker.requestStatus(uuid(2)).hints.testFlag(RequestHint::NoRunner));
        // Without any workspace tag the runner ignores it (§5.1).
        rig.request(3, 10 * 60'000, requestContext("random", "r3"), {"tool:request"});
        QCOMPARE(rig.tracker.requestStatus(uuid(3)).hints, RequestHints(RequestHint::NoWorkspace));
    }

    void hintUntaggedResponse()
    {
        Rig rig;
        rig.request(1, 0, requestContext("missing", "r1"));
        rig.response(2, 30, responseContext("missing", "r1", "error"), {"workspace:tools", "tool:response", "error"});
        const RequestStatus st = rig.tracker.requestStatus(uuid(1));
        QVERIFY(st.hints.testFlag(RequestHint::UntaggedResponse));
        QCOMPARE(pending::hintText(st.hints, *rig.tracker.request(uuid(1)), rig.tracker.pendingOptions()),
                 s("a response exists but lacks its request:r1 tag"));
        QVERIFY(pending::hintExplanation(st.hints, *rig.tracker.request(uuid(1)), rig.tracker.pendingOptions())
                    .contains(s("carries no request:r1 tag")));
        // A tagged response beside it means pollers did see one.
        rig.response(3, 60, responseContext("missing", "r1", "error"), kResponseTags);
        QVERIFY(!rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::UntaggedResponse));
    }

    void listedByDefault_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<qint64>("settledAgoMs");
        QTest::addColumn<bool>("listed");
        QTest::newRow("pending") << int(RequestState::Pending) << qint64(0) << true;
        QTest::newRow("timed out long ago") << int(RequestState::TimedOut) << qint64(3'600'000) << true;
        QTest::newRow("answered") << int(RequestState::Answered) << qint64(1'000) << false;
        QTest::newRow("error, recent") << int(RequestState::Error) << qint64(9 * 60'000) << true;
        QTest::newRow("error, old") << int(RequestState::Error) << qint64(11 * 60'000) << false;
        QTest::newRow("late, recent") << int(RequestState::AnsweredLate) << qint64(1'000) << true;
        QTest::newRow("late, old") << int(RequestState::AnsweredLate) << qint64(11 * 60'000) << false;
    }

    void listedByDefault()
    {
        QFETCH(int, state);
        QFETCH(qint64, settledAgoMs);
        QFETCH(bool, listed);
        RequestStatus st;
        st.state = RequestState(state);
        const qint64 now = kBaseNs + 24LL * 3'600'000 * kMs;
        st.settledAtNs = now - settledAgoMs * kMs;
        QCOMPARE(pending::isListedByDefault(st, now, PendingOptions{}), listed);
    }

    void stateNames()
    {
        QCOMPARE(pending::stateName(RequestState::Pending), s("pending"));
        QCOMPARE(pending::stateName(RequestState::AnsweredLate), s("answered late"));
        QCOMPARE(pending::stateName(RequestState::TimedOut), s("timed out"));
    }
};

QTEST_GUILESS_MAIN(TestPendingRequests)
#include "tst_pendingrequests.moc"
