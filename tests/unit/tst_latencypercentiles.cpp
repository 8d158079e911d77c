#include "model/latencyseries.h"
#include "model/latencywindow.h"
#include "model/percentiles.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>

using rcrt::LatencySeries;
using rcrt::LatencyWindowStats;
using rcrt::LogHistogram;
using rcrt::PercentileSummary;

namespace {

// The definition, spelled out independently: sort, take rank ceil(q·n).
double bruteNearestRank(std::vector<float> values, double q)
{
    std::sort(values.begin(), values.end());
    const auto rank = std::max<size_t>(1, size_t(std::ceil(q * double(values.size()))));
    return double(values[rank - 1]);
}

bool within(double value, double exact, double relative)
{
    return std::fabs(value - exact) <= std::fabs(exact) * relative + 1e-9;
}

std::vector<float> lognormalLags(int n, quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<float> v;
    v.reserve(size_t(n));
    for (int i = 0; i < n; ++i) {
        // Box-Muller: ln(lag) ~ N(ln 20 ms, 1.2); a realistic long-tailed delivery lag.
        const double u1 = std::max(rng.generateDouble(), 1e-12);
        const double u2 = rng.generateDouble();
        const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
        v.push_back(float(std::exp(std::log(20.0) + 1.2 * z)));
    }
    return v;
}

} // namespace

class TestLatencyPercentiles : public QObject
{
    Q_OBJECT
private slots:
    void nearestRankOnSmallSets_data()
    {
        QTest::addColumn<QList<float>>("values");
        QTest::addColumn<double>("p50");
        QTest::addColumn<double>("p95");
        QTest::addColumn<double>("p99");
        QTest::newRow("one") << QList<float>{7} << 7.0 << 7.0 << 7.0;
        QTest::newRow("two") << QList<float>{9, 1} << 1.0 << 9.0 << 9.0;
        QTest::newRow("four") << QList<float>{4, 3, 2, 1} << 2.0 << 4.0 << 4.0;
        QList<float> hundred;
        for (int i = 100; i >= 1; --i)
            hundred.append(float(i));
        QTest::newRow("1..100") << hundred << 50.0 << 95.0 << 99.0;
        QTest::newRow("ties") << QList<float>{5, 5, 5, 1} << 5.0 << 5.0 << 5.0;
        QTest::newRow("negative") << QList<float>{-3, -1, -2} << -2.0 << -1.0 << -1.0;
    }
    void nearestRankOnSmallSets()
    {
        QFETCH(QList<float>, values);
        QFETCH(double, p50);
        QFETCH(double, p95);
        QFETCH(double, p99);
        std::vector<float> v(values.begin(), values.end());
        const PercentileSummary s = rcrt::exactPercentiles(v);
        QCOMPARE(s.count, values.size());
        QCOMPARE(s.p50, p50);
        QCOMPARE(s.p95, p95);
        QCOMPARE(s.p99, p99);
        std::sort(v.begin(), v.end());
        QCOMPARE(rcrt::nearestRankOfSorted(v, 0.95), p95);
        QCOMPARE(s.min, double(*std::min_element(values.begin(), values.end())));
        QCOMPARE(s.max, double(*std::max_element(values.begin(), values.end())));
        QVERIFY(s.exact);
    }

    void emptyInputHasNoPercentiles()
    {
        std::vector<float> none;
        QCOMPARE(rcrt::exactPercentiles(none).count, 0);
        LogHistogram h;
        QCOMPARE(h.summary().count, 0);
        QCOMPARE(h.quantile(0.5), 0.0);
    }

    void exactAgreesWithSortingOnRandomSets()
    {
        QRandomGenerator rng(42);
        for (int round = 0; round < 50; ++round) {
            const int n = 1 + int(rng.bounded(3000));
            std::vector<float> v(static_cast<size_t>(n));
            for (float &x : v)
                x = float(rng.bounded(100000)) / 10.f;
            std::vector<float> work = v;
            const PercentileSummary s = rcrt::exactPercentiles(work);
            QCOMPARE(s.p50, bruteNearestRank(v, 0.50));
            QCOMPARE(s.p95, bruteNearestRank(v, 0.95));
            QCOMPARE(s.p99, bruteNearestRank(v, 0.99));
        }
    }

    void logHistogramIsWithinOnePercent()
    {
        const std::vector<float> v = lognormalLags(200'000, 7);
        LogHistogram h;
        for (float x : v)
            h.add(double(x));
        QCOMPARE(h.count(), qint64(v.size()));
        for (double q : {0.5, 0.95, 0.99}) {
            const double exact = bruteNearestRank(v, q);
            QVERIFY2(within(h.quantile(q), exact, 0.01),
                     qPrintable(QStringLiteral("q=%1 hist=%2 exact=%3").arg(q).arg(h.quantile(q)).arg(exact)));
        }
        QVERIFY(!h.summary().exact);
    }

    void logHistogramHandlesSignsAndRemoval()
    {
        LogHistogram h;
        const QList<double> values{-250.0, -0.0000001, 0.0, 3.0, 60'000.0, 1e12};
        for (double v : values)
            h.add(v);
        QCOMPARE(h.count(), 6);
        QCOMPARE(h.countAtOrBelowZero(), 3);
        QVERIFY(within(h.quantile(0.01), -250.0, 0.01)); // the lowest value
        QVERIFY(h.quantile(1.0) > 1e7);                   // clamped into the last bucket
        for (double v : values)
            h.remove(v);
        QCOMPARE(h.count(), 0);
        QCOMPARE(h.countAtOrBelowZero(), 0);
        QVERIFY(h.positiveBins(10).empty());
    }

    void positiveBinsCoverEveryPositiveSample()
    {
        LogHistogram h;
        for (double v : {1.05, 1.5, 9.0, 10.5, 950.0, -4.0})
            h.add(v);
        const auto bins = h.positiveBins(10);
        qint64 total = 0;
        for (size_t i = 0; i < bins.size(); ++i) {
            total += bins[i].count;
            QVERIFY(bins[i].lower < bins[i].upper);
            if (i > 0)
                QVERIFY(qFuzzyCompare(bins[i].lower, bins[i - 1].upper)); // contiguous
        }
        QCOMPARE(total, 5);
        QVERIFY(bins.front().lower <= 1.05 && bins.back().upper >= 950.0);
        QCOMPARE(bins.size(), size_t(30)); // 1 ms .. 1 s at 10 per decade
    }

    void seriesIsARingAddressedBySeq()
    {
        LatencySeries s(4, true);
        QVERIFY(s.isEmpty());
        for (int i = 0; i < 6; ++i)
            s.append(1000 + i, float(i), quint16(i % 2));
        QCOMPARE(s.size(), 4);
        QCOMPARE(s.firstSeq(), 2);
        QCOMPARE(s.endSeq(), 6);
        QCOMPARE(s.x(2), 1002);
        QCOMPARE(s.y(5), 5.f);
        QCOMPARE(s.key(3), quint16(1));
        QCOMPARE(s.histogram()->count(), 4);
        QCOMPARE(s.histogram()->countAtOrBelowZero(), 0); // 0 and 1 (0 ≤ 1 µs) were evicted
        QCOMPARE(s.lowerBound(0), 2);
        QCOMPARE(s.lowerBound(1004), 4);
        QCOMPARE(s.lowerBound(5000), 6);
        s.clear();
        QCOMPARE(s.size(), 0);
        QCOMPARE(s.histogram()->count(), 0);
    }

    void seriesKeepsXNonDecreasing()
    {
        LatencySeries s(10);
        s.append(100, 1);
        s.append(90, 2); // the console clock stepped back
        s.append(120, 3);
        QCOMPARE(s.x(1), 100);
        QCOMPARE(s.lowerBound(100), 0);
        QCOMPARE(s.lowerBound(101), 2);
    }

    void slidingWindowMatchesBruteForce()
    {
        // Windows over a ring that evicts: exact and histogram modes against a recount.
        LatencySeries series(50'000, true);
        LatencyWindowStats exactStats(series, 1'000'000);
        LatencyWindowStats histStats(series, 0);
        const std::vector<float> lags = lognormalLags(120'000, 3);
        const qint64 windowNs = 10'000;
        qint64 x = 0;
        size_t next = 0;
        while (next < lags.size()) {
            for (int i = 0; i < 997 && next < lags.size(); ++i, ++next)
                series.append(x += 1 + qint64(next % 3), lags[next]);
            const qint64 cutoff = series.lastX() - windowNs;
            exactStats.update(cutoff);
            histStats.update(cutoff);
            std::vector<float> inWindow;
            for (qint64 s = series.lowerBound(cutoff); s < series.endSeq(); ++s)
                inWindow.push_back(series.y(s));
            QCOMPARE(exactStats.count(), qint64(inWindow.size()));
            QCOMPARE(histStats.histogram().count(), qint64(inWindow.size()));
            const PercentileSummary e = exactStats.summary();
            QVERIFY(e.exact);
            QCOMPARE(e.p95, bruteNearestRank(inWindow, 0.95));
            const PercentileSummary h = histStats.summary();
            QVERIFY(!h.exact);
            QVERIFY(within(h.p99, bruteNearestRank(inWindow, 0.99), 0.01));
        }
    }

    void windowWorkFollowsNewSamples()
    {
        LatencySeries series(1'000'000, true);
        LatencyWindowStats stats(series);
        for (qint64 i = 0; i < 200'000; ++i)
            series.append(i, float(i % 100));
        QCOMPARE(stats.update(150'000), 50'000); // first pass: only the window is read
        QCOMPARE(stats.count(), 50'000);
        for (qint64 i = 200'000; i < 201'000; ++i)
            series.append(i, 1.f);
        // 1000 in, 1000 out: not another pass over the window.
        QCOMPARE(stats.update(151'000), 2'000);
        QCOMPARE(stats.count(), 50'000);
        QCOMPARE(stats.update(151'000), 0);
    }

    void windowCoveringEverythingUsesTheSeriesHistogram()
    {
        LatencySeries series(1000, true);
        LatencyWindowStats stats(series, 100);
        for (int i = 0; i < 5000; ++i)
            series.append(i, float(i));
        QCOMPARE(stats.update(0), 0); // no per-sample work, and evicted samples are not counted
        QVERIFY(stats.coversEverythingHeld());
        QCOMPARE(stats.count(), 1000);
        QVERIFY(within(stats.summary().p50, 4499.0, 0.01));
        // Narrowing the window switches to its own histogram, rebuilt once.
        QCOMPARE(stats.update(4900), 100);
        QVERIFY(!stats.coversEverythingHeld());
        QCOMPARE(stats.count(), 100);
        QCOMPARE(stats.summary().p50, 4949.0); // exact: 100 ≤ exactLimit
        // Widening it again (a new window choice) rebuilds instead of going wrong.
        stats.update(4500);
        QCOMPARE(stats.count(), 500);
        QVERIFY(within(stats.summary().p50, 4749.0, 0.01));
    }
};

QTEST_GUILESS_MAIN(TestLatencyPercentiles)
#include "tst_latencypercentiles.moc"
