// LocalNode on a worker thread, as the GUI runs it beside LiveSource and the EventStore on the
// ingest thread: controlled by queued calls, observed through queued signals.

#include "tst_runner_rig.h"

#include <QThread>

using namespace rcrt;
using namespace rcrt::test;

class TestRunnerThread : public QObject
{
    Q_OBJECT

private slots:
    void nodeOnAWorkerThread()
    {
        SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--no-runner"), QStringLiteral("--quiet")}), qPrintable(sim.error()));

        QThread worker;
        worker.start();
        QObject anchor;
        anchor.moveToThread(&worker);
        QNetworkAccessManager *nam = nullptr;
        RestClient *rest = nullptr;
        LocalNode *node = nullptr;
        QMetaObject::invokeMethod(&anchor, [&] {
            nam = new QNetworkAccessManager;
            rest = new RestClient(nam, sim.url(), nullptr);
            node = new LocalNode(rest);
        }, Qt::BlockingQueuedConnection);
        QCOMPARE(node->thread(), &worker);

        // The GUI side: a store and stats on this (the main) thread.
        EventStore store;
        connect(node, &LocalNode::localEvents, &store, &EventStore::ingestBatch); // queued
        QSignalSpy stats(node, &LocalNode::runnerStatsChanged);
        QSignalSpy enabled(node, &LocalNode::runnerEnabledChanged);
        QVERIFY(QMetaObject::invokeMethod(node, "setRunnerEnabled", Qt::QueuedConnection, Q_ARG(bool, true),
                                          Q_ARG(rcrt::RunnerOptions, testRunnerOptions())));
        QTRY_COMPARE(enabled.count(), 1);

        QString requestId;
        QMetaObject::invokeMethod(node, [&] {
            ToolInvocation *inv = node->invoke(QStringLiteral("echo"), QJsonObject{{QStringLiteral("message"), QStringLiteral("t")}});
            requestId = inv->requestId();
        }, Qt::BlockingQueuedConnection);
        // The request, its response and the catalog reach the store on this thread.
        QTRY_VERIFY_WITH_TIMEOUT(store.seqsForSchema("tool.response.v1").size() == 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(store.seqsForSchema("tool.catalog.v1").size() == 1, 10000);
        QCOMPARE(store.seqsForSchema("tool.request.v1").size(), qsizetype(1));
        QTRY_VERIFY(!stats.isEmpty());
        QTRY_COMPARE(stats.last().first().value<RunnerStats>().done, qint64(1));
        QNetworkAccessManager mainNam;
        RestClient mainRest(&mainNam, sim.url(), nullptr);
        QCOMPARE(responseCounts(mainRest).value(requestId), 1);

        QMetaObject::invokeMethod(&anchor, [&] {
            delete node;
            delete rest;
            delete nam;
        }, Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
    }
};

QTEST_GUILESS_MAIN(TestRunnerThread)
#include "tst_runner_thread.moc"
