#include "ui/charts/chartadapter.h"
#include "ui/charts/chartformat.h"
#include "ui/charts/latencychartsview.h"
#include "ui/charts/timeticks.h"

#include "app/connectionsettings.h"
#include "app/ingestengine.h"
#include "model/eventstore.h"
#include "model/latencywindow.h"
#include "model/timestamp.h"
#include "support/simprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <array>
#include <cmath>
#include <functional>
#include <map>

using rcrt::EventBatch;
using rcrt::EventSource;
using rcrt::EventStore;
using rcrt::StreamEvent;
using rcrt::ui::LatencyChartsView;
using rcrt::ui::charts::HistogramChart;
using rcrt::ui::charts::TimeSeriesChart;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kS = 1'000'000'000;
const qint64 kT0 = rcrt::parseRfc3339Ns(std::string_view("2025-11-07T10:00:00Z")).value();
const QByteArray kOwner = "00000000-0000-0000-0000-000000000001";

// An RCRT-shaped stream (rcrt-protocol.md §3.4, §5, §6): tool requests answered by the runner
// with `request:<id>` tags, agent responses, context updates, user messages, a ping every 5 s
// (ts in whole seconds); deliveries a few ms after updated_at with a long tail, selector
// duplicates, and optional proxy-buffering episodes that hold everything (pings too) and
// release it at once (§8.2). Yields StreamEvents in arrival order, one DB second at a time.
class SyntheticMix
{
public:
    struct Options
    {
        double ratePerS = 40;
        int seconds = 120;
        int burstEveryS = 0;   // 0: no buffering episodes
        int burstLengthS = 60; // the last burstLengthS of every burstEveryS are held
        double duplicateShare = 0.02;
        quint32 seed = 1;
    };

    explicit SyntheticMix(const Options &o)
        : m_o(o)
        , m_rng(o.seed)
    {
    }

    void run(const std::function<void(const QList<StreamEvent> &)> &sink)
    {
        for (int s = 0; s < m_o.seconds; ++s) {
            const qint64 second = kT0 + s * kS;
            if (s % 5 == 0)
                deliver(second, second + 300 * kMs + qint64(m_rng.bounded(20)) * kMs,
                        "{\"type\":\"ping\",\"ts\":\"" + rcrt::formatRfc3339Ns(second) + "\"}", false);
            const double items = m_o.ratePerS / 1.3; // a tool call is two events
            const int n = int(items) + (m_rng.generateDouble() < items - std::floor(items) ? 1 : 0);
            for (int i = 0; i < n; ++i)
                item(second + qint64(m_rng.bounded(999'999)) * 1000);
            QList<StreamEvent> chunk;
            for (auto it = m_pending.begin(); it != m_pending.end() && it->first < second + kS;) {
                chunk.append(it->second);
                it = m_pending.erase(it);
            }
            sink(chunk);
        }
    }

private:
    static QByteArray contextId(int session)
    {
        return "9a2e5b1c-3d4f-4a6b-8c7d-" + QByteArray::number(session).rightJustified(12, '0');
    }

    QByteArray uuid() { return QByteArray::number(++m_ids, 16).rightJustified(8, '0') + "-0000-4000-8000-00000000c0de"; }

    QByteArray created(const QByteArray &id, const QByteArray &tags, const QByteArray &schema, qint64 t,
                       const QByteArray &context)
    {
        return "{\"breadcrumb_id\":\"" + id + "\",\"owner_id\":\"" + kOwner + "\",\"version\":1,\"tags\":[" + tags
            + "],\"schema_name\":\"" + schema + "\",\"updated_at\":\"" + rcrt::formatRfc3339Ns(t) + "\",\"context\":"
            + context + ",\"type\":\"breadcrumb.updated\"}";
    }

    qint64 lagNs()
    {
        // Lognormal around 6 ms, and now and then a head-of-line stall of up to 2 s.
        const double u1 = std::max(m_rng.generateDouble(), 1e-12);
        const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * m_rng.generateDouble());
        double ms = 2 + std::exp(std::log(6.0) + 0.6 * z);
        if (m_rng.generateDouble() < 0.005)
            ms += 200 + m_rng.generateDouble() * 1800;
        return qint64(ms * 1e6);
    }

    void deliver(qint64 updatedAt, qint64 arrival, const QByteArray &raw, bool mayRepeat = true)
    {
        if (m_o.burstEveryS > 0) {
            // Inside an episode the proxy holds everything until the episode ends.
            const qint64 period = qint64(m_o.burstEveryS) * kS;
            const qint64 phase = (updatedAt - kT0) % period;
            const qint64 heldFrom = period - qint64(m_o.burstLengthS) * kS;
            if (phase >= heldFrom)
                arrival = std::max(arrival, updatedAt - phase + period + qint64(m_rng.bounded(50)) * kMs);
        }
        m_pending.emplace(arrival, StreamEvent{arrival, EventSource::Sse, raw});
        if (mayRepeat && m_rng.generateDouble() < m_o.duplicateShare) {
            const qint64 again = arrival + 1 * kMs + qint64(m_rng.bounded(40)) * kMs;
            m_pending.emplace(again, StreamEvent{again, EventSource::Sse, raw});
        }
    }

    void item(qint64 t)
    {
        t -= t % 1000; // Postgres keeps microseconds
        const double pick = m_rng.generateDouble();
        if (pick < 0.45) {
            toolCall(t);
        } else if (pick < 0.70) {
            const QByteArray trigger = uuid();
            deliver(t, t + lagNs(), created(uuid(), "\"agent:response\",\"chat:output\"", "agent.response.v1", t,
                                           "{\"creator\":{\"type\":\"agent\",\"agent_id\":\"default-chat-assistant\"},"
                                           "\"message\":\"Tool Result\",\"trigger_event_id\":\"" + trigger + "\"}"));
        } else if (pick < 0.85) {
            // The context builder PATCHes one agent.context.v1 per session (update order: type first).
            const int session = int(m_rng.bounded(kSessions));
            const QByteArray raw = "{\"type\":\"breadcrumb.updated\",\"breadcrumb_id\":\"" + contextId(session)
                + "\",\"owner_id\":\"" + kOwner + "\",\"version\":" + QByteArray::number(++m_contextVersions[session])
                + ",\"tags\":[\"agent:context\",\"consumer:default-chat-assistant\",\"session:session-"
                + QByteArray::number(session) + "\"],\"schema_name\":\"agent.context.v1\",\"updated_at\":\""
                + rcrt::formatRfc3339Ns(t) + "\",\"context\":{\"breadcrumbs\":[],\"token_estimate\":412}}";
            deliver(t, t + lagNs(), raw);
        } else if (pick < 0.95) {
            deliver(t, t + lagNs(), created(uuid(), "\"user:message\",\"extension:chat\"", "user.message.v1", t,
                                           "{\"source\":\"rcrt-extension-v2\",\"content\":\"Pick two random numbers\"}"));
        } else {
            deliver(t, t + lagNs(), created(uuid(), "\"system:hygiene\",\"system:stats\"", "system.hygiene.v1", t,
                                           "{\"deleted\":3,\"duration_ms\":12}"));
        }
    }

    void toolCall(qint64 t)
    {
        struct Tool
        {
            const char *name;
            double medianMs;
        };
        static const Tool tools[] = {{"calculator", 40}, {"random", 25}, {"echo", 12}, {"workflow", 1200}, {"openrouter", 3200}};
        const Tool &tool = tools[m_rng.bounded(5)];
        const QByteArray requestId = "workflow-" + QByteArray::number(++m_requests) + "-" + QByteArray::number(t / kMs);
        deliver(t, t + lagNs(), created(uuid(), "\"tool:request\",\"workspace:tools\"", "tool.request.v1", t,
                                       "{\"tool\":\"" + QByteArray(tool.name) + "\",\"input\":{\"expression\":\"7 + 3\"},"
                                       "\"requestId\":\"" + requestId + "\"}"));
        const double u = std::max(m_rng.generateDouble(), 1e-12);
        double ms = tool.medianMs * std::exp(0.5 * std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * m_rng.generateDouble()));
        if (m_rng.generateDouble() < 0.01)
            ms = 60'000; // a requester timeout (§8.2.1)
        qint64 r = t + qint64(ms * 1e6);
        r -= r % 1000;
        deliver(r, r + lagNs(), created(uuid(), "\"workspace:tools\",\"tool:response\",\"request:" + requestId + "\"",
                                       "tool.response.v1", r,
                                       "{\"tool\":\"" + QByteArray(tool.name) + "\",\"status\":\"success\",\"request_id\":\""
                                           + requestId + "\",\"execution_time_ms\":" + QByteArray::number(qint64(ms)) + "}"));
    }

    Options m_o;
    QRandomGenerator m_rng;
    std::multimap<qint64, StreamEvent> m_pending;
    qint64 m_ids = 0;
    qint64 m_requests = 0;
    static constexpr int kSessions = 200;
    std::array<int, kSessions> m_contextVersions{};
};

// The real path into the view: EventStore batches (flushed every few thousand events so the
// store's bound never drops a record before its batch).
struct Pipeline
{
    explicit Pipeline(LatencyChartsView &view)
        : store(options())
    {
        QObject::connect(&store, &EventStore::batchReady, &view, &LatencyChartsView::addBatch);
    }
    static EventStore::Options options()
    {
        EventStore::Options o;
        o.maxEvents = 50'000;
        o.batchIntervalMs = 60'000;
        return o;
    }
    void feed(const QList<StreamEvent> &events)
    {
        qsizetype sinceFlush = 0;
        for (const StreamEvent &e : events) {
            store.ingest(e);
            if (++sinceFlush == 5'000) {
                store.flush();
                sinceFlush = 0;
            }
        }
        store.flush();
    }
    EventStore store;
};

void savePngIfAsked(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("RCRT_CHARTS_PNG_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(widget.grab().save(dir + QLatin1Char('/') + name));
    qInfo("saved %s/%s", qPrintable(dir), qPrintable(name));
}

qsizetype totalPoints(const TimeSeriesChart *chart)
{
    qsizetype n = 0;
    for (const QString &name : chart->seriesNames())
        n += chart->pointCount(name);
    return n;
}

// Every sample the tracker's five plotted series have ever received.
qint64 samplesEver(const rcrt::LatencyTracker &t)
{
    return t.deliveryLag().endSeq() + t.repeatDelay().endSeq() + t.roundTrips().endSeq()
        + t.pingIntervals().endSeq() + t.eventRate().endSeq();
}

// One more second at 1,000 events/s, arriving after everything held (fresh ids).
void appendOneSecond(Pipeline &pipeline, const rcrt::LatencyTracker &t, const QByteArray &idTail)
{
    SyntheticMix::Options o;
    o.seconds = 1;
    o.ratePerS = 1'000;
    o.seed = quint32(qHash(idTail));
    const qint64 shift = t.latestArrivalNs() + kS - kT0;
    SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) {
        QList<StreamEvent> shifted = chunk;
        for (StreamEvent &e : shifted) {
            e.arrivalNs += shift;
            e.raw.replace("00000000c0de", idTail);
        }
        pipeline.feed(shifted);
    });
}

qsizetype largestSeries(const TimeSeriesChart *chart)
{
    qsizetype n = 0;
    for (const QString &name : chart->seriesNames())
        n = std::max(n, chart->pointCount(name));
    return n;
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT
private slots:
    void durationsReadWell_data()
    {
        QTest::addColumn<double>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0 ms");
        QTest::newRow("µs") << 0.85 << QStringLiteral("850 µs");
        QTest::newRow("ms") << 12.34 << QStringLiteral("12.3 ms");
        QTest::newRow("s") << 1200.0 << QStringLiteral("1.20 s");
        QTest::newRow("60 s") << 59'999.0 << QStringLiteral("60.0 s");
        QTest::newRow("min") << 150'000.0 << QStringLiteral("2.50 min");
        QTest::newRow("negative") << -3.0 << QStringLiteral("−3.00 ms");
    }
    void durationsReadWell()
    {
        QFETCH(double, ms);
        QFETCH(QString, text);
        QCOMPARE(rcrt::ui::charts::formatDurationMs(ms), text);
    }

    void axisUnitFollowsTheRange()
    {
        using rcrt::ui::charts::durationUnitFor;
        QCOMPARE(durationUnitFor(850).symbol, QStringLiteral("ms"));
        QCOMPARE(durationUnitFor(60'000).symbol, QStringLiteral("s"));
        QCOMPARE(durationUnitFor(60'000).msPerUnit, 1000.0);
        QCOMPARE(durationUnitFor(3'600'000).symbol, QStringLiteral("min"));
    }

    void niceRangesHaveRoundTicks_data()
    {
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::addColumn<double>("niceMax");
        QTest::addColumn<int>("ticks");
        QTest::addColumn<int>("decimals");
        QTest::newRow("events 0..5.5") << 0.0 << 5.5 << 6.0 << 4 << 0;
        QTest::newRow("0..1") << 0.0 << 1.0 << 1.0 << 5 << 2;
        QTest::newRow("lag s 0..66") << 0.0 << 66.0 << 80.0 << 5 << 0;
        QTest::newRow("0..9.3") << 0.0 << 9.3 << 10.0 << 5 << 1;
        QTest::newRow("counts 0..2731") << 0.0 << 3004.0 << 4000.0 << 5 << 0;
        QTest::newRow("negative") << -3.0 << 12.0 << 15.0 << 5 << 0;
    }
    void niceRangesHaveRoundTicks()
    {
        QFETCH(double, min);
        QFETCH(double, max);
        QFETCH(double, niceMax);
        QFETCH(int, ticks);
        QFETCH(int, decimals);
        const auto r = rcrt::ui::charts::niceRange(min, max, 4);
        QVERIFY(r.min <= min && r.max >= max);
        QCOMPARE(r.max, niceMax);
        QCOMPARE(r.tickCount, ticks);
        QCOMPARE(r.decimals, decimals);
    }

    void timeTicksAreRound_data()
    {
        QTest::addColumn<double>("spanS");
        QTest::addColumn<double>("stepS");
        QTest::newRow("1 min") << 60.0 << 10.0;
        QTest::newRow("5 min") << 300.0 << 60.0;
        QTest::newRow("15 min") << 900.0 << 180.0 * 5 / 3; // 5 min
        QTest::newRow("2 h") << 7200.0 << 1800.0;
    }
    void timeTicksAreRound()
    {
        QFETCH(double, spanS);
        QFETCH(double, stepS);
        const double max = double(kT0 / kMs) + 12'345.0;
        const double min = max - spanS * 1000;
        const auto ticks = rcrt::ui::charts::timeTicks(min, max, 6);
        QVERIFY(!ticks.isEmpty() && ticks.size() <= 6);
        for (const auto &tick : ticks) {
            QVERIFY(tick.ms >= min && tick.ms <= max);
            const double local = tick.ms + QDateTime::fromMSecsSinceEpoch(qint64(tick.ms)).offsetFromUtc() * 1000.0;
            QCOMPARE(std::fmod(local, stepS * 1000), 0.0);
            QCOMPARE(tick.label, QDateTime::fromMSecsSinceEpoch(qint64(tick.ms))
                                     .toString(stepS < 60 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm")));
        }
    }

    void timeSeriesChartKeepsNamedSeries()
    {
        TimeSeriesChart chart;
        const QList<QPointF> a{{1000, 1}, {2000, 3}};
        chart.setSeries(QStringLiteral("a"), Qt::red, a);
        chart.setSeries(QStringLiteral("b"), Qt::blue, a, rcrt::ui::charts::SeriesStyle::Points);
        QCOMPARE(chart.seriesNames(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        chart.setSeries(QStringLiteral("a"), Qt::red, QList<QPointF>{{1500, 2}});
        QCOMPARE(chart.points(QStringLiteral("a")), (QList<QPointF>{{1500, 2}}));
        QCOMPARE(chart.seriesNames().first(), QStringLiteral("a")); // replaced in place
        chart.removeSeries(QStringLiteral("a"));
        QCOMPARE(chart.seriesNames(), QStringList{QStringLiteral("b")});
        QCOMPARE(chart.pointCount(QStringLiteral("a")), 0);

        chart.setXAxis(QStringLiteral("t"), 1000, 61'000);
        QCOMPARE(chart.xMin(), 1000.0);
        QCOMPARE(chart.xMax(), 61'000.0);
        chart.setYAxis(QStringLiteral("lag (ms)"), 0, 9.3);
        QCOMPARE(chart.yMin(), 0.0);
        QVERIFY(chart.yMax() >= 9.3); // widened to nice ticks, never cut
        chart.setCaption(QStringLiteral("hello"));
        QCOMPARE(chart.caption(), QStringLiteral("hello"));
    }

    void histogramChartSpansDecadesAndKeepsMarkers()
    {
        HistogramChart chart;
        const std::vector<rcrt::HistogramBin> bins{{2.0, 2.5, 10}, {2.5, 3.2, 40}, {3.2, 4.0, 5}};
        chart.setBins(QStringLiteral("events"), bins, Qt::blue);
        QCOMPARE(chart.binCount(), 3);
        QVERIFY(std::fabs(chart.xMin() - 1.0) < 1e-6);   // whole decades around 2..4 ms
        QVERIFY(std::fabs(chart.xMax() - 100.0) < 1e-6); // and at least two of them
        chart.setMarkers({{2.7, QStringLiteral("p50"), QStringLiteral("p50 = 2.70 ms"), Qt::green}});
        QCOMPARE(chart.markers().size(), 1);
        QCOMPARE(chart.markers().first().label, QStringLiteral("p50"));
    }

    void everyChartFillsFromARealisticMix()
    {
        LatencyChartsView view;
        view.resize(1400, 1000);
        Pipeline pipeline(view);
        SyntheticMix::Options o;
        o.seconds = 180;
        SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        view.setClock([&view] { return view.tracker().latestArrivalNs(); });
        view.setTimeWindow(LatencyChartsView::TimeWindow::Last5Minutes);
        view.refreshNow();

        const rcrt::LatencyTracker &t = view.tracker();
        QVERIFY(t.totals().lagSamples > 5'000);
        // (a) one series per schema family present, each point a real lag.
        const QStringList families = view.lagChart()->seriesNames();
        for (const char *family : {"tool.request", "tool.response", "agent", "user", "system"})
            QVERIFY2(families.contains(QLatin1String(family)), family);
        QVERIFY(families.contains(QStringLiteral("repeat delivery (delay after the first)")));
        // (b) one series per tool, and every request was answered.
        const QStringList tools = view.roundTripChart()->seriesNames();
        for (const char *tool : {"calculator", "random", "echo", "workflow", "openrouter"})
            QVERIFY2(tools.contains(QLatin1String(tool)), tool);
        QVERIFY(t.totals().roundTrips > 1'000);
        // (c) the histogram's markers are the window's percentiles.
        rcrt::LatencyWindowStats stats(t.deliveryLag());
        stats.update(0);
        const rcrt::PercentileSummary s = stats.summary();
        const QList<rcrt::ui::charts::ChartMarker> markers = view.lagHistogram()->markers();
        QCOMPARE(markers.size(), 3);
        QCOMPARE(markers[0].x, s.p50);
        QCOMPARE(markers[2].x, s.p99);
        QVERIFY(s.p50 > 3 && s.p50 < 30); // the generator's ~8 ms
        QVERIFY(view.lagHistogram()->caption().contains(rcrt::ui::charts::formatDurationMs(s.p95)));
        // (d) a ping every 5 s: a flat line at 5 s.
        const QList<QPointF> pings = view.pingChart()->points(QStringLiteral("time between pings"));
        QCOMPARE(t.pingIntervals().size(), o.seconds / 5 - 1);
        QCOMPARE(pings.size(), 2 * t.pingIntervals().size() - 1); // drawn as steps
        for (const QPointF &p : pings)
            QVERIFY(std::fabs(p.y() - 5.0) < 0.05);
        // (e) events per second: every closed second once, and they add up.
        const QList<QPointF> rate = view.rateChart()->points(QStringLiteral("new events"));
        double sum = 0;
        for (const QPointF &p : rate)
            sum += p.y();
        QVERIFY(rate.size() >= o.seconds - 2);
        QVERIFY(sum <= double(t.totals().lagSamples));
        QVERIFY(sum >= double(t.totals().lagSamples) * 0.97); // all but the open second

        // Time axes line up: the window, shrunk to the 3 minutes of data.
        for (TimeSeriesChart *c : {view.lagChart(), view.roundTripChart(), view.pingChart(), view.rateChart()}) {
            QCOMPARE(c->xMax(), view.lagChart()->xMax());
            QCOMPARE(c->xMin(), view.lagChart()->xMin());
        }
        const double nowMs = double(t.latestArrivalNs() / kMs);
        QVERIFY(view.lagChart()->xMax() >= nowMs && view.lagChart()->xMax() <= nowMs + 5'000); // a little room
        QVERIFY(view.lagChart()->xMin() <= double(t.deliveryLag().x(0) / kMs));
        QVERIFY(view.lagChart()->xMin() >= double((t.deliveryLag().x(0) - kS) / kMs));
        QCOMPARE(view.lagChart()->yScale(), rcrt::ui::charts::AxisScale::Log);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        savePngIfAsked(view, QStringLiteral("charts-healthy.png"));
    }

    void bufferingEpisodeShowsInEveryChart()
    {
        // A proxy that holds the stream for 60 s out of every 4 minutes (§8.2): lag ramps to
        // 60 s, one 60 s hole in the pings, a second with a burst of events after zeros.
        LatencyChartsView view;
        view.resize(1400, 1000);
        Pipeline pipeline(view);
        SyntheticMix::Options o;
        o.seconds = 600;
        o.burstEveryS = 240;
        o.burstLengthS = 60;
        o.seed = 5;
        SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        view.setClock([&view] { return view.tracker().latestArrivalNs(); });
        view.setTimeWindow(LatencyChartsView::TimeWindow::Last15Minutes);
        view.refreshNow();

        QVERIFY(view.lagChart()->yMax() >= 55'000); // log axis in ms
        view.setLogScale(false);
        QCOMPARE(view.lagChart()->yScale(), rcrt::ui::charts::AxisScale::Linear);
        QVERIFY(view.lagChart()->yMax() >= 55 && view.lagChart()->yMax() <= 80); // linear: seconds
        view.setLogScale(true);
        QVERIFY(view.lagChart()->caption().contains(QStringLiteral("events in the window")));
        double longestGap = 0;
        for (const QPointF &p : view.pingChart()->points(QStringLiteral("time between pings")))
            longestGap = std::max(longestGap, p.y());
        QVERIFY2(longestGap >= 55 && longestGap <= 66, qPrintable(QString::number(longestGap)));
        double peak = 0;
        int zeros = 0;
        for (const QPointF &p : view.rateChart()->points(QStringLiteral("new events"))) {
            peak = std::max(peak, p.y());
            zeros += p.y() == 0 ? 1 : 0;
        }
        QVERIFY(zeros >= 100); // two held minutes
        QVERIFY(peak > 1'000); // each released at once
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        savePngIfAsked(view, QStringLiteral("charts-buffering.png"));
    }

    void windowSelectorBoundsTheTimeAxis()
    {
        LatencyChartsView view;
        Pipeline pipeline(view);
        SyntheticMix::Options o;
        o.seconds = 300;
        SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        view.setClock([&view] { return view.tracker().latestArrivalNs(); });
        const qint64 now = view.tracker().latestArrivalNs();

        view.setTimeWindow(LatencyChartsView::TimeWindow::LastMinute);
        QCOMPARE(view.lagChart()->xMin(), double((now - 60 * kS) / kMs));
        const qsizetype minutePoints = totalPoints(view.lagChart());
        const qint64 minuteCount = view.lagHistogram()->caption().isEmpty() ? 0 : 1;
        QVERIFY(minuteCount == 1);
        for (const QString &name : view.lagChart()->seriesNames())
            for (const QPointF &p : view.lagChart()->points(name))
                QVERIFY(p.x() >= double((now - 61 * kS) / kMs)); // at most one bucket before the cutoff

        view.setTimeWindow(LatencyChartsView::TimeWindow::All);
        // Everything held: from the oldest sample (the first closed second may start a bit earlier).
        const double oldestLag = double(view.tracker().deliveryLag().x(0) / kMs);
        QVERIFY(view.lagChart()->xMin() <= oldestLag && view.lagChart()->xMin() >= oldestLag - 1000);
        QVERIFY(totalPoints(view.lagChart()) > minutePoints);
        QCOMPARE(view.timeWindow(), LatencyChartsView::TimeWindow::All);
    }

    void refreshesOnlyWhileVisible()
    {
        LatencyChartsView view;
        view.setRefreshInterval(20);
        Pipeline pipeline(view);
        SyntheticMix::Options o;
        o.seconds = 20;
        view.setClock([&view] { return view.tracker().latestArrivalNs(); });
        SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        QTest::qWait(200); // hidden: the timer does not run, nothing is plotted
        QCOMPARE(totalPoints(view.lagChart()), 0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(totalPoints(view.lagChart()) > 0);
        view.hide();
        const qsizetype before = totalPoints(view.rateChart());
        SyntheticMix::Options later = o;
        later.seed = 9;
        SyntheticMix(later).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        QTest::qWait(200);
        QCOMPARE(totalPoints(view.rateChart()), before);
    }

    void millionEventsStayBoundedAndRefreshReadsOnlyWhatIsNew()
    {
        LatencyChartsView view;
        view.resize(1400, 1000);
        Pipeline pipeline(view);
        SyntheticMix::Options o;
        o.ratePerS = 10'000;
        o.seconds = 100;
        o.burstEveryS = 50;
        o.burstLengthS = 10;
        o.seed = 3;
        QElapsedTimer feedTimer;
        feedTimer.start();
        SyntheticMix(o).run([&](const QList<StreamEvent> &chunk) { pipeline.feed(chunk); });
        const rcrt::LatencyTracker &t = view.tracker();
        qInfo("fed %lld events (+%lld repeats) through EventStore and tracker in %lld ms", t.totals().lagSamples,
              t.totals().repeats, feedTimer.elapsed());
        QVERIFY(t.totals().lagSamples >= 990'000);
        QCOMPARE(t.deliveryLag().size(), t.totals().lagSamples); // the tracker holds all of them

        view.setClock([&view] { return view.tracker().latestArrivalNs(); });
        QElapsedTimer timer;
        timer.start();
        view.setTimeWindow(LatencyChartsView::TimeWindow::All);
        const qint64 firstMs = timer.elapsed();
        const auto first = view.lastRefreshStats();
        QVERIFY(first.samplesRead >= t.totals().lagSamples); // the first refresh reads everything once
        QVERIFY(first.largestSeries <= LatencyChartsView::kMaxPointsPerSeries);
        for (TimeSeriesChart *c : {view.lagChart(), view.roundTripChart(), view.pingChart(), view.rateChart()})
            QVERIFY(largestSeries(c) <= LatencyChartsView::kMaxPointsPerSeries);
        QVERIFY(largestSeries(view.lagChart()) >= 500); // downsampled, not starved

        // The next second of the stream: the refresh reads those samples, not the million.
        qint64 heldBefore = samplesEver(t);
        appendOneSecond(pipeline, t, "00000000beef");
        timer.restart();
        view.refreshNow();
        const qint64 secondMs = timer.elapsed();
        const auto second = view.lastRefreshStats();
        QVERIFY(second.samplesRead > 0);
        QCOMPARE(second.samplesRead, samplesEver(t) - heldBefore);
        QVERIFY(second.samplesRead < t.totals().lagSamples / 100);
        QCOMPARE(second.histogramWork, 0); // "everything held" uses the series' own histogram
        QVERIFY(second.largestSeries <= LatencyChartsView::kMaxPointsPerSeries);

        // A sliding window: the histogram work is what entered plus what left, not the window.
        view.setTimeWindow(LatencyChartsView::TimeWindow::LastMinute);
        const qint64 oldCutoff = t.latestArrivalNs() - 60 * kS;
        heldBefore = samplesEver(t);
        const qint64 lagBefore = t.deliveryLag().endSeq();
        appendOneSecond(pipeline, t, "00000000f00d");
        const qint64 newCutoff = t.latestArrivalNs() - 60 * kS;
        const qint64 left = t.deliveryLag().lowerBound(newCutoff) - t.deliveryLag().lowerBound(oldCutoff);
        view.refreshNow();
        const auto third = view.lastRefreshStats();
        QCOMPARE(third.samplesRead, samplesEver(t) - heldBefore);
        QCOMPARE(third.histogramWork, t.deliveryLag().endSeq() - lagBefore + left);
        QVERIFY(third.largestSeries <= LatencyChartsView::kMaxPointsPerSeries);
        qInfo("refresh with %lld events held: first (reads all) %lld ms; next (reads %lld new samples) %lld ms; "
              "sliding 1-min window: %lld histogram updates",
              t.totals().lagSamples, firstMs, second.samplesRead, secondMs, third.histogramWork);
    }

    void chartsFillFromTheSimulatorsDemo()
    {
        rcrt::test::SimProcess sim;
        QVERIFY2(sim.start({QStringLiteral("--workload"), QStringLiteral("demo"), QStringLiteral("--ping-ms"),
                            QStringLiteral("500"), QStringLiteral("--seed"), QStringLiteral("7")}),
                 qPrintable(sim.error()));
        LatencyChartsView view;
        view.resize(1400, 1000);
        rcrt::IngestEngine engine;
        connect(&engine, &rcrt::IngestEngine::batchReady, &view, &LatencyChartsView::addBatch);
        rcrt::ConnectionSettings settings;
        settings.url = sim.url();
        settings.initialHistory = 0;
        engine.connectTo(settings);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const rcrt::LatencyTracker &t = view.tracker();
        QTRY_VERIFY_WITH_TIMEOUT(t.totals().roundTrips >= 4 && t.totals().pings >= 6, 60'000);
        view.refreshNow();
        // Pings every 500 ms here; on a loaded machine a few may bunch up, not the median.
        QList<qreal> intervals;
        for (const QPointF &p : view.pingChart()->points(QStringLiteral("time between pings")))
            intervals.append(p.y());
        std::sort(intervals.begin(), intervals.end());
        QVERIFY(!intervals.isEmpty());
        QVERIFY2(std::fabs(intervals[intervals.size() / 2] - 0.5) < 0.25, qPrintable(QString::number(intervals[intervals.size() / 2])));
        QVERIFY(!view.roundTripChart()->seriesNames().isEmpty());
        QVERIFY(totalPoints(view.lagChart()) > 0);
        QVERIFY(view.lagHistogram()->binCount() > 0);
        // Live lag on one machine: milliseconds, not seconds.
        rcrt::LatencyWindowStats stats(t.deliveryLag());
        stats.update(0);
        QVERIFY2(stats.summary().p50 < 1000, qPrintable(QString::number(stats.summary().p50)));
        savePngIfAsked(view, QStringLiteral("charts-sim-demo.png"));
        engine.disconnectFromServer();
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
