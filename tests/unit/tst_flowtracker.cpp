// FlowTracker: pairing, workflow grouping, agent-response links, versions and the bound, fed
// through a real EventStore (the rcrt-protocol.md §6 timeline and hand-made events).
#include "tst_flowrig.h"

#include <QSignalSpy>
#include <QTest>

using namespace rcrt;
using namespace rcrt::test;

class TestFlowTracker : public QObject
{
    Q_OBJECT

private:
    static void feedSample(Rig &rig, bool reversed = false)
    {
        QCOMPARE(rcrt::test::feedSample(rig, reversed), 20);
    }

    static void checkSampleFlows(const FlowTracker &t)
    {
        QCOMPARE(t.requestCount(), 5);
        QCOMPARE(t.responseCount(), 5);
        QCOMPARE(t.agentResponseCount(), 4);

        // The LLM call: requestId ↔ request_id, tags request:llm + request:llm-…
        QCOMPARE(t.request(kLlmRequest)->correlationId, QByteArray("llm-1762509000640-k3j9x2m1q"));
        QCOMPARE(t.request(kLlmRequest)->responses, QList<QByteArray>{kLlmResponse});
        QVERIFY(t.response(kLlmResponse)->taggedForRequest);
        QVERIFY(t.response(kLlmResponse)->hasLlmTag);

        // The workflow holds its three steps in created order, then its own response.
        QCOMPARE(t.request(kWorkflow)->steps, (QList<QByteArray>{kStepNum1, kStepNum2, kStepSum}));
        QCOMPARE(t.treeChildren(kWorkflow), (QList<QByteArray>{kStepNum1, kStepNum2, kStepSum, kWorkflowResponse}));
        for (const QByteArray &step : {kStepNum1, kStepNum2, kStepSum})
            QCOMPARE(t.treeParent(step), std::optional<QByteArray>(kWorkflow));
        QList<QByteArray> roots = t.treeRoots();
        std::sort(roots.begin(), roots.end());
        QCOMPARE(roots, (QList<QByteArray>{kLlmRequest, kWorkflow}));

        QCOMPARE(t.treeChildren(kStepNum1), QList<QByteArray>{kNum1Response});
        QCOMPARE(t.treeChildren(kStepNum2), QList<QByteArray>{kNum2Response});
        QCOMPARE(t.treeChildren(kStepSum), QList<QByteArray>{kSumResponse});

        // Agent responses hang under the response that triggered them.
        QCOMPARE(t.treeChildren(kNum1Response), QList<QByteArray>{kNum1Agent});
        QCOMPARE(t.treeChildren(kWorkflowResponse), QList<QByteArray>{kWorkflowAgent});
        QCOMPARE(t.treeParent(kWorkflowAgent), std::optional<QByteArray>(kWorkflowResponse));
        QVERIFY(t.treeChildren(kLlmResponse).isEmpty());

        // Round trips on the server clock: 10:30:00.655470 → 10:30:03.912044.
        QCOMPARE(t.requestStatus(kLlmRequest).roundTripMs, 3256);
        QCOMPARE(t.requestStatus(kWorkflow).roundTripMs, 1180);
        QCOMPARE(t.requestStatus(kStepSum).roundTripMs, 218);
        for (const QByteArray &key : t.requestKeys()) {
            QCOMPARE(t.requestStatus(key).state, RequestState::Answered);
            QCOMPARE(t.requestStatus(key).hints, RequestHints());
        }
    }

private slots:
    void sampleTimeline()
    {
        Rig rig;
        feedSample(rig);
        checkSampleFlows(rig.tracker);
        QCOMPARE(rig.tracker.requestKeys(),
                 (QList<QByteArray>{kLlmRequest, kWorkflow, kStepNum1, kStepNum2, kStepSum}));
        QCOMPARE(rig.tracker.treeRoots(), (QList<QByteArray>{kLlmRequest, kWorkflow}));
        QCOMPARE(rig.tracker.runnerLastSeenNs("workspace:tools"),
                 parseRfc3339Ns(std::string_view("2025-11-07T10:30:05.191306Z")).value());
        // The agent catalog and the chat message are not flows.
        QCOMPARE(rig.tracker.entityKind("9a2e5b1c-3d4f-4a6b-8c7d-0e1f2a3b4c5d"), FlowEntity::None);
    }

    void sampleTimelineNewestFirst()
    {
        // A backfill lists newest first: every response arrives before its request, steps
        // before their workflow. The result must be the same flows.
        Rig rig;
        feedSample(rig, true);
        checkSampleFlows(rig.tracker);
    }

    void changesReportNewAndMovedEntities()
    {
        Rig rig;
        rig.response(2, 300, responseContext("random", "req-1"), {"workspace:tools", "tool:response", "request:req-1"});
        QCOMPARE(rig.changes.size(), 1);
        QVERIFY(rig.changes.last().touched.contains(uuid(2)));
        QCOMPARE(rig.tracker.treeParent(uuid(2)), std::optional<QByteArray>(QByteArray()));

        rig.request(1, 100, requestContext("random", "req-1"));
        QCOMPARE(rig.changes.size(), 2);
        QCOMPARE(rig.changes.last().addedRequests, QList<QByteArray>{uuid(1)});
        QVERIFY(rig.changes.last().touched.contains(uuid(1)));
        QVERIFY(rig.changes.last().touched.contains(uuid(2))); // moved under its request
        QCOMPARE(rig.tracker.treeParent(uuid(2)), std::optional<QByteArray>(uuid(1)));

        // Events the flows do not use produce no change at all.
        rig.feed(payload(uuid(9), 1, {"user:message"}, "user.message.v1", kBaseNs, obj({{s("content"), s("hi")}})));
        QCOMPARE(rig.changes.size(), 2);
    }

    void pairsByRequestIdField()
    {
        // The runner's "tool not found" error: request_id, but no request:<id> tag (§5.2).
        Rig rig;
        rig.request(1, 0, requestContext("nosuchtool", "req-7"));
        QJsonObject c = responseContext("nosuchtool", "req-7", "error");
        c.insert(s("error"), s("Tool not found: nosuchtool"));
        rig.response(2, 40, c, {"workspace:tools", "tool:response", "error"});
        const FlowTracker &t = rig.tracker;
        QCOMPARE(t.request(uuid(1))->responses, QList<QByteArray>{uuid(2)});
        QVERIFY(!t.response(uuid(2))->taggedForRequest);
        QCOMPARE(t.response(uuid(2))->error, s("Tool not found: nosuchtool"));
        const RequestStatus status = t.requestStatus(uuid(1));
        QCOMPARE(status.state, RequestState::Error);
        QVERIFY(status.hints.testFlag(RequestHint::UntaggedResponse));
        QCOMPARE(status.roundTripMs, 40);
    }

    void pairsByTagAlone()
    {
        Rig rig;
        rig.request(1, 0, requestContext("echo", "req-8"));
        rig.response(2, 90, responseContext("echo", nullptr), {"workspace:tools", "tool:response", "request:req-8"});
        QCOMPARE(rig.tracker.response(uuid(2))->requestKey, uuid(1));
        QVERIFY(rig.tracker.response(uuid(2))->taggedForRequest);
        QCOMPARE(rig.tracker.requestStatus(uuid(1)).state, RequestState::Answered);
        QVERIFY(!rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::UntaggedResponse));
    }

    void fallsBackToBreadcrumbId()
    {
        // No requestId: the runner correlates on the request's breadcrumb id (§5.2).
        Rig rig;
        rig.request(1, 0, requestContext("echo", nullptr));
        QCOMPARE(rig.tracker.request(uuid(1))->correlationId, uuid(1));
        rig.response(2, 50, responseContext("echo", uuid(1).constData()),
                     {"workspace:tools", "tool:response", "request:" + uuid(1)});
        QCOMPARE(rig.tracker.response(uuid(2))->requestKey, uuid(1));
        QVERIFY(rig.tracker.response(uuid(2))->taggedForRequest);

        // A request that has a requestId is still found by its breadcrumb id.
        rig.request(3, 100, requestContext("echo", "req-9"));
        rig.response(4, 150, responseContext("echo", uuid(3).constData()),
                     {"workspace:tools", "tool:response", "request:" + uuid(3)});
        QCOMPARE(rig.tracker.response(uuid(4))->requestKey, uuid(3));
    }

    void requestLlmTagIsNotAnId()
    {
        Rig rig;
        rig.request(1, 0, requestContext("openrouter", "llm")); // an LLM could write this id
        rig.response(2, 50, responseContext("openrouter", nullptr), {"workspace:tools", "tool:response", "request:llm"});
        QVERIFY(rig.tracker.response(uuid(2))->requestKey.isEmpty());
        QVERIFY(rig.tracker.response(uuid(2))->hasLlmTag);
        QVERIFY(rig.tracker.request(uuid(1))->responses.isEmpty());
        QCOMPARE(rig.tracker.treeParent(uuid(2)), std::optional<QByteArray>(QByteArray())); // listed as unmatched
    }

    void repeatedCorrelationIds()
    {
        // LLM-chosen ids repeat (§5.3): each response goes to the newest request created
        // before it, whatever the arrival order.
        for (const bool reversed : {false, true}) {
            Rig rig;
            const QList<QByteArray> response = {"workspace:tools", "tool:response", "request:unique_id"};
            QList<std::function<void()>> steps = {
                [&] { rig.request(1, 0, requestContext("echo", "unique_id")); },
                [&] { rig.response(2, 100, responseContext("echo", "unique_id"), response); },
                [&] { rig.request(3, 1000, requestContext("echo", "unique_id")); },
                [&] { rig.response(4, 1200, responseContext("echo", "unique_id"), response); },
            };
            if (reversed)
                std::reverse(steps.begin(), steps.end());
            for (const auto &step : steps)
                step();
            QCOMPARE(rig.tracker.request(uuid(1))->responses, QList<QByteArray>{uuid(2)});
            QCOMPARE(rig.tracker.request(uuid(3))->responses, QList<QByteArray>{uuid(4)});
            QCOMPARE(rig.tracker.requestsWithCorrelation("unique_id"), (QList<QByteArray>{uuid(1), uuid(3)}));
        }
    }

    void newerVersionUpdatesRequest()
    {
        Rig rig;
        rig.request(1, 0, requestContext("echo", "first", false));
        QVERIFY(rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::NoInput));
        rig.response(2, 500, responseContext("echo", "second"), {"workspace:tools", "tool:response", "request:second"});
        QVERIFY(rig.tracker.response(uuid(2))->requestKey.isEmpty());

        // PATCHed: now with input and another requestId, which the waiting response names.
        rig.request(1, 300, requestContext("echo", "second"), {}, 2);
        const FlowRequest *r = rig.tracker.request(uuid(1));
        QCOMPARE(r->version, 2);
        QCOMPARE(r->correlationId, QByteArray("second"));
        QVERIFY(r->hasInput);
        QCOMPARE(r->createdNs, kBaseNs); // creation stays the version-1 time
        QCOMPARE(r->responses, QList<QByteArray>{uuid(2)});
        QVERIFY(!rig.tracker.requestStatus(uuid(1)).hints.testFlag(RequestHint::NoInput));
        QCOMPARE(rig.tracker.requestCount(), 1);

        // A stale copy of version 1 changes nothing.
        rig.store.ingest(StreamEvent{kBaseNs, EventSource::Replay,
                                     payload(uuid(1), 1, {"tool:request"}, "tool.request.v1", kBaseNs,
                                             requestContext("other", "third"))});
        rig.store.flush();
        QCOMPARE(rig.tracker.request(uuid(1))->correlationId, QByteArray("second"));
        QCOMPARE(rig.tracker.request(uuid(1))->tool, s("echo"));
    }

    void versionOneLearnedLateSetsCreation()
    {
        Rig rig;
        rig.request(1, 5000, requestContext("echo", "x"), {}, 3); // seen first as version 3
        QVERIFY(!rig.tracker.request(uuid(1))->createdKnown);
        rig.request(1, 1000, requestContext("echo", "x"), {}, 1);
        QVERIFY(rig.tracker.request(uuid(1))->createdKnown);
        QCOMPARE(rig.tracker.request(uuid(1))->createdNs, kBaseNs + 1000 * kMs);
        QCOMPARE(rig.tracker.request(uuid(1))->version, 3);
    }

    void workflowsWithRepeatedStepIds()
    {
        // Two workflows with the same step ids, one after the other (the demo repeats §6).
        // Steps go to the workflow open when they were created; a step created after its
        // only candidate closed stays on its own.
        const auto workflow = [](const char *requestId) {
            QJsonArray steps{obj({{s("id"), s("a")}, {s("tool"), s("random")}}),
                             obj({{s("id"), s("b")}, {s("tool"), s("calculator")}})};
            return QJsonObject{{s("tool"), s("workflow")},
                               {s("input"), QJsonObject{{s("steps"), steps}}},
                               {s("requestId"), s(requestId)}};
        };
        const auto step = [](const char *stepId, const char *requestId, bool withStepId = true) {
            QJsonObject c = requestContext("random", requestId);
            if (withStepId)
                c.insert(s("stepId"), s(stepId));
            return c;
        };
        const QList<QByteArray> stepTags = {"tool:request", "workflow:step", "workspace:tools"};
        const auto done = [](const char *id) {
            return QList<QByteArray>{"workspace:tools", "tool:response", QByteArray("request:") + id};
        };
        Rig rig;
        rig.request(10, 0, step("a", "workflow-a-0"), stepTags); // before any workflow: stays a root
        rig.request(1, 1000, workflow("wf-1"));
        rig.request(2, 1100, step("a", "workflow-a-1100"), stepTags);
        rig.request(3, 1300, step("b", "workflow-b-1300", false), stepTags); // stepId from requestId
        rig.response(4, 1500, responseContext("workflow", "wf-1"), done("wf-1"));
        rig.request(5, 1600, step("a", "workflow-a-1600"), stepTags); // wf-1 closed at 1500
        rig.request(6, 2000, workflow("wf-2"));
        rig.request(8, 2200, step("b", "workflow-b-2200"), stepTags);
        // wf-2's step "a" arrives after the step "b" created later.
        rig.request(7, 2100, step("a", "workflow-a-2100"), stepTags);

        const FlowTracker &t = rig.tracker;
        QCOMPARE(t.request(uuid(1))->steps, (QList<QByteArray>{uuid(2), uuid(3)}));
        QCOMPARE(t.request(uuid(6))->steps, (QList<QByteArray>{uuid(7), uuid(8)}));
        QVERIFY(t.request(uuid(10))->workflowId.isEmpty());
        QVERIFY(t.request(uuid(5))->workflowId.isEmpty());
        QCOMPARE(t.treeRoots(), (QList<QByteArray>{uuid(10), uuid(1), uuid(5), uuid(6)}));

        // A workflow learned late (backfill) claims the steps inside its window.
        rig.request(9, 1550, workflow("wf-0"));
        QCOMPARE(t.request(uuid(9))->steps, QList<QByteArray>{uuid(5)});
        QCOMPARE(t.treeParent(uuid(5)), std::optional<QByteArray>(uuid(9)));
    }

    void workflowResponseClosesWindow()
    {
        // A step is claimed while the workflow looks open; when the workflow's response turns
        // out to be older than the step, the step is released again.
        Rig rig;
        const QJsonObject wf{{s("tool"), s("workflow")}, {s("requestId"), s("wf")},
                             {s("input"), QJsonObject{{s("steps"), QJsonArray{obj({{s("id"), s("x")}})}}}}};
        rig.request(1, 0, wf);
        QJsonObject step = requestContext("echo", "workflow-x-900");
        step.insert(s("stepId"), s("x"));
        rig.request(2, 900, step, {"tool:request", "workflow:step", "workspace:tools"});
        QCOMPARE(rig.tracker.request(uuid(2))->workflowId, uuid(1));
        rig.response(3, 800, responseContext("workflow", "wf"), {"workspace:tools", "tool:response", "request:wf"});
        QVERIFY(rig.tracker.request(uuid(2))->workflowId.isEmpty());
        QVERIFY(rig.tracker.request(uuid(1))->steps.isEmpty());
        QVERIFY(rig.changes.last().touched.contains(uuid(2)));
    }

    void agentResponseBeforeItsTrigger()
    {
        Rig rig;
        rig.feed(payload(uuid(5), 1, {"agent:response", "chat:output"}, "agent.response.v1", kBaseNs + 900 * kMs,
                         obj({{s("message"), s("✅ echo: done\nmore")},
                              {s("trigger_event_id"), QString::fromUtf8(uuid(2))},
                              {s("creator"), obj({{s("type"), s("agent")}, {s("agent_id"), s("default-chat-assistant")}})},
                              {s("tool_result"), obj({{s("tool"), s("echo")}})}})));
        QVERIFY(!rig.tracker.treeParent(uuid(5)).has_value()); // trigger unknown: not shown yet
        rig.request(1, 0, requestContext("echo", "r1"));
        rig.response(2, 500, responseContext("echo", "r1"), {"workspace:tools", "tool:response", "request:r1"});
        QCOMPARE(rig.tracker.treeParent(uuid(5)), std::optional<QByteArray>(uuid(2)));
        QCOMPARE(rig.tracker.treeChildren(uuid(2)), QList<QByteArray>{uuid(5)});
        const FlowAgentResponse *a = rig.tracker.agentResponse(uuid(5));
        QCOMPARE(a->agentId, QByteArray("default-chat-assistant"));
        QCOMPARE(a->message, s("✅ echo: done"));
        QCOMPARE(a->resultTool, s("echo"));
        QVERIFY(rig.changes.last().touched.contains(uuid(5)));
    }

    void evictsOldestFlowsAtTheBound()
    {
        FlowTracker::Options options;
        options.maxRequests = 10;
        Rig rig(options);
        for (int i = 0; i < 25; ++i) {
            rig.request(100 + i, i * 10, requestContext("echo", QByteArray("r" + QByteArray::number(i)).constData()));
            const QByteArray tag = "request:r" + QByteArray::number(i);
            rig.response(200 + i, i * 10 + 5, responseContext("echo", tag.mid(8).constData()),
                         {"workspace:tools", "tool:response", tag});
        }
        const FlowTracker &t = rig.tracker;
        QVERIFY(t.requestCount() <= 10);
        QVERIFY(t.requestCount() >= 9);
        QCOMPARE(t.responseCount(), t.requestCount()); // responses left with their requests
        QVERIFY(!t.request(uuid(100)));
        QVERIFY(!t.response(uuid(200)));
        QVERIFY(t.request(uuid(124)));
        QCOMPARE(t.request(uuid(124))->responses, QList<QByteArray>{uuid(224)});
        QList<QByteArray> removed;
        for (const FlowChanges &c : std::as_const(rig.changes))
            removed += c.removed;
        QVERIFY(removed.contains(uuid(100)));
        QVERIFY(removed.contains(uuid(200)));
        QCOMPARE(t.requestKeys().first(), uuid(125 - t.requestCount()));
    }

    void unmatchedResponsesAreBounded()
    {
        FlowTracker::Options options;
        options.maxUnmatched = 5;
        Rig rig(options);
        for (int i = 0; i < 12; ++i) {
            const QByteArray id = "gone-" + QByteArray::number(i);
            rig.response(i + 1, i, responseContext("echo", id.constData()), {"workspace:tools", "tool:response", "request:" + id});
        }
        QCOMPARE(rig.tracker.responseCount(), 5);
        QVERIFY(rig.tracker.response(uuid(12)));
        QVERIFY(!rig.tracker.response(uuid(1)));
    }

    void clearEmitsReset()
    {
        Rig rig;
        feedSample(rig);
        QSignalSpy reset(&rig.tracker, &FlowTracker::flowsReset);
        rig.tracker.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(rig.tracker.requestCount(), 0);
        QVERIFY(rig.tracker.treeRoots().isEmpty());
        QCOMPARE(rig.tracker.runnerLastSeenNs("workspace:tools"), 0);
    }
};

QTEST_GUILESS_MAIN(TestFlowTracker)
#include "tst_flowtracker.moc"
