#include "model/downsample.h"

#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using rcrt::MinMaxDownsampler;

namespace {

std::vector<QPointF> noisyFlat(int n, quint32 seed)
{
    QRandomGenerator rng(seed);
    std::vector<QPointF> v;
    v.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        v.emplace_back(double(i), 10.0 + rng.generateDouble());
    return v;
}

bool sortedByX(const QList<QPointF> &points)
{
    for (qsizetype i = 1; i < points.size(); ++i)
        if (points[i].x() < points[i - 1].x())
            return false;
    return true;
}

bool containsPoint(const QList<QPointF> &points, QPointF p)
{
    return points.contains(p);
}

} // namespace

class TestDownsample : public QObject
{
    Q_OBJECT
private slots:
    void emptyAndTinyInputs_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("empty") << 0 << 100;
        QTest::newRow("one") << 1 << 100;
        QTest::newRow("two") << 2 << 2;
        QTest::newRow("exactly max") << 100 << 100;
    }
    void emptyAndTinyInputs()
    {
        QFETCH(int, n);
        QFETCH(int, maxPoints);
        const auto in = noisyFlat(n, 1);
        const QList<QPointF> out = rcrt::downsampleMinMax(in, maxPoints);
        QCOMPARE(out, QList<QPointF>(in.begin(), in.end())); // returned as they are
    }

    void outputIsBoundedAndSorted_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("101 -> 100") << 101 << 100;
        QTest::newRow("1M -> 2000") << 1'000'000 << 2000;
        QTest::newRow("odd max") << 5000 << 7;
        QTest::newRow("max 2") << 5000 << 2;
        QTest::newRow("max 1") << 5000 << 1;
        QTest::newRow("max 0") << 5000 << 0;
    }
    void outputIsBoundedAndSorted()
    {
        QFETCH(int, n);
        QFETCH(int, maxPoints);
        const auto in = noisyFlat(n, 2);
        const QList<QPointF> out = rcrt::downsampleMinMax(in, maxPoints);
        QVERIFY(out.size() <= maxPoints);
        if (maxPoints > 0)
            QVERIFY(!out.isEmpty());
        QVERIFY(sortedByX(out));
        for (const QPointF &p : out)
            QCOMPARE(p, in[size_t(p.x())]); // only real samples (x is the index here)
    }

    void spikesSurvive()
    {
        auto in = noisyFlat(1'000'000, 3);
        in[123'457] = QPointF(123'457, 60'000.0); // one 60 s delivery among a million
        in[777'001] = QPointF(777'001, -5.0);     // and one dip
        const QList<QPointF> out = rcrt::downsampleMinMax(in, 2000);
        QVERIFY(out.size() <= 2000);
        QVERIFY(containsPoint(out, in[123'457]));
        QVERIFY(containsPoint(out, in[777'001]));
    }

    void singleSpikeWinsWithOnePoint()
    {
        auto in = noisyFlat(1000, 4);
        in[500].setY(99.0);
        const QList<QPointF> out = rcrt::downsampleMinMax(in, 1);
        QCOMPARE(out, QList<QPointF>{in[500]});
    }

    void nanSamplesAreSkipped()
    {
        auto in = noisyFlat(1000, 5);
        for (int i = 0; i < 1000; i += 2)
            in[size_t(i)].setY(std::numeric_limits<double>::quiet_NaN());
        const QList<QPointF> out = rcrt::downsampleMinMax(in, 100);
        QVERIFY(!out.isEmpty() && out.size() <= 100);
        for (const QPointF &p : out)
            QVERIFY(!std::isnan(p.y()));
    }

    void allSameXCollapsesToOneBucket()
    {
        std::vector<QPointF> in;
        for (int i = 0; i < 500; ++i)
            in.emplace_back(42.0, double(i % 17));
        const QList<QPointF> out = rcrt::downsampleMinMax(in, 10);
        QCOMPARE(out.size(), 2);
        QCOMPARE(out[0].y(), 0.0);
        QCOMPARE(out[1].y(), 16.0);
    }

    void incrementalIsBoundedAndKeepsSpikes()
    {
        MinMaxDownsampler ds(2000, 1);
        QRandomGenerator rng(6);
        for (qint64 i = 0; i < 1'000'000; ++i)
            ds.add(i * 1000, i == 654'321 ? 60'000.f : float(10 + rng.generateDouble()));
        QCOMPARE(ds.samplesAdded(), 1'000'000);
        const QList<QPointF> out = ds.points();
        QVERIFY(out.size() <= 2000);
        QVERIFY(out.size() >= 1000); // the width settles so that at least half the buckets are used
        QVERIFY(sortedByX(out));
        QVERIFY(containsPoint(out, QPointF(654'321'000.0, 60'000.0)));
        QCOMPARE(ds.yRange().second, 60'000.f);
    }

    void incrementalMatchesTheBucketContents()
    {
        // Every emitted point is the min or max of the samples in its bucket.
        MinMaxDownsampler ds(20, 1);
        std::vector<std::pair<qint64, float>> samples;
        QRandomGenerator rng(8);
        qint64 x = 0;
        for (int i = 0; i < 10'000; ++i) {
            x += qint64(rng.bounded(5));
            samples.emplace_back(x, float(rng.bounded(1000)));
            ds.add(samples.back().first, samples.back().second);
        }
        const QList<QPointF> out = ds.points();
        QVERIFY(out.size() <= 20);
        const qint64 width = ds.bucketWidth();
        for (const QPointF &p : out) {
            const qint64 bucket = (qint64(p.x()) - samples.front().first) / width;
            float lo = std::numeric_limits<float>::max();
            float hi = std::numeric_limits<float>::lowest();
            for (const auto &[sx, sy] : samples)
                if ((sx - samples.front().first) / width == bucket) {
                    lo = std::min(lo, sy);
                    hi = std::max(hi, sy);
                }
            QVERIFY2(float(p.y()) == lo || float(p.y()) == hi, qPrintable(QString::number(p.y())));
        }
    }

    void slidingWindowSettlesAndDrops()
    {
        // A 60 s window of samples every 10 ms: width settles between 60 s/1000 and 120 s/1000.
        constexpr qint64 ms = 1'000'000;
        constexpr qint64 windowNs = 60'000 * ms;
        MinMaxDownsampler ds(2000, ms);
        for (qint64 t = 0; t <= 600'000 * ms; t += 10 * ms) {
            ds.add(t, float(t % 7));
            ds.dropBefore(t - windowNs);
        }
        QVERIFY(ds.bucketWidth() >= windowNs / 1000);
        QVERIFY(ds.bucketWidth() < 2 * windowNs / 1000);
        const QList<QPointF> out = ds.points();
        QVERIFY(out.size() <= 2000);
        QVERIFY(out.size() >= 1000);
        QVERIFY(out.front().x() >= double(600'000 * ms - windowNs - ds.bucketWidth()));
        ds.dropBefore(601'000 * ms + windowNs);
        QVERIFY(ds.isEmpty());
        ds.add(5, 1.f); // starts afresh
        QCOMPARE(ds.points(), QList<QPointF>{QPointF(5, 1)});
    }

    void tiesInXKeepArrivalOrder()
    {
        // Two pings in one read: intervals 8 s then 0 s at the same x. A step chart draws the
        // 8 s plateau only if the 8 comes first.
        MinMaxDownsampler ds(100, 1000);
        ds.add(10'000, 5.f);
        ds.add(18'000, 8.f);
        ds.add(18'000, 0.f);
        ds.add(26'000, 8.f);
        ds.add(26'000, 0.f);
        ds.add(26'000, 3.f); // neither extreme: dropped
        QCOMPARE(ds.points(), (QList<QPointF>{{10'000, 5}, {18'000, 8}, {18'000, 0}, {26'000, 8}, {26'000, 0}}));
        ds.add(26'000, 9.f); // a new high after the low
        QCOMPARE(ds.points().mid(3), (QList<QPointF>{{26'000, 0}, {26'000, 9}}));
    }

    void pointsAreScaled()
    {
        MinMaxDownsampler ds(10, 1);
        ds.add(2'000'000, 1.5f);
        QCOMPARE(ds.points(1e-6, 100.0, 1000.0), QList<QPointF>{QPointF(102.0, 1500.0)});
        ds.clear();
        QVERIFY(ds.isEmpty());
        QCOMPARE(ds.samplesAdded(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDownsample)
#include "tst_downsample.moc"
