// rcrt-tap invoke and run-tools as a user runs them: the real binary against rcrt-sim.

#include "net/restclient.h"
#include "support/simprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;
using namespace rcrt::test;

namespace {

QStringList withUrl(const SimProcess &sim, QStringList args)
{
    return QStringList{QStringLiteral("--url"), sim.url().toString()} + args;
}

QJsonObject lastJsonLine(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

} // namespace

class TestTapInvoke : public QObject
{
    Q_OBJECT

private slots:
    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("no json") << QStringList{QStringLiteral("invoke"), QStringLiteral("echo")} << QByteArray("needs TOOL and JSON");
        QTest::newRow("bad json") << QStringList{QStringLiteral("invoke"), QStringLiteral("echo"), QStringLiteral("{nope")}
                                  << QByteArray("not valid JSON");
        QTest::newRow("bad timeout") << QStringList{QStringLiteral("invoke"), QStringLiteral("echo"), QStringLiteral("{}"),
                                                    QStringLiteral("--timeout"), QStringLiteral("-1")}
                                     << QByteArray("--timeout");
        QTest::newRow("bad concurrency") << QStringList{QStringLiteral("run-tools"), QStringLiteral("--concurrency"), QStringLiteral("0")}
                                         << QByteArray("--concurrency");
        QTest::newRow("run-tools extra arg") << QStringList{QStringLiteral("run-tools"), QStringLiteral("x")}
                                             << QByteArray("unexpected argument");
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, message);
        const TapResult r = runTap(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
    }

    void localRunnerAnswersInProcess_data()
    {
        QTest::addColumn<QStringList>("simArgs");
        QTest::addColumn<QStringList>("authArgs");
        QTest::newRow("dev mode") << QStringList{} << QStringList{};
        QTest::newRow("jwt") << QStringList{QStringLiteral("--auth"), QStringLiteral("jwt")}
                             << QStringList{QStringLiteral("--owner-id"), QStringLiteral("00000000-0000-0000-0000-000000000001"),
                                            QStringLiteral("--agent-id"), QStringLiteral("00000000-0000-0000-0000-0000000000cc")};
    }

    void localRunnerAnswersInProcess()
    {
        QFETCH(QStringList, simArgs);
        QFETCH(QStringList, authArgs);
        SimProcess sim;
        QVERIFY2(sim.start(simArgs + QStringList{QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        const TapResult r = runTap(withUrl(sim, authArgs + QStringList{QStringLiteral("--json"), QStringLiteral("invoke"),
                                                                       QStringLiteral("echo"), QStringLiteral(R"({"message":"hi ✅"})"),
                                                                       QStringLiteral("--local-runner")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = lastJsonLine(r.out);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        const QJsonObject response = o.value(QStringLiteral("response")).toObject();
        QCOMPARE(response.value(QStringLiteral("request_id")).toString(), o.value(QStringLiteral("request_id")).toString());
        QVERIFY(QJsonDocument(response.value(QStringLiteral("output")).toObject()).toJson().contains("hi ✅"));
        const QJsonObject t = o.value(QStringLiteral("timeline")).toObject();
        for (const char *key : {"write_ack_ms", "request_local_ms", "request_sse_ms", "response_local_ms", "response_sse_ms"})
            QVERIFY2(t.value(QLatin1String(key)).isDouble(), key);
    }

    void serverSideRunnerAndTextOutput()
    {
        SimProcess sim; // with its simulated tools-runner
        QVERIFY2(sim.start({QStringLiteral("--quiet")}), qPrintable(sim.error()));
        const TapResult r = runTap(withUrl(sim, {QStringLiteral("invoke"), QStringLiteral("calculator"),
                                                 QStringLiteral(R"({"expression":"2 + 3"})")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject response = QJsonDocument::fromJson(r.out.left(r.out.indexOf("\n#"))).object();
        QCOMPARE(response.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        QVERIFY(r.out.contains("#   response on local bus   not seen")); // nobody in-process answered
        QVERIFY(r.out.contains("#   response on SSE "));
        QVERIFY(!r.out.contains("#   response on SSE         not seen"));
    }

    void statusErrorExitsOneAndTimeoutTwo()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        const TapResult error = runTap(withUrl(sim, {QStringLiteral("--json"), QStringLiteral("invoke"), QStringLiteral("no-such-tool"),
                                                     QStringLiteral("{}"), QStringLiteral("--local-runner"),
                                                     QStringLiteral("--sse-grace"), QStringLiteral("0")}));
        QCOMPARE(error.exitCode, 1);
        QCOMPARE(lastJsonLine(error.out).value(QStringLiteral("response")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("error"));
        const TapResult timeout = runTap(withUrl(sim, {QStringLiteral("invoke"), QStringLiteral("echo"),
                                                       QStringLiteral(R"({"message":"x"})"), QStringLiteral("--timeout"),
                                                       QStringLiteral("0.3")}));
        QCOMPARE(timeout.exitCode, 2);
        QVERIFY(timeout.err.contains("timeout"));
        QVERIFY(timeout.out.contains("#   request on SSE")); // the request itself went out
    }

    void runToolsAnswersAndLogs()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));
        QProcess tap;
        tap.start(tapPath(), withUrl(sim, {QStringLiteral("run-tools"), QStringLiteral("--concurrency"), QStringLiteral("2"),
                                           QStringLiteral("--duration"), QStringLiteral("20"), QStringLiteral("--stats-every"),
                                           QStringLiteral("1")}));
        QVERIFY(tap.waitForStarted(5000));
        QNetworkAccessManager nam;
        RestClient rest(&nam, sim.url(), nullptr);
        // Wait for the runner's catalog: then it listens.
        QVERIFY(QTest::qWaitFor([&] {
            RestCall *call = rest.listBreadcrumbs({QStringLiteral("tool:catalog"), {}, {}, {}, false});
            QSignalSpy spy(call, &RestCall::finished);
            return spy.wait(5000) && spy.first().first().value<RestResult>().body.contains("\"id\"");
        }, 10000));
        const QByteArray body = QJsonDocument(QJsonObject{
            {QStringLiteral("title"), QStringLiteral("r")},
            {QStringLiteral("schema_name"), QStringLiteral("tool.request.v1")},
            {QStringLiteral("tags"), QJsonArray{QStringLiteral("tool:request"), QStringLiteral("workspace:tools")}},
            {QStringLiteral("context"), QJsonObject{{QStringLiteral("tool"), QStringLiteral("echo")},
                                                    {QStringLiteral("input"), QJsonObject{{QStringLiteral("message"), QStringLiteral("m")}}},
                                                    {QStringLiteral("requestId"), QStringLiteral("rt-1")}}}}).toJson(QJsonDocument::Compact);
        QSignalSpy created(rest.createBreadcrumb(body), &RestCall::finished);
        QVERIFY(created.wait(5000));
        QByteArray err;
        QVERIFY(QTest::qWaitFor([&] {
            err += tap.readAllStandardError();
            return err.contains("executed echo request_id=rt-1") && err.contains("done=1");
        }, 10000));
        QVERIFY2(err.contains("success"), err.constData());
        tap.terminate();
        QVERIFY(tap.waitForFinished(5000));
    }
};

QTEST_GUILESS_MAIN(TestTapInvoke)
#include "tst_tap_invoke.moc"
