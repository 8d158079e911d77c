// Backoff: delay bounds for each jitter mode with a seeded RNG (no timing involved).
#include "net/backoff.h"

#include <QTest>

#include <algorithm>
#include <climits>
#include <cmath>

using rcrt::Backoff;
using rcrt::BackoffJitter;
using rcrt::BackoffParams;

class TstBackoff : public QObject
{
    Q_OBJECT

private:
    static BackoffParams params(BackoffJitter jitter)
    {
        BackoffParams p;
        p.initialMs = 500;
        p.capMs = 30000;
        p.multiplier = 2.0;
        p.minDelayMs = 50;
        p.jitter = jitter;
        return p;
    }

private slots:
    void noJitterDoublesUpToTheCap()
    {
        Backoff backoff(params(BackoffJitter::None), 1);
        const QList<int> expected{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        QList<int> got;
        for (qsizetype i = 0; i < expected.size(); ++i)
            got.append(backoff.nextDelayMs());
        QCOMPARE(got, expected);
        QCOMPARE(backoff.attempt(), int(expected.size()));
    }

    void fullJitterStaysWithinTheGrowingCeiling()
    {
        for (quint32 seed : {1u, 2u, 42u, 4242u}) {
            Backoff backoff(params(BackoffJitter::Full), seed);
            for (int n = 0; n < 40; ++n) {
                const int ceiling = std::min(30000, int(500 * std::pow(2.0, std::min(n, 20))));
                QCOMPARE(backoff.nextCeilingMs(), ceiling);
                const int delay = backoff.nextDelayMs();
                QVERIFY2(delay >= 50 && delay <= ceiling,
                         qPrintable(QStringLiteral("seed %1 attempt %2 delay %3 ceiling %4")
                                        .arg(seed)
                                        .arg(n)
                                        .arg(delay)
                                        .arg(ceiling)));
            }
        }
    }

    void fullJitterSpreadsOverTheWholeRange()
    {
        // Many draws at attempt 0: they must not all sit at one end (that would be no jitter).
        Backoff backoff(params(BackoffJitter::Full), 7);
        int lowest = INT_MAX;
        int highest = 0;
        for (int i = 0; i < 2000; ++i) {
            backoff.reset();
            const int delay = backoff.nextDelayMs();
            lowest = std::min(lowest, delay);
            highest = std::max(highest, delay);
        }
        QVERIFY(lowest < 100);
        QVERIFY(highest > 450);
        QVERIFY(highest <= 500);
        QVERIFY(lowest >= 50);
    }

    void sameSeedSameSequence()
    {
        Backoff a(params(BackoffJitter::Full), 99);
        Backoff b(params(BackoffJitter::Full), 99);
        Backoff c(params(BackoffJitter::Full), 100);
        QList<int> sa, sb, sc;
        for (int i = 0; i < 12; ++i) {
            sa.append(a.nextDelayMs());
            sb.append(b.nextDelayMs());
            sc.append(c.nextDelayMs());
        }
        QCOMPARE(sa, sb);
        QVERIFY(sa != sc);
    }

    void decorrelatedJitterBounds()
    {
        for (quint32 seed : {3u, 5u, 8u}) {
            Backoff backoff(params(BackoffJitter::Decorrelated), seed);
            int previous = 500;
            for (int n = 0; n < 60; ++n) {
                const int delay = backoff.nextDelayMs();
                QVERIFY(delay >= 500);
                QVERIFY(delay <= std::min(30000, previous * 3));
                previous = delay;
            }
        }
    }

    void resetStartsAgainFromTheBase()
    {
        Backoff backoff(params(BackoffJitter::None), 1);
        for (int i = 0; i < 5; ++i)
            backoff.nextDelayMs();
        QCOMPARE(backoff.nextCeilingMs(), 16000);
        backoff.reset();
        QCOMPARE(backoff.attempt(), 0);
        QCOMPARE(backoff.nextDelayMs(), 500);
    }

    void serverRetryBecomesTheBase()
    {
        Backoff backoff(params(BackoffJitter::None), 1);
        backoff.setServerRetryMs(2000);
        QCOMPARE(backoff.baseMs(), 2000);
        QCOMPARE(backoff.nextDelayMs(), 2000);
        QCOMPARE(backoff.nextDelayMs(), 4000);

        Backoff full(params(BackoffJitter::Full), 11);
        full.setServerRetryMs(3000);
        for (int i = 0; i < 200; ++i) {
            full.reset();
            QVERIFY(full.nextDelayMs() <= 3000);
        }
    }

    void serverRetryIsClampedAndClearable()
    {
        Backoff backoff(params(BackoffJitter::None), 1);
        backoff.setServerRetryMs(10'000'000);
        QCOMPARE(backoff.serverRetryMs(), std::optional<int>(30000));
        QCOMPARE(backoff.nextDelayMs(), 30000);

        backoff.reset();
        backoff.setServerRetryMs(0); // "retry: 0" must not become a busy loop
        QCOMPARE(backoff.nextDelayMs(), 50);

        backoff.reset();
        backoff.setServerRetryMs(-1);
        QVERIFY(!backoff.serverRetryMs());
        QCOMPARE(backoff.nextDelayMs(), 500);
    }

    void manyAttemptsNeverOverflow()
    {
        Backoff backoff(params(BackoffJitter::None), 1);
        for (int i = 0; i < 5000; ++i)
            QVERIFY(backoff.nextDelayMs() <= 30000);
        QCOMPARE(backoff.nextDelayMs(), 30000);
    }
};

QTEST_GUILESS_MAIN(TstBackoff)
#include "tst_backoff.moc"
