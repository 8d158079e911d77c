#include "model/eventstore.h"
#include "model/latencytracker.h"
#include "model/latencywindow.h"
#include "model/timestamp.h"

#include <QFile>
#include <QTest>

using rcrt::EventBatch;
using rcrt::EventSource;
using rcrt::EventStore;
using rcrt::LatencySeries;
using rcrt::LatencyTracker;
using rcrt::StreamEvent;

namespace {

const qint64 kT0 = rcrt::parseRfc3339Ns(std::string_view("2025-11-07T10:30:00Z")).value();
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kS = 1'000'000'000;

QByteArray uuid(int n)
{
    return QByteArray::number(n, 16).rightJustified(8, '0') + "-0000-4000-8000-000000000000";
}

// An SSE payload in the server's create order (rcrt-protocol.md §3.4).
QByteArray payload(const QByteArray &id, int version, const QByteArray &schema, qint64 updatedAtNs,
                   const QList<QByteArray> &tags = {}, const QByteArray &context = "{}")
{
    QByteArray tagText;
    for (const QByteArray &tag : tags)
        tagText += (tagText.isEmpty() ? "\"" : ",\"") + tag + '"';
    return "{\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\"00000000-0000-0000-0000-000000000001\",\"version\":"
        + QByteArray::number(version) + ",\"tags\":[" + tagText + "],\"schema_name\":\"" + schema
        + "\",\"updated_at\":\"" + rcrt::formatRfc3339Ns(updatedAtNs) + "\",\"context\":" + context
        + ",\"type\":\"breadcrumb.updated\"}";
}

// JSON written with single quotes, so the tests read without a thicket of escapes (and
// without raw strings, which moc's tokenizer does not follow).
QByteArray j(const char *singleQuoted)
{
    return QByteArray(singleQuoted).replace('\'', '"');
}

QByteArray ping(qint64 tsNs)
{
    return "{\"type\":\"ping\",\"ts\":\"" + rcrt::formatRfc3339Ns(tsNs) + "\"}";
}

// The real path: payloads through an EventStore, its batches into the tracker.
class Feed
{
public:
    explicit Feed(LatencyTracker &tracker, qsizetype maxEvents = 1'000'000)
        : m_store(options(maxEvents))
    {
        QObject::connect(&m_store, &EventStore::batchReady, &m_context,
                         [&tracker](const EventBatch &batch) { tracker.addBatch(batch); });
    }
    void add(const QByteArray &raw, qint64 arrivalNs, EventSource source = EventSource::Sse)
    {
        m_store.ingest(StreamEvent{arrivalNs, source, raw});
    }
    void flush() { m_store.flush(); }

private:
    static EventStore::Options options(qsizetype maxEvents)
    {
        EventStore::Options o;
        o.maxEvents = maxEvents;
        o.batchIntervalMs = 60'000; // batches only when the test flushes
        return o;
    }
    EventStore m_store;
    QObject m_context;
};

QList<float> ys(const LatencySeries &s)
{
    QList<float> out;
    for (qint64 seq = s.firstSeq(); seq < s.endSeq(); ++seq)
        out.append(s.y(seq));
    return out;
}

QList<quint16> keys(const LatencySeries &s)
{
    QList<quint16> out;
    for (qint64 seq = s.firstSeq(); seq < s.endSeq(); ++seq)
        out.append(s.key(seq));
    return out;
}

} // namespace

class TestLatencyTracker : public QObject
{
    Q_OBJECT
private slots:
    void deliveryLagFromKnownTimestamps()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        feed.add(payload(uuid(1), 1, "user.message.v1", kT0), kT0 + 250 * kMs);
        feed.add(payload(uuid(2), 1, "agent.response.v1", kT0 + 1 * kS), kT0 + 1 * kS + 60'000 * kMs);
        // The console clock behind the DB clock: a negative lag, kept as it is.
        feed.add(payload(uuid(3), 1, "system.hygiene.v1", kT0 + 2 * kS), kT0 + 2 * kS - 3 * kMs);
        feed.flush();

        const LatencySeries &lag = tracker.deliveryLag();
        QCOMPARE(ys(lag), (QList<float>{250.f, 60'000.f, -3.f}));
        QCOMPARE(keys(lag), (QList<quint16>{0, 1, 2}));
        QCOMPARE(tracker.schemaName(0), QByteArray("user.message.v1"));
        QCOMPARE(tracker.schemaName(2), QByteArray("system.hygiene.v1"));
        QCOMPARE(lag.x(0), kT0 + 250 * kMs); // x is the arrival
        QCOMPARE(tracker.totals().lagSamples, 3);
        QCOMPARE(tracker.totals().negativeLags, 1);
    }

    void repeatsMeasureTheExtraDelay()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        const QByteArray raw = payload(uuid(7), 1, "tool.request.v1", kT0);
        feed.add(raw, kT0 + 10 * kMs, EventSource::Local);
        feed.add(raw, kT0 + 2010 * kMs, EventSource::Sse);  // the seed's story: local, then SSE
        feed.add(raw, kT0 + 2510 * kMs, EventSource::Sse);  // a selector duplicate
        feed.flush();

        QCOMPARE(tracker.deliveryLag().size(), 1);          // one event, not three
        QCOMPARE(ys(tracker.repeatDelay()), (QList<float>{2000.f, 2500.f}));
        QCOMPARE(keys(tracker.repeatDelay()).first(), quint16(EventSource::Sse));
        QCOMPARE(tracker.totals().repeats, 2);
    }

    void roundTripsPairRequestIdWithRequest_id()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        feed.add(payload(uuid(1), 1, "tool.request.v1", kT0, {"tool:request", "workspace:tools"},
                         j("{'tool':'calculator','input':{'a':1},'requestId':'wf-1'}")),
                 kT0 + 5 * kMs);
        feed.add(payload(uuid(2), 1, "tool.response.v1", kT0 + 218 * kMs,
                         {"workspace:tools", "tool:response", "request:wf-1", "request:wf-1"},
                         j("{'tool':'calculator','status':'success','request_id':'wf-1'}")),
                 kT0 + 230 * kMs);
        feed.flush();

        const LatencySeries &trips = tracker.roundTrips();
        QCOMPARE(trips.size(), 1);
        QCOMPARE(trips.y(0), 218.f);           // updated_at to updated_at (DB clock)
        QCOMPARE(trips.x(0), kT0 + 230 * kMs); // plotted when the pair completed here
        QCOMPARE(tracker.toolName(trips.key(0)), QByteArray("calculator"));
        QCOMPARE(tracker.requestMatcher().pendingRequests(), 0);
    }

    void roundTripFallbacks_data()
    {
        QTest::addColumn<QByteArray>("requestContext");
        QTest::addColumn<QList<QByteArray>>("responseTags");
        QTest::addColumn<QByteArray>("responseContext");
        QTest::addColumn<bool>("responseFirst");
        // A request without requestId is answered to its breadcrumb id (§5.2).
        const QByteArray requestId = uuid(1);
        QTest::newRow("breadcrumb id fallback")
            << j("{'tool':'echo','input':{}}") << QList<QByteArray>{"tool:response"}
            << QByteArray(j("{'tool':'echo','request_id':'") + requestId + j("'}")) << false;
        QTest::newRow("tag fallback without request_id")
            << j("{'tool':'echo','input':{},'requestId':'r-9'}")
            << QList<QByteArray>{"tool:response", "request:r-9"} << j("{'tool':'echo'}") << false;
        QTest::newRow("request:llm is not the id")
            << j("{'tool':'openrouter','input':{},'requestId':'llm-1-abc'}")
            << QList<QByteArray>{"tool:response", "request:llm", "request:llm-1-abc"}
            << j("{'tool':'openrouter'}") << false;
        QTest::newRow("response delivered before its request")
            << j("{'tool':'echo','input':{},'requestId':'r-2'}")
            << QList<QByteArray>{"tool:response", "request:r-2"}
            << j("{'request_id':'r-2','tool':'echo'}") << true;
        QTest::newRow("escaped id")
            << j("{'tool':'echo','input':{},'requestId':'a\\'b'}") << QList<QByteArray>{}
            << j("{'request_id':'a\\u0022b','tool':'echo'}") << false;
    }
    void roundTripFallbacks()
    {
        QFETCH(QByteArray, requestContext);
        QFETCH(QList<QByteArray>, responseTags);
        QFETCH(QByteArray, responseContext);
        QFETCH(bool, responseFirst);
        LatencyTracker tracker;
        Feed feed(tracker);
        const QByteArray request = payload(uuid(1), 1, "tool.request.v1", kT0, {"tool:request"}, requestContext);
        const QByteArray response = payload(uuid(2), 1, "tool.response.v1", kT0 + 1500 * kMs, responseTags,
                                            responseContext);
        feed.add(responseFirst ? response : request, kT0 + 1 * kS);
        feed.add(responseFirst ? request : response, kT0 + 2 * kS);
        feed.flush();
        QCOMPARE(tracker.roundTrips().size(), 1);
        QCOMPARE(tracker.roundTrips().y(0), 1500.f);
        QCOMPARE(tracker.requestMatcher().pendingRequests(), 0);
        QCOMPARE(tracker.requestMatcher().waitingResponses(), 0);
    }

    void unmatchedResponseDoesNotPair()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        feed.add(payload(uuid(1), 1, "tool.request.v1", kT0, {"tool:request"},
                         j("{'tool':'echo','input':{},'requestId':'r-1'}")), kT0);
        // The "tool not found" error: request_id of another request and no request tag (§5.2).
        feed.add(payload(uuid(2), 1, "tool.response.v1", kT0 + kS, {"tool:response", "error"},
                         j("{'tool':'echo','status':'error','request_id':'r-other'}")), kT0 + kS);
        // A later version of the pending request does not replace it.
        feed.add(payload(uuid(1), 2, "tool.request.v1", kT0 + 3 * kS, {"tool:request"},
                         j("{'tool':'echo','input':{},'requestId':'r-1'}")), kT0 + 3 * kS);
        feed.flush();
        QCOMPARE(tracker.roundTrips().size(), 0);
        QCOMPARE(tracker.requestMatcher().pendingRequests(), 1);
        QCOMPARE(tracker.requestMatcher().waitingResponses(), 1);
        feed.add(payload(uuid(3), 1, "tool.response.v1", kT0 + 4 * kS, {"request:r-1"},
                         j("{'tool':'echo','request_id':'r-1'}")), kT0 + 4 * kS);
        feed.flush();
        QCOMPARE(tracker.roundTrips().size(), 1);
        QCOMPARE(tracker.roundTrips().y(0), 4000.f); // from version 1, the first seen
    }

    void pendingRequestsAreBounded()
    {
        LatencyTracker::Options o;
        o.roundTripOptions.maxPendingRequests = 3;
        LatencyTracker tracker(o);
        Feed feed(tracker);
        for (int i = 0; i < 5; ++i)
            feed.add(payload(uuid(i), 1, "tool.request.v1", kT0 + i * kS, {},
                             j("{'tool':'echo','requestId':'r-") + QByteArray::number(i) + "\"}"),
                     kT0 + i * kS);
        feed.flush();
        QCOMPARE(tracker.requestMatcher().pendingRequests(), 3);
        QCOMPARE(tracker.requestMatcher().evicted(), 2);
        // r-0 was forgotten, r-4 is still there.
        feed.add(payload(uuid(10), 1, "tool.response.v1", kT0 + 9 * kS, {}, j("{'request_id':'r-0'}")), kT0 + 9 * kS);
        feed.add(payload(uuid(11), 1, "tool.response.v1", kT0 + 9 * kS, {}, j("{'request_id':'r-4'}")), kT0 + 9 * kS);
        feed.flush();
        QCOMPARE(tracker.roundTrips().size(), 1);
        QCOMPARE(tracker.roundTrips().y(0), 5000.f);
    }

    void toolsBeyondTheCapShareOneKey()
    {
        LatencyTracker::Options o;
        o.maxTools = 2;
        LatencyTracker tracker(o);
        Feed feed(tracker);
        const QList<QByteArray> tools{"a", "b", "c", "d"};
        for (int i = 0; i < tools.size(); ++i) {
            const QByteArray ctx = j("{'tool':'") + tools[i] + j("','requestId':'r") + QByteArray::number(i) + "\"}";
            feed.add(payload(uuid(2 * i), 1, "tool.request.v1", kT0, {}, ctx), kT0);
            feed.add(payload(uuid(2 * i + 1), 1, "tool.response.v1", kT0 + kS, {},
                             j("{'request_id':'r") + QByteArray::number(i) + "\"}"), kT0 + kS);
        }
        feed.flush();
        QCOMPARE(keys(tracker.roundTrips()), (QList<quint16>{0, 1, 2, 2}));
        QCOMPARE(tracker.toolName(0), QByteArray("a"));
        QCOMPARE(tracker.toolName(2), QByteArray("(other)"));
        QCOMPARE(tracker.schemaCount(), 2); // tool.request.v1, tool.response.v1
    }

    void pingCadenceAndOffset()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        // ts has whole seconds; arrivals 300 ms after, then a 10 s gap (a missed ping).
        const QList<qint64> ts{0, 5, 10, 20};
        for (qint64 t : ts)
            feed.add(ping(kT0 + t * kS), kT0 + t * kS + 300 * kMs);
        feed.flush();
        QCOMPARE(ys(tracker.pingIntervals()), (QList<float>{5.f, 5.f, 10.f}));
        QCOMPARE(tracker.pingIntervals().x(0), kT0 + 5 * kS + 300 * kMs);
        QCOMPARE(ys(tracker.pingOffsets()), (QList<float>{300.f, 300.f, 300.f, 300.f}));
        QCOMPARE(tracker.totals().pings, 4);
        QCOMPARE(tracker.latestArrivalNs(), kT0 + 20 * kS + 300 * kMs);
    }

    void eventsPerSecondInOneSecondBuckets()
    {
        LatencyTracker tracker;
        Feed feed(tracker);
        const QByteArray dup = payload(uuid(99), 1, "agent.response.v1", kT0);
        feed.add(payload(uuid(1), 1, "user.message.v1", kT0), kT0 + 100 * kMs);
        feed.add(dup, kT0 + 200 * kMs);
        feed.add(dup, kT0 + 900 * kMs); // a repeat in second 0
        feed.add(payload(uuid(2), 1, "user.message.v1", kT0), kT0 + 1500 * kMs);
        feed.add(payload(uuid(3), 1, "user.message.v1", kT0), kT0 + 4200 * kMs);
        feed.flush();
        // Seconds 0..3 closed (2 and 3 silent), second 4 still open.
        const LatencySeries &rate = tracker.eventRate();
        QCOMPARE(ys(rate), (QList<float>{2, 1, 1, 0, 0, 0, 0, 0}));
        QCOMPARE(keys(rate), (QList<quint16>{0, 1, 0, 1, 0, 1, 0, 1}));
        QCOMPARE(rate.x(0), kT0);
        QCOMPARE(rate.x(6), kT0 + 3 * kS);

        tracker.advanceTo(kT0 + 6 * kS + 10 * kMs); // closes 4 and 5
        QCOMPARE(rate.size(), 12);
        QCOMPARE(rate.y(8), 1.f);
        QCOMPARE(rate.x(8), kT0 + 4 * kS);
        QCOMPARE(rate.y(10), 0.f);
        tracker.advanceTo(kT0 + 2 * kS); // the clock stepping back changes nothing
        QCOMPARE(rate.size(), 12);
    }

    void eventsOfOneBatchAreCountedInArrivalOrder()
    {
        // A ping of the same batch arriving after a record must not close the record's second
        // before the record is counted (the lists of a batch are not merged in time).
        LatencyTracker tracker;
        Feed feed(tracker);
        feed.add(ping(kT0 + 2 * kS), kT0 + 2 * kS);
        feed.add(payload(uuid(1), 1, "user.message.v1", kT0), kT0 + 500 * kMs);
        feed.flush();
        QCOMPARE(ys(tracker.eventRate()), (QList<float>{1, 0, 0, 0}));
    }

    void lagSeriesIsCappedAndKeepsTheNewest()
    {
        LatencyTracker::Options o;
        o.maxLagSamples = 10;
        LatencyTracker tracker(o);
        Feed feed(tracker);
        for (int i = 0; i < 25; ++i)
            feed.add(payload(uuid(i), 1, "user.message.v1", kT0), kT0 + qint64(i + 1) * kMs);
        feed.flush();
        const LatencySeries &lag = tracker.deliveryLag();
        QCOMPARE(lag.size(), 10);
        QCOMPARE(lag.firstSeq(), 15);
        QCOMPARE(lag.y(15), 16.f);
        QCOMPARE(lag.y(24), 25.f);
        QCOMPARE(lag.histogram()->count(), 10); // evicted samples left the histogram too
        QCOMPARE(tracker.totals().lagSamples, 25);
        rcrt::LatencyWindowStats all(lag);
        all.update(0);
        QCOMPARE(all.summary().p50, 20.0); // nearest rank over 16..25
        QCOMPARE(all.summary().p99, 25.0);
    }

    void realCaptureThroughTheStore()
    {
        // The RCRT-shaped capture of rcrt-protocol.md §6: five tool requests, five responses.
        QFile file(QFINDTESTDATA("data/sse/rcrt-sample.sse"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        LatencyTracker tracker;
        Feed feed(tracker);
        qint64 arrival = kT0;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (!line.startsWith("data: "))
                continue;
            arrival += 20 * kMs;
            feed.add(line.sliced(6), arrival);
        }
        feed.flush();
        QCOMPARE(tracker.totals().roundTrips, 5);
        QCOMPARE(tracker.requestMatcher().pendingRequests(), 0);
        QSet<QByteArray> tools;
        for (qint64 s = 0; s < tracker.roundTrips().endSeq(); ++s)
            tools.insert(tracker.toolName(tracker.roundTrips().key(s)));
        QCOMPARE(tools, (QSet<QByteArray>{"openrouter", "workflow", "random", "calculator"}));
        // workflow-sum: created 10:30:04.803233, answered 10:30:05.021448.
        bool found = false;
        for (qint64 s = 0; s < tracker.roundTrips().endSeq(); ++s)
            found = found || qFuzzyCompare(tracker.roundTrips().y(s), 218.215f);
        QVERIFY(found);
        QVERIFY(tracker.totals().pings >= 2);
        QCOMPARE(tracker.pingIntervals().size(), tracker.totals().pings - 1);
    }
};

QTEST_GUILESS_MAIN(TestLatencyTracker)
#include "tst_latencytracker.moc"
