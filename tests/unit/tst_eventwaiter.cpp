#include "model/eventwaiter.h"
#include "model/localbus.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace rcrt;

namespace {

int g_version = 0;

StreamEvent response(const QString &requestId, const QString &status = QStringLiteral("success"),
                     EventSource source = EventSource::Sse)
{
    const QByteArray id = QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
    const QByteArray raw = QStringLiteral(
        R"({"breadcrumb_id":"%1","version":%2,"tags":["workspace:tools","tool:response","request:%3"],)"
        R"("schema_name":"tool.response.v1","updated_at":"2025-11-07T10:30:05.021448Z",)"
        R"("context":{"tool":"random","output":{"numbers":[7]},"status":"%4","request_id":"%3"},)"
        R"("type":"breadcrumb.updated"})")
                               .arg(QString::fromLatin1(id)).arg(++g_version).arg(requestId, status)
                               .toUtf8();
    return StreamEvent{nowNs(), source, raw};
}

StreamEvent ping()
{
    return StreamEvent{nowNs(), EventSource::Sse, QByteArray(R"({"type":"ping","ts":"2025-11-07T10:30:05Z"})")};
}

QString contextStatus(const QJsonObject &b)
{
    return b.value(QStringLiteral("context")).toObject().value(QStringLiteral("status")).toString();
}

} // namespace

class TestEventWaiter : public QObject
{
    Q_OBJECT

private slots:
    void futureEventResolves()
    {
        EventWaiter waiter;
        EventWait *w = waiter.wait(WaitCriteria::responseTo(QStringLiteral("r1")), 5000);
        QSignalSpy matched(w, &EventWait::matched);
        waiter.feed(response(QStringLiteral("other")));
        waiter.feed(ping());
        QCOMPARE(matched.count(), 0);
        waiter.feed(response(QStringLiteral("r1")));
        QCOMPARE(matched.count(), 1); // synchronously, from feed()
        const auto b = matched.first().first().toJsonObject();
        QCOMPARE(b.value(QStringLiteral("context")).toObject().value(QStringLiteral("request_id")).toString(),
                 QStringLiteral("r1"));
        QCOMPARE(waiter.pendingCount(), 0);
        waiter.feed(response(QStringLiteral("r1")));
        QCOMPARE(matched.count(), 1); // once only
    }

    void historyNewestFirstAndNeverSynchronous()
    {
        EventWaiter waiter;
        waiter.feed(response(QStringLiteral("r1"), QStringLiteral("error")));
        waiter.feed(response(QStringLiteral("r1"), QStringLiteral("success")));
        EventWait *w = waiter.wait(WaitCriteria::responseTo(QStringLiteral("r1")), 5000);
        QSignalSpy matched(w, &EventWait::matched);
        QCOMPARE(matched.count(), 0); // delivered from the event loop
        QVERIFY(matched.wait(2000));
        QCOMPARE(contextStatus(matched.first().first().toJsonObject()), QStringLiteral("success"));
    }

    void historyKeepsOnlyTheLastHundredBreadcrumbs()
    {
        EventWaiter waiter;
        waiter.feed(response(QStringLiteral("old")));
        for (int i = 0; i < 100; ++i) {
            waiter.feed(response(QStringLiteral("filler")));
            waiter.feed(ping()); // pings do not take history places
        }
        QCOMPARE(waiter.historyCount(), qsizetype(100));
        EventWait *w = waiter.wait(WaitCriteria::responseTo(QStringLiteral("old")), 100);
        QSignalSpy matched(w, &EventWait::matched);
        QSignalSpy timedOut(w, &EventWait::timedOut);
        QVERIFY(timedOut.wait(3000));
        QCOMPARE(matched.count(), 0);
    }

    void timeoutMessageNamesTheCriteria()
    {
        EventWaiter waiter;
        EventWait *w = waiter.wait(WaitCriteria::responseTo(QStringLiteral("never")), 50);
        QPointer<EventWait> guard(w);
        QSignalSpy timedOut(w, &EventWait::timedOut);
        QVERIFY(timedOut.wait(3000));
        QCOMPARE(timedOut.first().first().toString(),
                 QStringLiteral(R"(Timeout waiting for event: {"request_id":"never","schema_name":"tool.response.v1"})"));
        QCOMPARE(waiter.pendingCount(), 0);
        QTRY_VERIFY(guard.isNull()); // deletes itself
    }

    void oneEventResolvesSeveralWaiters()
    {
        EventWaiter waiter;
        WaitCriteria byTag;
        byTag.tags = {QStringLiteral("request:r7")};
        WaitCriteria bySchema;
        bySchema.schemaName = QStringLiteral("tool.response.v1");
        WaitCriteria other = WaitCriteria::responseTo(QStringLiteral("r8"));
        QSignalSpy a(waiter.wait(byTag), &EventWait::matched);
        QSignalSpy b(waiter.wait(bySchema), &EventWait::matched);
        QSignalSpy c(waiter.wait(other), &EventWait::matched);
        waiter.feed(response(QStringLiteral("r7")));
        QCOMPARE(a.count(), 1);
        QCOMPARE(b.count(), 1);
        QCOMPARE(c.count(), 0);
        QCOMPARE(waiter.pendingCount(), 1);
    }

    void deletingTheHandleCancels()
    {
        EventWaiter waiter;
        EventWait *w = waiter.wait(WaitCriteria::responseTo(QStringLiteral("r1")), 5000);
        delete w;
        QCOMPARE(waiter.pendingCount(), 0);
        waiter.feed(response(QStringLiteral("r1"))); // no crash, nobody waits
    }

    void callbackFormHonoursItsGuard()
    {
        EventWaiter waiter;
        int calls = 0;
        std::optional<QJsonObject> got;
        auto *guard = new QObject;
        waiter.waitFor(WaitCriteria::responseTo(QStringLiteral("g")), 5000, guard,
                       [&](std::optional<QJsonObject> b) { ++calls; got = b; });
        delete guard;
        waiter.feed(response(QStringLiteral("g")));
        QCOMPARE(calls, 0);
        QCOMPARE(waiter.pendingCount(), 0);

        waiter.waitFor(WaitCriteria::responseTo(QStringLiteral("h")), 30, nullptr,
                       [&](std::optional<QJsonObject> b) { ++calls; got = b; });
        QTRY_COMPARE(calls, 1);
        QVERIFY(!got.has_value()); // timeout → nullopt
    }

    void restItemsGetABreadcrumbId()
    {
        EventWaiter waiter;
        WaitCriteria c;
        c.requestId = QStringLiteral("wf-1");
        QSignalSpy matched(waiter.wait(c), &EventWait::matched);
        waiter.feed(StreamEvent{nowNs(), EventSource::Backfill, QByteArray(
            R"({"id":"0b4c3e7e-1d2f-4a5b-8c9d-0e1f2a3b4c5d","title":"t","description":null,)"
            R"("semantic_version":null,"context":{"requestId":"wf-1"},"tags":[],)"
            R"("schema_name":"tool.request.v1","llm_hints":null,"version":1,)"
            R"("updated_at":"2025-11-07T10:30:05Z"})")});
        QCOMPARE(matched.count(), 1);
        QCOMPARE(matched.first().first().toJsonObject().value(QStringLiteral("breadcrumb_id")).toString(),
                 QStringLiteral("0b4c3e7e-1d2f-4a5b-8c9d-0e1f2a3b4c5d"));
        QCOMPARE(matched.first().at(1).value<StreamEvent>().source, EventSource::Backfill);
    }

    void garbageIsIgnored()
    {
        EventWaiter waiter;
        QSignalSpy matched(waiter.wait(WaitCriteria()), &EventWait::matched);
        waiter.feed(StreamEvent{nowNs(), EventSource::Sse, QByteArray("{not json")});
        waiter.feed(StreamEvent{nowNs(), EventSource::Sse, QByteArray("[1,2]")});
        QCOMPARE(matched.count(), 0);
        QCOMPARE(waiter.historyCount(), qsizetype(0));
    }

    void localBusDeliversSynchronouslyAsLocal()
    {
        LocalBus bus;
        EventWaiter waiter;
        connect(&bus, &LocalBus::delivered, &waiter, qOverload<const StreamEvent &>(&EventWaiter::feed));
        QSignalSpy matched(waiter.wait(WaitCriteria::responseTo(QStringLiteral("l1"))), &EventWait::matched);
        StreamEvent e = response(QStringLiteral("l1"));
        e.arrivalNs = 0;
        bus.publish(e);
        QCOMPARE(matched.count(), 1);
        const auto delivered = matched.first().at(1).value<StreamEvent>();
        QCOMPARE(delivered.source, EventSource::Local);
        QVERIFY(delivered.arrivalNs > 0);
        QCOMPARE(bus.publishedCount(), qint64(1));
    }
};

QTEST_GUILESS_MAIN(TestEventWaiter)
#include "tst_eventwaiter.moc"
