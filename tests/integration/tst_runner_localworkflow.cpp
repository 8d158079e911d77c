// The console's own workflow completes through the local bus while the server's stream is a
// minute late (rcrt-sim --workload demo --no-runner --delay-ms 60000), and the SSE copies that
// arrive later change nothing: nothing runs twice, the store keeps one record per version with
// both arrivals.

#include "tst_runner_rig.h"

using namespace rcrt;
using namespace rcrt::test;

namespace {

QJsonObject workflowInput()
{
    const QJsonObject range{{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}};
    return QJsonObject{{QStringLiteral("steps"), QJsonArray{
        QJsonObject{{QStringLiteral("id"), QStringLiteral("num1")}, {QStringLiteral("tool"), QStringLiteral("random")},
                    {QStringLiteral("input"), range}},
        QJsonObject{{QStringLiteral("id"), QStringLiteral("num2")}, {QStringLiteral("tool"), QStringLiteral("random")},
                    {QStringLiteral("input"), range}},
        QJsonObject{{QStringLiteral("id"), QStringLiteral("sum")}, {QStringLiteral("tool"), QStringLiteral("calculator")},
                    {QStringLiteral("input"), QJsonObject{{QStringLiteral("expression"),
                                                           QStringLiteral("${num1.numbers[0]} + ${num2.numbers[0]}")}}},
                    {QStringLiteral("dependencies"), QJsonArray{QStringLiteral("num1"), QStringLiteral("num2")}}},
    }}};
}

// The sum equals the two random numbers the steps produced.
void verifyWorkflowOutput(const QJsonValue &output)
{
    const QJsonObject results = output.toObject().value(QStringLiteral("results")).toObject();
    const double a = results.value(QStringLiteral("num1")).toObject().value(QStringLiteral("numbers")).toArray().at(0).toDouble();
    const double b = results.value(QStringLiteral("num2")).toObject().value(QStringLiteral("numbers")).toArray().at(0).toDouble();
    QVERIFY2(a >= 1 && a <= 10 && b >= 1 && b <= 10, QJsonDocument(output.toObject()).toJson().constData());
    QCOMPARE(results.value(QStringLiteral("sum")).toObject().value(QStringLiteral("result")).toDouble(), a + b);
}

QList<QJsonObject> ourRequests(RestClient &rest)
{
    QList<QJsonObject> ours;
    for (const QJsonObject &r : listWithContext(rest, QStringLiteral("tool.request.v1"))) {
        const QString tool = r.value(QStringLiteral("context")).toObject().value(QStringLiteral("tool")).toString();
        if (tool != QStringLiteral("openrouter") && tool != QStringLiteral("workflow")) // the demo's own
            ours << r;
        else if (r.value(QStringLiteral("context")).toObject().value(QStringLiteral("requestId")).toString().startsWith(QStringLiteral("console-")))
            ours << r;
    }
    return ours;
}

} // namespace

class TestRunnerLocalWorkflow : public QObject
{
    Q_OBJECT

private slots:
    void workflowCompletesLocallyWhileSseIsAMinuteLate()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--no-runner"),
                            QStringLiteral("--delay-ms"), QStringLiteral("60000"), QStringLiteral("--quiet")}),
                 qPrintable(sim.error()));
        ConsoleRig console(sim.url());
        QVERIFY(console.start());
        console.node.setRunnerEnabled(true, RunnerOptions{}); // the built-in tools

        ToolInvocation *inv = console.node.invoke(QStringLiteral("workflow"), workflowInput());
        QVERIFY(waitFinished(inv));
        QVERIFY2(inv->status() == ToolInvocation::Status::Success, qPrintable(inv->error()));
        verifyWorkflowOutput(inv->output());
        const InvocationTimeline &t = inv->timeline();
        QVERIFY(t.responseLocalNs > 0);
        QCOMPARE(t.requestSseNs, qint64(0)); // the server's copies are a minute away
        QCOMPARE(t.responseSseNs, qint64(0));
        qInfo("workflow of 3 steps answered through the local bus in %.1f ms (request sent → response)",
              double(t.responseLocalNs - t.sentNs) / 1e6);

        // Workflow + 3 steps ran once each, all triggered by local events.
        const RunnerStats stats = console.node.runner()->stats();
        QCOMPARE(stats.done, qint64(4));
        QCOMPARE(stats.alreadyAnswered, qint64(0));
        // Nothing from the server has arrived for what we wrote: only local arrivals.
        for (qsizetype i = 0; i < console.store.size(); ++i) {
            const EventRecord r = console.store.at(i);
            if (r.envelope.schemaName.startsWith("tool."))
                QCOMPARE(r.first.source, EventSource::Local);
        }

        // The SSE copies, when they come, change nothing: feed the very payloads as SSE now.
        QList<StreamEvent> late;
        for (qsizetype i = 0; i < console.store.size(); ++i)
            late << StreamEvent{nowNs(), EventSource::Sse, console.store.at(i).raw};
        const qsizetype records = console.store.size();
        console.store.ingestBatch(late);
        console.node.feed(late);
        QTest::qWait(300);
        QCOMPARE(console.store.size(), records); // same records, one more arrival each
        QVERIFY(console.store.at(0).arrivalCount() == 2);
        QCOMPARE(console.node.runner()->stats().done, qint64(4));
        QVERIFY(console.node.runner()->stats().duplicates >= 4);
        const auto counts = responseCounts(console.rest);
        for (const QJsonObject &r : ourRequests(console.rest)) {
            const QString id = r.value(QStringLiteral("context")).toObject().value(QStringLiteral("requestId")).toString();
            QVERIFY2(counts.value(id) == 1, qPrintable(id));
        }
        QCOMPARE(ourRequests(console.rest).size(), qsizetype(4));
    }

    void realLateCopiesChangeNothing()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--no-runner"),
                            QStringLiteral("--delay-ms"), QStringLiteral("1500"), QStringLiteral("--quiet")}),
                 qPrintable(sim.error()));
        ConsoleRig console(sim.url());
        QVERIFY(console.start());
        console.node.setRunnerEnabled(true, RunnerOptions{});
        ToolInvocation *inv = console.node.invoke(QStringLiteral("workflow"), workflowInput());
        QVERIFY(waitFinished(inv));
        QVERIFY2(inv->status() == ToolInvocation::Status::Success, qPrintable(inv->error()));
        QCOMPARE(inv->timeline().responseSseNs, qint64(0));
        // Now the real SSE copies arrive, 1.5 s late.
        QTRY_VERIFY_WITH_TIMEOUT(inv->timeline().responseSseNs > 0, 10000);
        QVERIFY(inv->timeline().responseSseNs > inv->timeline().responseLocalNs);
        QTest::qWait(500);
        const RunnerStats stats = console.node.runner()->stats();
        QVERIFY(stats.duplicates >= 4);
        // Every request on the server (ours and the demo's LLM calls, answered with an error by
        // this runner, which has no openrouter) has exactly one response.
        int checked = 0;
        for (const QJsonObject &r : listWithContext(console.rest, QStringLiteral("tool.request.v1"))) {
            const QJsonObject c = r.value(QStringLiteral("context")).toObject();
            const QString id = c.value(QStringLiteral("requestId")).toString();
            // Requests younger than the stream delay may not have reached the runner yet.
            if (!console.node.runner()->stateOf(r.value(QStringLiteral("id")).toString()))
                continue;
            QTRY_VERIFY2_WITH_TIMEOUT(responseCounts(console.rest).value(id) == 1, qPrintable(id), 5000);
            ++checked;
        }
        QVERIFY(checked >= 4); // the workflow and its three steps at least
    }
};

QTEST_GUILESS_MAIN(TestRunnerLocalWorkflow)
#include "tst_runner_localworkflow.moc"
