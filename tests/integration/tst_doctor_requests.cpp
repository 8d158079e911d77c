// The doctor's request findings (unanswered, unmatched-response, late-answer), live against
// rcrt-sim's simulated tools-runner, with a short requester timeout so nothing waits 60 s.
#include "tests/integration/tst_doctor_rig.h"

using namespace rcrt::test;

namespace {
QJsonObject timerInput(double seconds) { return QJsonObject{{QStringLiteral("seconds"), seconds}}; }
} // namespace

class TestDoctorRequests : public QObject
{
    Q_OBJECT
private slots:
    void unansweredWithoutRunner()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--no-runner")}), qPrintable(sim.error()));
        const QUrl url = sim.url();
        const DiagnoseRun run = runDiagnose(url,
                                            {QStringLiteral("--duration"), QStringLiteral("3.5"), QStringLiteral("--no-probe"),
                                             QStringLiteral("--timeout-ms"), QStringLiteral("1500")},
                                            [&] { QVERIFY(!createBreadcrumb(url, toolRequestBody(QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("hi")}}, QStringLiteral("nr-1"))).isEmpty()); });
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("unanswered")});
        const QJsonObject e = run.evidence(QStringLiteral("unanswered"));
        QCOMPARE(e.value(QStringLiteral("no_runner")).toInt(), 1);
        QCOMPARE(e.value(QStringLiteral("runner_saturated")).toInt(), 0);
    }

    void unansweredWithoutInputOrWorkspace()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {}), qPrintable(sim.error()));
        const QUrl url = sim.url();
        const DiagnoseRun run = runDiagnose(url, {QStringLiteral("--duration"), QStringLiteral("2.5"), QStringLiteral("--no-probe")}, [&] {
            createBreadcrumb(url, toolRequestBody(QStringLiteral("echo"), QJsonValue(QJsonValue::Undefined), QStringLiteral("ni-1")));
            createBreadcrumb(url, toolRequestBody(QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("x")}},
                                                  QStringLiteral("nw-1"), false));
            // A good one the runner answers: the runner is there.
            createBreadcrumb(url, toolRequestBody(QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("y")}},
                                                  QStringLiteral("ok-1")));
        });
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("unanswered")});
        const QJsonObject e = run.evidence(QStringLiteral("unanswered"));
        QCOMPARE(e.value(QStringLiteral("no_input")).toInt(), 1);
        QCOMPARE(e.value(QStringLiteral("no_workspace")).toInt(), 1);
        QCOMPARE(e.value(QStringLiteral("event_ids")).toArray().size(), 2);
    }

    void saturatedRunner()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {QStringLiteral("--runner-slots"), QStringLiteral("1")}), qPrintable(sim.error()));
        const QUrl url = sim.url();
        // Three 1.5 s timers through one slot: the third waits 3 s for it, past a 2 s timeout.
        const DiagnoseRun run = runDiagnose(url,
                                            {QStringLiteral("--duration"), QStringLiteral("4"), QStringLiteral("--no-probe"),
                                             QStringLiteral("--timeout-ms"), QStringLiteral("2000")},
                                            [&] {
                                                for (int i = 0; i < 3; ++i)
                                                    createBreadcrumb(url, toolRequestBody(QStringLiteral("timer"), timerInput(1.5),
                                                                                          QStringLiteral("sat-%1").arg(i)));
                                            });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.problemIds().contains(QStringLiteral("unanswered")), qPrintable(run.describe()));
        const QJsonObject e = run.evidence(QStringLiteral("unanswered"));
        QCOMPARE(e.value(QStringLiteral("runner_saturated")).toInt(), 1);
        QCOMPARE(e.value(QStringLiteral("no_runner")).toInt(), 0);
        // The second request was answered after 3 s, 1.5 s of it queued.
        QVERIFY2(run.problemIds().contains(QStringLiteral("late-answer")), qPrintable(run.describe()));
        QVERIFY(run.evidence(QStringLiteral("late-answer")).value(QStringLiteral("worst_queue_wait_ms")).toDouble() >= 1000);
    }

    void lateAnswer()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {}), qPrintable(sim.error()));
        const QUrl url = sim.url();
        const DiagnoseRun run = runDiagnose(url,
                                            {QStringLiteral("--duration"), QStringLiteral("3"), QStringLiteral("--no-probe"),
                                             QStringLiteral("--timeout-ms"), QStringLiteral("1000")},
                                            [&] { createBreadcrumb(url, toolRequestBody(QStringLiteral("timer"), timerInput(1.6), QStringLiteral("slow-1"))); });
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("late-answer")});
        const QJsonObject e = run.evidence(QStringLiteral("late-answer"));
        QCOMPARE(e.value(QStringLiteral("late")).toInt(), 1);
        QVERIFY(e.value(QStringLiteral("worst_round_trip_ms")).toDouble() >= 1600);
        // It ran long; it did not queue.
        QVERIFY(e.value(QStringLiteral("worst_queue_wait_ms")).toDouble() < 500);
    }

    void unmatchedResponses()
    {
        SimProcess sim;
        QVERIFY2(startSim(sim, {}), qPrintable(sim.error()));
        const QUrl url = sim.url();
        const DiagnoseRun run = runDiagnose(url, {QStringLiteral("--duration"), QStringLiteral("2.5"), QStringLiteral("--no-probe")}, [&] {
            // An unknown tool: the runner's 'not found' error has no request:<id> tag.
            createBreadcrumb(url, toolRequestBody(QStringLiteral("no_such_tool"), QJsonObject{{QStringLiteral("a"), 1}},
                                                  QStringLiteral("nf-1")));
            // A response whose tag names another id than its request's (request_id still pairs them).
            createBreadcrumb(url, toolRequestBody(QStringLiteral("echo"), QJsonObject{{QStringLiteral("m"), 1}},
                                                  QStringLiteral("mine-1"), false));
            createBreadcrumb(url, QJsonObject{
                {QStringLiteral("title"), QStringLiteral("Response: echo")},
                {QStringLiteral("schema_name"), QStringLiteral("tool.response.v1")},
                {QStringLiteral("tags"), QJsonArray{QStringLiteral("workspace:tools"), QStringLiteral("tool:response"),
                                                    QStringLiteral("request:someone-else")}},
                {QStringLiteral("context"), QJsonObject{{QStringLiteral("request_id"), QStringLiteral("mine-1")},
                                                        {QStringLiteral("tool"), QStringLiteral("echo")},
                                                        {QStringLiteral("status"), QStringLiteral("success")}}}});
        });
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.problemIds(), QStringList{QStringLiteral("unmatched-response")});
        const QJsonObject e = run.evidence(QStringLiteral("unmatched-response"));
        QCOMPARE(e.value(QStringLiteral("without_request_tag")).toInt(), 1);
        QCOMPARE(e.value(QStringLiteral("other_id")).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDoctorRequests)
#include "tst_doctor_requests.moc"
