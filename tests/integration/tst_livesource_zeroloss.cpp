// Zero loss across reconnects: rcrt-sim writes thousands of breadcrumbs and updates while
// --drop-after cuts every stream after a few hundred events. RCRT has no replay, so only the
// LiveSource's re-list can fill the gaps; at the end the store must hold exactly the server's
// latest version of every breadcrumb, none twice.

#include "app/livesource.h"
#include "model/decoder.h"
#include "model/eventstore.h"
#include "model/jsonsplit.h"
#include "net/restclient.h"
#include "net/tokenprovider.h"
#include "support/simprocess.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>

using namespace rcrt;

namespace {

// Server state: id → latest version, from the unauthenticated full list.
QHash<QByteArray, int> serverVersions(QNetworkAccessManager &nam, const QUrl &url)
{
    RestClient rest(&nam, url, nullptr);
    RestCall *call = rest.listBreadcrumbs({});
    QSignalSpy spy(call, &RestCall::finished);
    if (!spy.wait(30000))
        return {};
    const auto result = spy.first().first().value<RestResult>();
    QHash<QByteArray, int> versions;
    const auto items = splitJsonArray(result.body);
    if (!items)
        return {};
    Decoder decoder;
    for (const QByteArray &item : *items) {
        const auto envelope = decoder.decode(item);
        if (envelope)
            versions.insert(envelope->breadcrumbId, envelope->version);
    }
    return versions;
}

} // namespace

class TestLiveSourceZeroLoss : public QObject
{
    Q_OBJECT

private:
    // Runs a live source against a sim with the given args until the store matches the server
    // (or the deadline passes) and checks that it matches exactly.
    void runZeroLoss(const QStringList &simArgs, int expectMinReconnects)
    {
        test::SimProcess sim;
        QVERIFY2(sim.start(simArgs), qPrintable(sim.error()));

        QNetworkAccessManager nam;
        EventStore store;
        HeldState held;
        held.latestVersion = [&store](QByteArrayView id) { return store.latestVersion(id); };
        held.serverHighWaterNs = [&store] {
            return std::max(store.maxUpdatedAtNs(), store.lastPingTsNs());
        };
        LiveSourceOptions options;
        options.backfillPageSize = 200; // several pages per gap
        options.sse.backoff.initialMs = 50;
        options.sse.backoff.capMs = 400;
        LiveSource live(&nam, sim.url(), nullptr, held, options);
        connect(&live, &LiveSource::eventsReceived, &store, &EventStore::ingestBatch);
        live.start();

        // The workload ends by itself (--events); then the store must converge to the server.
        QHash<QByteArray, int> server;
        QDeadlineTimer deadline(90000);
        bool converged = false;
        int stableRounds = 0;
        qsizetype lastServerSize = -1;
        while (!deadline.hasExpired() && !converged) {
            QTest::qWait(1000);
            server = serverVersions(nam, sim.url());
            stableRounds = server.size() == lastServerSize ? stableRounds + 1 : 0;
            lastServerSize = server.size();
            if (stableRounds < 2 || live.isBackfilling())
                continue;
            converged = std::all_of(server.keyBegin(), server.keyEnd(), [&](const QByteArray &id) {
                return store.latestVersion(id) == server.value(id);
            });
        }
        live.stop();

        QVERIFY2(server.size() > 1000, qPrintable(QStringLiteral("server holds only %1").arg(server.size())));
        qsizetype missing = 0, stale = 0;
        for (auto it = server.cbegin(); it != server.cend(); ++it) {
            const int heldVersion = store.latestVersion(it.key());
            missing += heldVersion == 0;
            stale += heldVersion != 0 && heldVersion < it.value();
            QVERIFY2(heldVersion <= it.value(), "the store holds a version the server never had");
        }
        qInfo("server: %lld breadcrumbs; store: %lld records, %lld ids; reconnects %d, backfills %d; "
              "missing %lld, stale %lld",
              qlonglong(server.size()), qlonglong(store.size()), qlonglong(store.distinctIds()),
              live.sse().reconnectCount(), live.backfillCount(), qlonglong(missing), qlonglong(stale));
        QCOMPARE(missing, 0);
        QCOMPARE(stale, 0);
        QCOMPARE(store.distinctIds(), server.size()); // nothing the server does not have
        // None twice: one record per (id, version). A version may legitimately arrive twice when a
        // re-list overtakes a slow stream; then the store keeps both arrivals on one record.
        QSet<QPair<QByteArray, int>> pairs;
        qsizetype filledByBackfill = 0;
        for (qsizetype i = 0; i < store.size(); ++i) {
            const EventRecord r = store.at(i);
            filledByBackfill += r.first.source == EventSource::Backfill;
            pairs.insert({r.envelope.breadcrumbId, r.envelope.version});
            if (!r.laterArrivals.isEmpty()) {
                bool viaBackfill = r.first.source == EventSource::Backfill;
                for (const Arrival &a : r.laterArrivals)
                    viaBackfill = viaBackfill || a.source == EventSource::Backfill;
                QVERIFY2(viaBackfill, "a repeat arrival without a backfill: the stream duplicated an event");
            }
        }
        QCOMPARE(qsizetype(pairs.size()), store.size());
        qInfo("records first delivered by backfill: %lld", qlonglong(filledByBackfill));
        QVERIFY2(filledByBackfill > 0, "no gap was filled: the test did not exercise the re-list");
        QVERIFY(live.sse().reconnectCount() >= expectMinReconnects);
        QVERIFY(live.backfillCount() >= 1);
    }

private slots:
    void dropAfterCutsStreamsRepeatedly()
    {
        runZeroLoss({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"),
                     QStringLiteral("2000"), QStringLiteral("--events"), QStringLiteral("12000"),
                     QStringLiteral("--drop-after"), QStringLiteral("700"), QStringLiteral("--ping-ms"),
                     QStringLiteral("500")},
                    5);
    }

    void splitFramesAndDropsTogether()
    {
        runZeroLoss({QStringLiteral("--workload"), QStringLiteral("load"), QStringLiteral("--rate"),
                     QStringLiteral("1500"), QStringLiteral("--events"), QStringLiteral("4000"),
                     QStringLiteral("--drop-after"), QStringLiteral("300"), QStringLiteral("--split-frames"),
                     QStringLiteral("--ping-ms"), QStringLiteral("500")},
                    1);
    }
};

QTEST_GUILESS_MAIN(TestLiveSourceZeroLoss)
#include "tst_livesource_zeroloss.moc"
