#include "model/clockoffset.h"

#include <QTest>

using namespace rcrt;

namespace {
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kS = 1'000'000'000;
} // namespace

class TestClockOffset : public QObject
{
    Q_OBJECT
private slots:
    void emptyIsInvalid()
    {
        ClockOffsetEstimator e;
        QVERIFY(!e.estimate().isValid());
        QCOMPARE(e.estimate().toString(), QStringLiteral("unknown"));
    }

    void probeKeepsTheShortestRoundTrip()
    {
        ClockOffsetEstimator e;
        const qint64 offset = 2500 * kMs; // server ahead by 2.5 s
        // 40 ms round trip, server stamped 30 ms after send: off-centre by 10 ms.
        e.addProbe(1000 * kS, 1000 * kS + 40 * kMs, 1000 * kS + 30 * kMs + offset);
        // 4 ms round trip, stamped at the midpoint: the better sample.
        e.addProbe(1010 * kS, 1010 * kS + 4 * kMs, 1010 * kS + 2 * kMs + offset);
        // A slower one later does not replace it.
        e.addProbe(1020 * kS, 1020 * kS + 100 * kMs, 1020 * kS + 90 * kMs + offset);
        const auto est = e.estimate();
        QCOMPARE(est.source, ClockOffsetEstimator::Source::Probes);
        QCOMPARE(est.offsetNs, offset);
        QCOMPARE(est.uncertaintyNs, 2 * kMs);
        QCOMPARE(est.samples, 3);
    }

    void probeWithAckBeforeSendIsIgnored()
    {
        ClockOffsetEstimator e;
        e.addProbe(10 * kS, 9 * kS, 10 * kS);
        e.addProbe(10 * kS, 11 * kS, 0);
        QVERIFY(!e.probeEstimate().isValid());
    }

    void pingsMinimumFilter_data()
    {
        QTest::addColumn<qint64>("skewMs");
        QTest::newRow("in sync") << qint64(0);
        QTest::newRow("server ahead 3 s") << qint64(3000);
        QTest::newRow("server behind 1.7 s") << qint64(-1700);
    }

    void pingsMinimumFilter()
    {
        QFETCH(qint64, skewMs);
        ClockOffsetEstimator e;
        // Server pings every 5 s at .123 past the second; delivered 1..40 ms later.
        for (int i = 0; i < 30; ++i) {
            const qint64 serverSend = 1'700'000'000 * kS + i * 5 * kS + 123 * kMs;
            const qint64 ts = serverSend - serverSend % kS;
            const qint64 arrival = serverSend - skewMs * kMs + (1 + (i * 7) % 40) * kMs;
            e.addPing(arrival, ts);
        }
        const auto est = e.estimate();
        QCOMPARE(est.source, ClockOffsetEstimator::Source::Pings);
        QCOMPARE(est.uncertaintyNs, 500 * kMs);
        // The true offset lies within the stated uncertainty.
        QVERIFY2(std::llabs(est.offsetNs - skewMs * kMs) <= est.uncertaintyNs,
                 qPrintable(est.toString()));
    }

    void pingWindowForgetsOldPings()
    {
        ClockOffsetEstimator e(4);
        e.addPing(10 * kS, 10 * kS); // delta 0: would pin the minimum forever
        for (int i = 0; i < 4; ++i)
            e.addPing((20 + i) * kS + 800 * kMs, (20 + i) * kS);
        QCOMPARE(e.pingEstimate().offsetNs, 500 * kMs - 800 * kMs);
        QCOMPARE(e.pingEstimate().samples, 4);
    }

    void probesWinOverPings()
    {
        ClockOffsetEstimator e;
        e.addPing(10 * kS + 900 * kMs, 10 * kS);
        e.addProbe(20 * kS, 20 * kS + 2 * kMs, 20 * kS + 1 * kMs + 5 * kS);
        QCOMPARE(e.estimate().source, ClockOffsetEstimator::Source::Probes);
        QCOMPARE(e.estimate().offsetNs, 5 * kS);
        e.clear();
        QVERIFY(!e.estimate().isValid());
    }

    void textPicksItsUnit()
    {
        ClockOffsetEstimator e;
        e.addProbe(10 * kS, 10 * kS + 3 * kMs, 10 * kS + 2 * kMs);
        QCOMPARE(e.estimate().toString(), QStringLiteral("+0.5 ms ± 1.5 ms (probes)"));
        e.addProbe(20 * kS, 20 * kS + 1 * kMs, 20 * kS - 2500 * kMs);
        QCOMPARE(e.estimate().toString(), QStringLiteral("-2.501 s ± 0.001 s (probes)"));
    }

    void pingWithoutTsIsIgnored()
    {
        ClockOffsetEstimator e;
        e.addPing(10 * kS, 0);
        QVERIFY(!e.estimate().isValid());
    }
};

QTEST_APPLESS_MAIN(TestClockOffset)
#include "tst_clockoffset.moc"
