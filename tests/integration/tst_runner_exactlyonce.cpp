// The in-process tools-runner answers every request exactly once, whatever the deliveries:
// local bus + SSE copies, selector duplicates (rcrt-sim --dup-selectors), reordered and
// replayed payloads, backfill after a late start, new versions of a request, and a restart of
// the runner in the middle of a batch (a second runner against the same server).

#include "tst_runner_rig.h"

using namespace rcrt;
using namespace rcrt::test;

class TestRunnerExactlyOnce : public QObject
{
    Q_OBJECT

private:
    static bool waitForResponses(RestClient &rest, const QStringList &requestIds, int timeoutMs = 20000)
    {
        return QTest::qWaitFor([&] {
            const auto counts = responseCounts(rest);
            for (const QString &id : requestIds)
                if (!counts.contains(id))
                    return false;
            return true;
        }, timeoutMs);
    }

    static void verifyExactlyOnce(RestClient &rest, const QStringList &requestIds)
    {
        const auto counts = responseCounts(rest);
        for (const QString &id : requestIds)
            QVERIFY2(counts.value(id) == 1, qPrintable(QStringLiteral("%1 answered %2 times").arg(id).arg(counts.value(id))));
    }

private slots:
    void duplicatedLocalAndSseDeliveries()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--dup-selectors"), QStringLiteral("2"),
                            QStringLiteral("--quiet")}), qPrintable(sim.error()));
        ConsoleRig console(sim.url());
        QVERIFY(console.start());
        console.node.setRunnerEnabled(true, testRunnerOptions());
        QVERIFY(console.node.runner());

        QNetworkAccessManager nam;
        RestClient other(&nam, sim.url(), nullptr);
        QStringList ids;
        for (int i = 0; i < 10; ++i) {
            const QString id = QStringLiteral("ext-%1").arg(i);
            QVERIFY(!createRequest(other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), id}}, id).isEmpty());
            ids << id;
        }
        QList<ToolInvocation *> invocations;
        for (int i = 0; i < 5; ++i)
            invocations << console.node.invoke(QStringLiteral("echo"),
                                               QJsonObject{{QStringLiteral("message"), QStringLiteral("local %1").arg(i)}});
        for (ToolInvocation *inv : invocations) {
            QTRY_VERIFY_WITH_TIMEOUT(inv->isFinished(), 10000);
            QCOMPARE(inv->status(), ToolInvocation::Status::Success);
            QVERIFY(inv->timeline().responseLocalNs > 0); // answered in-process
            ids << inv->requestId();
        }
        QVERIFY(waitForResponses(other, ids));
        // Let every SSE copy (three per event) arrive and be ignored: 2 per external request
        // (the first copy is the one executed), 3 per local one (the local copy was).
        QTRY_VERIFY_WITH_TIMEOUT(console.node.runner()->stats().duplicates >= 10 * 2 + 5 * 3, 10000);
        QTest::qWait(300);
        verifyExactlyOnce(other, ids);
        const RunnerStats stats = console.node.runner()->stats();
        QCOMPARE(stats.done, qint64(15));
        QCOMPARE(stats.failed, qint64(0));
        QCOMPARE(stats.running + stats.queued + stats.checking, 0);
        // The tool catalog went out once.
        QTRY_COMPARE_WITH_TIMEOUT(listWithContext(other, QStringLiteral("tool.catalog.v1")).size(), qsizetype(1), 5000);
    }

    void reorderedReplayedAndNewVersions()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        ConsoleRig console(sim.url());
        QVERIFY(console.start());
        console.node.setRunnerEnabled(true, testRunnerOptions());
        QNetworkAccessManager nam;
        RestClient other(&nam, sim.url(), nullptr);
        QStringList ids;
        QStringList breadcrumbIds;
        for (int i = 0; i < 6; ++i) {
            const QString id = QStringLiteral("re-%1").arg(i);
            breadcrumbIds << createRequest(other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), id}}, id);
            ids << id;
        }
        QVERIFY(waitForResponses(other, ids));

        // Every payload the store holds, fed again: reversed, as SSE, as backfill and as local.
        QList<StreamEvent> replay;
        for (qsizetype i = console.store.size() - 1; i >= 0; --i)
            replay << StreamEvent{nowNs(), EventSource::Sse, console.store.at(i).raw};
        console.node.feed(replay);
        for (StreamEvent &e : replay)
            e.source = EventSource::Backfill;
        console.node.feed(replay);
        // A PATCH makes version 2 of a request: still the same request.
        RestCall *patch = other.updateBreadcrumb(breadcrumbIds.first(), QByteArrayLiteral(R"({"title":"edited"})"));
        QSignalSpy patched(patch, &RestCall::finished);
        QVERIFY(patched.wait(5000));
        QTRY_VERIFY_WITH_TIMEOUT(console.store.latestVersion(breadcrumbIds.first().toLatin1()) == 2, 5000);
        QTest::qWait(300);
        verifyExactlyOnce(other, ids);
        QCOMPARE(console.node.runner()->stats().done, qint64(6));
        QVERIFY(console.node.runner()->stats().duplicates >= 12);
    }

    void backfilledRequestsAfterALateStart()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient other(&nam, sim.url(), nullptr);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            const QString id = QStringLiteral("early-%1").arg(i);
            createRequest(other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), id}}, id);
            ids << id;
        }
        // The console starts afterwards; only the initial re-list brings those requests.
        ConsoleRig console(sim.url(), 100);
        console.node.setRunnerEnabled(true, testRunnerOptions());
        QVERIFY(console.start());
        QVERIFY(waitForResponses(other, ids));
        QTest::qWait(300);
        verifyExactlyOnce(other, ids);
        QCOMPARE(console.node.runner()->stats().done, qint64(5));
    }

    void answeredByAnotherRunnerBeforeWeStarted()
    {
        SimProcess sim; // with rcrt-sim's own simulated tools-runner
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient other(&nam, sim.url(), nullptr);
        QStringList ids;
        for (int i = 0; i < 4; ++i) {
            const QString id = QStringLiteral("theirs-%1").arg(i);
            createRequest(other, QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), id}}, id);
            ids << id;
        }
        QVERIFY(waitForResponses(other, ids));
        // Our runner re-lists them at start; the lookup finds the other runner's answers (which
        // used no idempotency key of ours), so it answers none of them again.
        ConsoleRig console(sim.url(), 100);
        console.node.setRunnerEnabled(true, testRunnerOptions());
        QVERIFY(console.start());
        QTRY_COMPARE_WITH_TIMEOUT(console.node.runner()->stats().alreadyAnswered, qint64(4), 10000);
        QTest::qWait(300);
        verifyExactlyOnce(other, ids);
        QCOMPARE(console.node.runner()->stats().done, qint64(0));
    }

    void restartInTheMiddle()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        QNetworkAccessManager nam;
        RestClient other(&nam, sim.url(), nullptr);
        QStringList ids;
        {
            ConsoleRig first(sim.url());
            QVERIFY(first.start());
            first.node.setRunnerEnabled(true, testRunnerOptions(1)); // one slot: a queue forms
            for (int i = 0; i < 8; ++i) {
                const QString id = QStringLiteral("rs-%1").arg(i);
                createRequest(other, QStringLiteral("sleep"), QJsonObject{{QStringLiteral("ms"), 150}}, id);
                ids << id;
            }
            QTRY_VERIFY_WITH_TIMEOUT(first.node.runner()->stats().done >= 3, 10000);
            QVERIFY(first.node.runner()->stats().saturated());
        } // the first console goes away with requests queued and one running
        const int answeredBefore = int(responseCounts(other).size());
        QVERIFY(answeredBefore < 8);

        ConsoleRig second(sim.url(), 100);
        second.node.setRunnerEnabled(true, testRunnerOptions(4));
        QVERIFY(second.start());
        QVERIFY(waitForResponses(other, ids));
        QTest::qWait(300);
        verifyExactlyOnce(other, ids);
        const RunnerStats stats = second.node.runner()->stats();
        QVERIFY2(stats.alreadyAnswered >= answeredBefore, qPrintable(QString::number(stats.alreadyAnswered)));
        QCOMPARE(stats.done, qint64(8 - stats.alreadyAnswered));
    }
};

QTEST_GUILESS_MAIN(TestRunnerExactlyOnce)
#include "tst_runner_exactlyonce.moc"
