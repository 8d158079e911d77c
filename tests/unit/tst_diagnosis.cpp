// The doctor's rules on synthetic traffic (tests/unit/tst_diagnosis_rig.h): each finding from
// the fault that causes it, and none on healthy traffic.
#include "model/burstanalysis.h"
#include "model/deliverylate.h"
#include "tests/unit/tst_diagnosis_rig.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace rcrt;
using namespace rcrt::test;

namespace {

// Warnings and errors only: info findings never fail a diagnose run.
QStringList problems(const QList<Finding> &findings)
{
    QStringList ids;
    for (const Finding &f : findings)
        if (f.severity >= Severity::Warning)
            ids.append(f.id);
    return ids;
}

QByteArray toolRequest(const QByteArray &id, qint64 atNs, const QJsonObject &context, bool workspace = true)
{
    QStringList tags{QStringLiteral("tool:request")};
    if (workspace)
        tags << QStringLiteral("workspace:tools");
    return breadcrumbPayload(id, 1, tags, QStringLiteral("tool.request.v1"), atNs, context);
}

QByteArray toolResponse(const QByteArray &id, qint64 atNs, const QStringList &extraTags, const QString &requestId)
{
    return breadcrumbPayload(id, 1, QStringList{QStringLiteral("workspace:tools"), QStringLiteral("tool:response")} + extraTags,
                             QStringLiteral("tool.response.v1"), atNs,
                             QJsonObject{{QStringLiteral("request_id"), requestId},
                                         {QStringLiteral("tool"), QStringLiteral("random")},
                                         {QStringLiteral("status"), QStringLiteral("success")}});
}

} // namespace

class TestDiagnosis : public QObject
{
    Q_OBJECT
private slots:
    void gridPeriodFindsMultiples()
    {
        BurstOptions o;
        const QList<qint64> intervals{2000 * kDiagMs, 4003 * kDiagMs, 1998 * kDiagMs, 6001 * kDiagMs, 2002 * kDiagMs};
        int fitting = 0;
        const qint64 p = gridPeriod(intervals, o, &fitting);
        QCOMPARE(fitting, 5);
        QVERIFY2(std::llabs(p - 2000 * kDiagMs) < 5 * kDiagMs, qPrintable(QString::number(p)));
    }

    void gridPeriodRefusesIrregularIntervals()
    {
        const QList<qint64> intervals{1300 * kDiagMs, 4700 * kDiagMs, 2900 * kDiagMs, 3700 * kDiagMs, 5300 * kDiagMs,
                                      2300 * kDiagMs};
        QCOMPARE(gridPeriod(intervals, BurstOptions{}), qint64(0));
        QCOMPARE(gridPeriod(QList<qint64>{}, BurstOptions{}), qint64(0));
    }

    void burstsSplitOnGaps()
    {
        const QList<BurstArrival> a{{0, 5, false},     {10, 1, false}, {1'000'000'000, 7, true},
                                    {1'000'000'100, 3, false}};
        const BurstAnalysis b = analyseBursts(a);
        QCOMPARE(b.bursts.size(), 2);
        QCOMPARE(b.bursts[0].events, 2);
        QCOMPARE(b.bursts[0].lagSpreadNs(), qint64(4));
        QCOMPARE(b.bursts[1].pings, 1);
        QCOMPARE(b.bursts[1].events, 1);
    }

    void healthyTrafficHasNoFindings()
    {
        DiagRig rig;
        const auto writes = demoTraffic(120 * kDiagS);
        rig.feed(deliver(writes, healthyDelivery()));
        const auto findings = rig.diagnose(kDiagBaseNs + 121 * kDiagS);
        QVERIFY2(findings.isEmpty(), qPrintable(findingIds(findings).join(u',')));
        QVERIFY(rig.stats.eventCount() > 30);
        QCOMPARE(worstSeverity(findings), Severity::Info);
    }

    void bufferingWithPeriod_data()
    {
        QTest::addColumn<qint64>("periodMs");
        QTest::addColumn<qint64>("durationS");
        QTest::newRow("2 s") << qint64(2000) << qint64(60);
        QTest::newRow("60 s (the seed)") << qint64(60000) << qint64(600);
        QTest::newRow("15 s") << qint64(15000) << qint64(300);
    }

    void bufferingWithPeriod()
    {
        QFETCH(qint64, periodMs);
        QFETCH(qint64, durationS);
        DiagRig rig;
        rig.feed(deliver(demoTraffic(durationS * kDiagS), bufferedDelivery(periodMs * kDiagMs, 700 * kDiagMs)));
        const auto findings = rig.diagnose(kDiagBaseNs + (durationS + 1) * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::Buffering)});
        const Finding *f = findFinding(findings, finding::Buffering);
        const double measured = f->figures.value(QStringLiteral("period_ms")).toDouble();
        QVERIFY2(std::fabs(measured - double(periodMs)) <= 0.1 * double(periodMs), qPrintable(QString::number(measured)));
        QVERIFY(!f->eventIds.isEmpty());
        QVERIFY(f->toText().contains(QStringLiteral("[warning] buffering:")));
        if (periodMs == 60000) // answered in ≤ 2.5 s, but a burst late for a 60 s requester
            QVERIFY(f->figures.value(QStringLiteral("requests_delivered_late")).toInt() > 0);
    }

    void uniformLag()
    {
        DiagRig rig;
        rig.feed(deliver(demoTraffic(90 * kDiagS), delayedDelivery(4000 * kDiagMs)));
        const auto findings = rig.diagnose(kDiagBaseNs + 100 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::UniformLag)});
        const double p50 = findFinding(findings, finding::UniformLag)->figures.value(QStringLiteral("lag_p50_ms")).toDouble();
        QVERIFY2(std::fabs(p50 - 4000) <= 600, qPrintable(QString::number(p50)));
    }

    void clockSkewFromNegativeLags()
    {
        DiagRig rig;
        rig.feed(deliver(demoTraffic(60 * kDiagS), healthyDelivery(3000 * kDiagMs)));
        const auto findings = rig.diagnose(kDiagBaseNs + 61 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::ClockSkew)});
        const Finding *f = findFinding(findings, finding::ClockSkew);
        QVERIFY(f->figures.value(QStringLiteral("negative_lags")).toInt() > 10);
        QVERIFY(std::fabs(f->figures.value(QStringLiteral("offset_ms")).toDouble() - 3000) <= 500);
    }

    void consoleAheadIsSkewNotLag()
    {
        DiagRig rig;
        rig.feed(deliver(demoTraffic(60 * kDiagS), healthyDelivery(-4000 * kDiagMs)));
        const auto findings = rig.diagnose(kDiagBaseNs + 70 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::ClockSkew)});
    }

    void duplicates()
    {
        DiagRig rig;
        rig.feed(deliver(demoTraffic(30 * kDiagS), healthyDelivery(), 3));
        const auto findings = rig.diagnose(kDiagBaseNs + 31 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::Duplicates)});
        const Finding *f = findFinding(findings, finding::Duplicates);
        QCOMPARE(f->figures.value(QStringLiteral("max_copies")).toInt(), 3);
        QVERIFY(!f->eventIds.isEmpty());
    }

    void consoleBehind()
    {
        DiagRig rig;
        rig.processingNs = 2500 * kDiagMs;
        rig.feed(deliver(demoTraffic(30 * kDiagS), healthyDelivery()));
        const auto findings = rig.diagnose(kDiagBaseNs + 31 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::ConsoleBehind)});
    }

    void unansweredReasons()
    {
        DiagRig rig;
        const qint64 t0 = kDiagBaseNs;
        QList<StreamEvent> events;
        // The runner is alive: it answered this one at once.
        events << StreamEvent{t0, EventSource::Sse,
                              toolRequest(diagUuid(1), t0, QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                                       {QStringLiteral("input"), QJsonObject{}},
                                                                       {QStringLiteral("requestId"), QStringLiteral("a")}})}
               << StreamEvent{t0 + 100 * kDiagMs, EventSource::Sse,
                              toolResponse(diagUuid(2), t0 + 100 * kDiagMs, {QStringLiteral("request:a")}, QStringLiteral("a"))}
               // Never answered although the runner is there: saturated.
               << StreamEvent{t0 + 200 * kDiagMs, EventSource::Sse,
                              toolRequest(diagUuid(3), t0 + 200 * kDiagMs,
                                          QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                      {QStringLiteral("input"), QJsonObject{{QStringLiteral("x"), 1}}}})}
               // No input: dropped by the runner.
               << StreamEvent{t0 + 300 * kDiagMs, EventSource::Sse,
                              toolRequest(diagUuid(4), t0 + 300 * kDiagMs, QJsonObject{{QStringLiteral("tool"), QStringLiteral("echo")}})}
               // No workspace tag: ignored.
               << StreamEvent{t0 + 400 * kDiagMs, EventSource::Sse,
                              toolRequest(diagUuid(5), t0 + 400 * kDiagMs,
                                          QJsonObject{{QStringLiteral("tool"), QStringLiteral("echo")},
                                                      {QStringLiteral("input"), QJsonObject{{QStringLiteral("x"), 1}}}},
                                          false)};
        rig.feed(events);
        const auto findings = rig.diagnose(t0 + 61 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::Unanswered)});
        const Finding *f = findFinding(findings, finding::Unanswered);
        QCOMPARE(f->figures.value(QStringLiteral("runner_saturated")).toInt(), 1);
        QCOMPARE(f->figures.value(QStringLiteral("no_input")).toInt(), 1);
        QCOMPARE(f->figures.value(QStringLiteral("no_workspace")).toInt(), 1);
        QCOMPARE(f->figures.value(QStringLiteral("no_runner")).toInt(), 0);
        QVERIFY(f->eventIds.contains(diagUuid(4)));
    }

    void unansweredWithoutRunner()
    {
        DiagRig rig;
        rig.feed({StreamEvent{kDiagBaseNs, EventSource::Sse,
                              toolRequest(diagUuid(1), kDiagBaseNs,
                                          QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                      {QStringLiteral("input"), QJsonObject{{QStringLiteral("x"), 1}}}})}});
        // Still within the timeout: nothing yet.
        QVERIFY(problems(rig.diagnose(kDiagBaseNs + 30 * kDiagS)).isEmpty());
        const auto findings = rig.diagnose(kDiagBaseNs + 61 * kDiagS);
        QCOMPARE(findFinding(findings, finding::Unanswered)->figures.value(QStringLiteral("no_runner")).toInt(), 1);
    }

    void unmatchedResponses()
    {
        DiagRig rig;
        const qint64 t0 = kDiagBaseNs;
        const QJsonObject input{{QStringLiteral("x"), 1}};
        rig.feed({StreamEvent{t0, EventSource::Sse,
                              toolRequest(diagUuid(1), t0, QJsonObject{{QStringLiteral("tool"), QStringLiteral("nope")},
                                                                       {QStringLiteral("input"), input},
                                                                       {QStringLiteral("requestId"), QStringLiteral("r1")}})},
                  // The 'not found' path: request_id but no request tag.
                  StreamEvent{t0 + 50 * kDiagMs, EventSource::Sse,
                              toolResponse(diagUuid(2), t0 + 50 * kDiagMs, {QStringLiteral("error")}, QStringLiteral("r1"))},
                  StreamEvent{t0 + 60 * kDiagMs, EventSource::Sse,
                              toolRequest(diagUuid(3), t0 + 60 * kDiagMs,
                                          QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                      {QStringLiteral("input"), input},
                                                      {QStringLiteral("requestId"), QStringLiteral("r2")}})},
                  // Tagged with another id than its request's.
                  StreamEvent{t0 + 90 * kDiagMs, EventSource::Sse,
                              toolResponse(diagUuid(4), t0 + 90 * kDiagMs, {QStringLiteral("request:r9")}, QStringLiteral("r2"))},
                  // Tagged for a request before our time: not judged.
                  StreamEvent{t0 + 95 * kDiagMs, EventSource::Sse,
                              toolResponse(diagUuid(5), t0 + 95 * kDiagMs, {QStringLiteral("request:old")}, QStringLiteral("old"))}});
        const auto findings = rig.diagnose(t0 + 5 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::UnmatchedResponse)});
        const Finding *f = findFinding(findings, finding::UnmatchedResponse);
        QCOMPARE(f->figures.value(QStringLiteral("without_request_tag")).toInt(), 1);
        QCOMPARE(f->figures.value(QStringLiteral("other_id")).toInt(), 1);
        QCOMPARE(f->eventIds, (QList<QByteArray>{diagUuid(2), diagUuid(4)}));
    }

    void lateAnswer()
    {
        DiagRig rig;
        const qint64 t0 = kDiagBaseNs;
        rig.feed({StreamEvent{t0, EventSource::Sse,
                              toolRequest(diagUuid(1), t0, QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                                       {QStringLiteral("input"), QJsonObject{{QStringLiteral("x"), 1}}},
                                                                       {QStringLiteral("requestId"), QStringLiteral("slow")}})},
                  StreamEvent{t0 + 75 * kDiagS, EventSource::Sse,
                              toolResponse(diagUuid(2), t0 + 75 * kDiagS, {QStringLiteral("request:slow")}, QStringLiteral("slow"))}});
        const auto findings = rig.diagnose(t0 + 76 * kDiagS);
        QCOMPARE(problems(findings), QStringList{QString(finding::LateAnswer)});
        QCOMPARE(findFinding(findings, finding::LateAnswer)->eventIds, QList<QByteArray>{diagUuid(1)});
    }

    void deliveredLateVerdict()
    {
        DiagRig rig;
        const qint64 t0 = kDiagBaseNs;
        // Answered in 2 s by the server; request and response each delivered 40 s late.
        rig.feed({StreamEvent{t0 + 40 * kDiagS, EventSource::Sse,
                              toolRequest(diagUuid(1), t0, QJsonObject{{QStringLiteral("tool"), QStringLiteral("random")},
                                                                       {QStringLiteral("input"), QJsonObject{{QStringLiteral("x"), 1}}},
                                                                       {QStringLiteral("requestId"), QStringLiteral("q")}})},
                  StreamEvent{t0 + 42 * kDiagS, EventSource::Sse,
                              toolResponse(diagUuid(2), t0 + 2 * kDiagS, {QStringLiteral("request:q")}, QStringLiteral("q"))}});
        const FlowRequest *r = rig.tracker.request(diagUuid(1));
        QVERIFY(r);
        const DeliveryVerdict v = deliveryVerdict(rig.tracker, *r, 0);
        QVERIFY(v.answeredOnTime);
        QCOMPARE(v.serverRoundTripMs, qint64(2000));
        QCOMPARE(v.deliveredAfterMs, qint64(42000));
        QCOMPARE(v.ssePathMs, qint64(82000));
        QVERIFY(v.deliveredLate);
    }

    void stalledStreamFromProbesAndReconcile()
    {
        DiagRig rig;
        // Events stop after 20 s; pings go on.
        QList<ServerWrite> writes = demoTraffic(60 * kDiagS);
        writes.erase(std::remove_if(writes.begin(), writes.end(),
                                    [](const ServerWrite &w) { return !w.isPing() && w.serverNs > kDiagBaseNs + 20 * kDiagS; }),
                     writes.end());
        rig.feed(deliver(writes, healthyDelivery()));
        ProbeOutcome probe;
        probe.breadcrumbId = "probe-1";
        probe.sentNs = kDiagBaseNs + 30 * kDiagS;
        probe.ackNs = probe.sentNs + 3 * kDiagMs;
        ReconcileResult rec;
        rec.done = true;
        rec.atNs = kDiagBaseNs + 61 * kDiagS;
        rec.listed = 12;
        rec.missing.append({diagUuid(99), 1, kDiagBaseNs + 25 * kDiagS});
        rec.missing.append({diagUuid(98), 1, kDiagBaseNs + 60 * kDiagS}); // too young to count
        const auto findings = rig.diagnose(kDiagBaseNs + 61 * kDiagS, {probe}, rec);
        QCOMPARE(problems(findings), QStringList{QString(finding::StalledStream)});
        const Finding *f = findFinding(findings, finding::StalledStream);
        QCOMPARE(f->figures.value(QStringLiteral("lost_probes")).toInt(), 1);
        QCOMPARE(f->figures.value(QStringLiteral("missing_in_stream")).toInt(), 1);
        QVERIFY(f->eventIds.contains("probe-1"));
    }

    void deadStream()
    {
        DiagRig rig;
        DiagnosisInput in;
        in.stats = &rig.stats;
        in.stream.live = true;
        in.stream.observedFromNs = kDiagBaseNs;
        in.stream.observedToNs = kDiagBaseNs + 5 * kDiagS;
        in.stream.lastError = QStringLiteral("HTTP 503");
        in.nowNs = in.stream.observedToNs;
        auto findings = diagnose(in);
        QCOMPARE(problems(findings), QStringList{QString(finding::DeadStream)});
        QCOMPARE(findings.first().severity, Severity::Error);
        QVERIFY(findings.first().evidence.join(u' ').contains(QStringLiteral("HTTP 503")));

        // Accepted again and again, silent each time: what a buffer longer than the watchdog does.
        in.stream.connects = 4;
        findings = diagnose(in);
        QCOMPARE(problems(findings), QStringList{QString(finding::DeadStream)});
        QVERIFY(findings.first().evidence.join(u' ').contains(QStringLiteral("stayed silent")));
        QVERIFY(findings.first().fixHint.contains(QStringLiteral("buffering proxy")));
        in.stream.connects = 0;

        // A stream that went silent after a while.
        rig.feed(deliver(demoTraffic(20 * kDiagS), healthyDelivery()));
        in.stream.connects = 1;
        in.stream.observedToNs = kDiagBaseNs + 60 * kDiagS;
        in.nowNs = in.stream.observedToNs;
        findings = diagnose(in);
        QCOMPARE(problems(findings), QStringList{QString(finding::DeadStream)});
        QVERIFY(findings.first().summary.contains(QStringLiteral("went silent")));
    }

    void jsonShape()
    {
        DiagRig rig;
        rig.feed(deliver(demoTraffic(30 * kDiagS), healthyDelivery(), 2));
        const QJsonObject o = diagnosisToJson(rig.diagnose(kDiagBaseNs + 31 * kDiagS));
        const QJsonArray list = o.value(QStringLiteral("findings")).toArray();
        QCOMPARE(list.size(), 1);
        const QJsonObject f = list.first().toObject();
        QCOMPARE(f.value(QStringLiteral("id")).toString(), QStringLiteral("duplicates"));
        QCOMPARE(f.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QVERIFY(!f.value(QStringLiteral("summary")).toString().isEmpty());
        QVERIFY(f.value(QStringLiteral("evidence")).isObject());
        QVERIFY(f.value(QStringLiteral("evidence")).toObject().value(QStringLiteral("event_ids")).isArray());
    }

    void probeOutcomeJson()
    {
        ProbeOutcome p;
        p.probeId = "n1";
        p.breadcrumbId = "b1";
        p.sentNs = 1'763'000'000'123'456'789;
        p.ackNs = p.sentNs + 2'000'000;
        p.updatedAtNs = p.sentNs + 1'000'000;
        p.streamNs = p.sentNs + 5'000'000;
        const auto back = ProbeOutcome::fromJson(p.toJson());
        QVERIFY(back);
        QCOMPARE(back->sentNs, p.sentNs);
        QCOMPARE(back->streamNs, p.streamNs);
        QCOMPARE(back->streamMs(), 5.0);
        QString error;
        QVERIFY(!ProbeOutcome::fromJson("[1]", &error));
        QVERIFY(!error.isEmpty());
        QVERIFY(!ProbeOutcome::fromJson(R"({"sent_ns":"x"})", &error));
        QVERIFY(!ProbeOutcome::fromJson("not json", &error));
    }

    void probeSummaryCountsLostOnlyAfterTheWait()
    {
        ProbeOutcome seen{"a", "1", 100, 102, 101, 110, 0, {}};
        ProbeOutcome young{"b", "2", 200, 203, 0, 0, 0, {}};
        ProbeOutcome failed{"c", "", 300, 0, 0, 0, 0, QStringLiteral("HTTP 500")};
        const ProbeSummary s = summarizeProbes({seen, young, failed}, 1000, 10'000);
        QCOMPARE(s.sent, 3);
        QCOMPARE(s.acked, 2);
        QCOMPARE(s.failed, 1);
        QCOMPARE(s.seen, 1);
        QCOMPARE(s.lost, 0);
        QCOMPARE(summarizeProbes({young}, 20'000, 10'000).lost, 1);
    }
};

QTEST_GUILESS_MAIN(TestDiagnosis)
#include "tst_diagnosis.moc"
