// rcrt-tap as a user runs it: the real binary against rcrt-sim over loopback.

#include "support/simprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rcrt::test;

namespace {

QJsonObject parseObject(const QByteArray &line)
{
    QJsonParseError error{};
    const auto doc = QJsonDocument::fromJson(line, &error);
    return error.error == QJsonParseError::NoError ? doc.object() : QJsonObject();
}

QStringList withUrl(const SimProcess &sim, QStringList args)
{
    return QStringList{QStringLiteral("--url"), sim.url().toString()} + args;
}

} // namespace

class TestTap : public QObject
{
    Q_OBJECT

private slots:
    void usageErrorsExitTwo()
    {
        QCOMPARE(runTap({}).exitCode, 2);
        QCOMPARE(runTap({QStringLiteral("no-such-command")}).exitCode, 2);
        const auto r = runTap({QStringLiteral("--url"), QStringLiteral("ftp://x"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("invalid --url"));
        QCOMPARE(runTap({QStringLiteral("--token"), QStringLiteral("a"), QStringLiteral("--owner-id"),
                         QStringLiteral("b"), QStringLiteral("--agent-id"), QStringLiteral("c"),
                         QStringLiteral("list")})
                     .exitCode,
                 2);
    }

    void restVerbsRoundTrip_data()
    {
        QTest::addColumn<QStringList>("simArgs");
        QTest::addColumn<QStringList>("authArgs");
        QTest::newRow("dev mode") << QStringList{QStringLiteral("--auth"), QStringLiteral("disabled")}
                                  << QStringList{};
        QTest::newRow("jwt, minted") << QStringList{QStringLiteral("--auth"), QStringLiteral("jwt")}
                                     << QStringList{QStringLiteral("--owner-id"),
                                                    QStringLiteral("00000000-0000-0000-0000-000000000001"),
                                                    QStringLiteral("--agent-id"),
                                                    QStringLiteral("00000000-0000-0000-0000-0000000000cc")};
    }

    void restVerbsRoundTrip()
    {
        QFETCH(QStringList, simArgs);
        QFETCH(QStringList, authArgs);
        SimProcess sim;
        QVERIFY2(sim.start(simArgs), qPrintable(sim.error()));
        const auto tap = [&](const QStringList &args) { return runTap(withUrl(sim, authArgs + args)); };

        QCOMPARE(tap({QStringLiteral("health")}).out.trimmed(), QByteArray("ok"));

        auto created = tap({QStringLiteral("create"), QStringLiteral("--title"), QStringLiteral("hello"),
                            QStringLiteral("--schema"), QStringLiteral("note.v1"), QStringLiteral("--tag"),
                            QStringLiteral("a:b"), QStringLiteral("--context"), QStringLiteral(R"({"n":1})")});
        QVERIFY2(created.exitCode == 0, created.err.constData());
        const QString id = parseObject(created.out).value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());

        auto full = tap({QStringLiteral("full"), id});
        QCOMPARE(full.exitCode, 0);
        QCOMPARE(parseObject(full.out).value(QStringLiteral("title")).toString(), QStringLiteral("hello"));

        auto updated = tap({QStringLiteral("update"), id, QStringLiteral("--if-match"), QStringLiteral("1"),
                            QStringLiteral("--context"), QStringLiteral(R"({"n":2})")});
        QVERIFY2(updated.exitCode == 0, updated.err.constData());

        // A stale If-Match: the status and the server's text verbatim, exit 1.
        auto stale = tap({QStringLiteral("update"), id, QStringLiteral("--if-match"), QStringLiteral("1"),
                          QStringLiteral("--context"), QStringLiteral(R"({"n":3})")});
        QCOMPARE(stale.exitCode, 1);
        QVERIFY2(stale.err.contains("412") && stale.err.contains("version_mismatch"), stale.err.constData());

        auto got = tap({QStringLiteral("get"), id});
        QCOMPARE(parseObject(got.out).value(QStringLiteral("version")).toInt(), 2);

        auto history = tap({QStringLiteral("history"), id});
        const auto versions = QJsonDocument::fromJson(history.out).array();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(0).toObject().value(QStringLiteral("version")).toInt(), 2);

        auto listed = tap({QStringLiteral("list"), QStringLiteral("--tag"), QStringLiteral("a:b"),
                           QStringLiteral("--include-context")});
        const auto items = QJsonDocument::fromJson(listed.out).array();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.at(0).toObject().value(QStringLiteral("context")).toObject().value(QStringLiteral("n")).toInt(), 2);

        auto keyed = [&] {
            return tap({QStringLiteral("create"), QStringLiteral("--title"), QStringLiteral("k"),
                        QStringLiteral("--idempotency-key"), QStringLiteral("key-1")});
        };
        QCOMPARE(keyed().exitCode, 0);
        const auto repeat = keyed();
        QCOMPARE(repeat.exitCode, 1);
        QVERIFY(repeat.err.contains("409"));

        QCOMPARE(tap({QStringLiteral("delete"), id}).exitCode, 0);
        const auto gone = tap({QStringLiteral("delete"), id});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY(gone.err.contains("404"));
    }

    void jwtWithoutTokenShowsServerText()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--auth"), QStringLiteral("jwt")}), qPrintable(sim.error()));
        const auto r = runTap(withUrl(sim, {QStringLiteral("get"), QStringLiteral("00000000-0000-0000-0000-000000000009")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("401") && r.err.contains("missing Authorization"), r.err.constData());
    }

    void badJsonIsAUsageError()
    {
        const auto r = runTap({QStringLiteral("create"), QStringLiteral("--title"), QStringLiteral("x"),
                               QStringLiteral("--context"), QStringLiteral("{nope")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("not valid JSON"));
    }

    void tailJsonShowsDemoFlow()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo")}), qPrintable(sim.error()));
        const auto r = runTap(withUrl(sim, {QStringLiteral("--json"), QStringLiteral("tail"),
                                            QStringLiteral("--count"), QStringLiteral("12"),
                                            QStringLiteral("--duration"), QStringLiteral("40")}),
                              60000);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 12);
        QSet<QString> schemas;
        for (const QByteArray &line : lines) {
            const QJsonObject o = parseObject(line);
            QCOMPARE(o.keys().size(), 9);
            for (const char *key : {"arrived_at", "lag_ms", "source", "type", "breadcrumb_id", "version",
                                    "schema_name", "tags", "updated_at"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("sse"));
            QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("breadcrumb.updated"));
            QVERIFY(o.value(QStringLiteral("lag_ms")).toDouble() > -1000);
            schemas.insert(o.value(QStringLiteral("schema_name")).toString());
        }
        QVERIFY2(schemas.contains(QStringLiteral("tool.request.v1")), qPrintable(QStringList(schemas.values()).join(u',')));
    }

    void tailFiltersAndHistory()
    {
        SimProcess sim;
        QVERIFY2(sim.start(), qPrintable(sim.error()));
        for (int i = 0; i < 5; ++i) {
            const auto c = runTap(withUrl(sim, {QStringLiteral("create"), QStringLiteral("--title"),
                                                QStringLiteral("t%1").arg(i), QStringLiteral("--schema"),
                                                i % 2 ? QStringLiteral("odd.v1") : QStringLiteral("even.v1")}));
            QCOMPARE(c.exitCode, 0);
        }
        // History is loaded by backfill before anything new arrives.
        const auto r = runTap(withUrl(sim, {QStringLiteral("--json"), QStringLiteral("tail"),
                                            QStringLiteral("--history"), QStringLiteral("10"),
                                            QStringLiteral("--schema"), QStringLiteral("even.v1"),
                                            QStringLiteral("--count"), QStringLiteral("3"),
                                            QStringLiteral("--duration"), QStringLiteral("20")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (const QByteArray &line : lines) {
            const QJsonObject o = parseObject(line);
            QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("backfill"));
            QCOMPARE(o.value(QStringLiteral("schema_name")).toString(), QStringLiteral("even.v1"));
        }
    }

    void tailStopsOn204()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--stream-status"), QStringLiteral("204")}), qPrintable(sim.error()));
        const auto r = runTap(withUrl(sim, {QStringLiteral("tail"), QStringLiteral("--duration"), QStringLiteral("20")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("204"), r.err.constData());
    }

    void tailSummaryCountsDuplicatesAndRejects()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"),
                            QStringLiteral("500"), QStringLiteral("--dup-selectors"), QStringLiteral("2"),
                            QStringLiteral("--garbage-every"), QStringLiteral("50")}),
                 qPrintable(sim.error()));
        const auto r = runTap(withUrl(sim, {QStringLiteral("--json"), QStringLiteral("tail"),
                                            QStringLiteral("--duration"), QStringLiteral("3"),
                                            QStringLiteral("--summary")}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QByteArray last = r.out.trimmed().split('\n').last();
        const QJsonObject summary = parseObject(last).value(QStringLiteral("summary")).toObject();
        const qint64 events = summary.value(QStringLiteral("events")).toInteger();
        QVERIFY2(events > 100, last.constData());
        // Two selector copies per event: every event arrives three times, counted once.
        QVERIFY2(summary.value(QStringLiteral("duplicates")).toInteger() >= events, last.constData());
        QVERIFY2(summary.value(QStringLiteral("rejected")).toInteger() >= 1, last.constData());
        QVERIFY(r.err.contains("rejected payload"));
    }
};

QTEST_GUILESS_MAIN(TestTap)
#include "tst_tap.moc"
