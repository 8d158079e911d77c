#include "model/latencyplotfeed.h"

#include <QTest>

using rcrt::LatencyPlotFeed;
using rcrt::LatencySeries;

namespace {

constexpr qint64 kS = 1'000'000'000;

qsizetype pointCount(const LatencyPlotFeed &feed)
{
    qsizetype n = 0;
    for (int g = 0; g < feed.groupCount(); ++g)
        n += feed.group(g).points().size();
    return n;
}

} // namespace

class TestLatencyPlotFeed : public QObject
{
    Q_OBJECT
private slots:
    void routesKeysToGroupsAndAsksOnce()
    {
        LatencySeries series(1000);
        int asked = 0;
        // Keys 0 and 2 to group 0, key 1 to group 1, key 3 left out, key 4 beyond the groups.
        LatencyPlotFeed feed(series, 2, [&asked](quint16 key) {
            ++asked;
            return key == 3 ? -1 : key == 4 ? 7 : key % 2;
        });
        for (int i = 0; i < 50; ++i)
            series.append(i * kS, float(i), quint16(i % 5));
        QCOMPARE(feed.update(49 * kS), 50);
        QCOMPARE(asked, 5);
        QCOMPARE(feed.group(0).samplesAdded(), 20); // keys 0 and 2
        QCOMPARE(feed.group(1).samplesAdded(), 10);
        feed.regroup(); // asks again, and rebuilds from the series
        QCOMPARE(feed.update(49 * kS), 50);
        QCOMPARE(asked, 10);
        QCOMPARE(feed.group(0).samplesAdded(), 20);
    }

    void readsOnlyNewSamples()
    {
        LatencySeries series(100'000);
        LatencyPlotFeed feed(series, 1, [](quint16) { return 0; }, 200);
        for (int i = 0; i < 50'000; ++i)
            series.append(i * 1'000'000LL, float(i % 7));
        QCOMPARE(feed.update(series.lastX()), 50'000);
        QCOMPARE(feed.update(series.lastX()), 0);
        for (int i = 50'000; i < 50'010; ++i)
            series.append(i * 1'000'000LL, 1.f);
        QCOMPARE(feed.update(series.lastX()), 10);
        QCOMPARE(feed.samplesRead(), 50'010);
        QVERIFY(pointCount(feed) <= 200);
    }

    void windowCutsAndRebuildsOnChange()
    {
        LatencySeries series(10'000);
        LatencyPlotFeed feed(series, 1, [](quint16) { return 0; });
        for (int i = 0; i < 600; ++i)
            series.append(i * kS, float(i));
        feed.setWindow(60 * kS);
        QCOMPARE(feed.update(599 * kS), 61); // only the window's samples are read (539 s..599 s)
        QCOMPARE(feed.cutoff(), 539 * kS);
        for (const QPointF &p : feed.group(0).points())
            QVERIFY(p.x() >= double(539 * kS));
        // Sliding on: old buckets go, new samples come.
        for (int i = 600; i < 630; ++i)
            series.append(i * kS, float(i));
        QCOMPARE(feed.update(629 * kS), 30);
        QVERIFY(feed.group(0).points().front().x() >= double(569 * kS - feed.group(0).bucketWidth()));
        // "Everything held": a rebuild over the whole series, from its oldest sample.
        feed.setWindow(0);
        QCOMPARE(feed.update(629 * kS), 630);
        QCOMPARE(feed.cutoff(), 0);
        // A window longer than the data starts at the oldest sample, not before.
        feed.setWindow(3600 * kS);
        feed.update(629 * kS);
        QCOMPARE(feed.cutoff(), 0);
    }

    void samplesLostToTheRingAreSkipped()
    {
        LatencySeries series(100);
        LatencyPlotFeed feed(series, 1, [](quint16) { return 0; });
        for (int i = 0; i < 50; ++i)
            series.append(i, float(i));
        QCOMPARE(feed.update(49), 50);
        for (int i = 50; i < 400; ++i) // more than the ring holds between two updates
            series.append(i, float(i));
        QCOMPARE(feed.update(399), 100); // rebuilt from what is held
        QCOMPARE(feed.cutoff(), 300);
        QCOMPARE(feed.group(0).points().front().x(), 300.0);
    }
};

QTEST_GUILESS_MAIN(TestLatencyPlotFeed)
#include "tst_latencyplotfeed.moc"
