// TimelineLayout and packTimelineBars: the flow timeline's paint maths, without a widget.
#include "ui/flows/timelinelayout.h"

#include <QTest>

using rcrt::RequestState;
using rcrt::ui::TimelineBar;
using rcrt::ui::TimelineLayout;
using rcrt::ui::packTimelineBars;

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kSecond = 1000 * kMs;
constexpr qint64 kT0 = 1'762'509'000LL * kSecond; // 2025-11-07T09:50:00Z

TimelineLayout layout(qint64 spanNs = 10 * kSecond)
{
    TimelineLayout l;
    l.plot = QRectF(100, 20, 1000, 200);
    l.viewStartNs = kT0;
    l.viewEndNs = kT0 + spanNs;
    return l;
}

TimelineBar bar(const char *key, int lane, qint64 startMs, qint64 endMs, bool open = false)
{
    TimelineBar b;
    b.key = key;
    b.lane = lane;
    b.startNs = kT0 + startMs * kMs;
    b.endNs = kT0 + endMs * kMs;
    b.timeoutAtNs = b.startNs + 60 * kSecond;
    b.open = open;
    b.state = open ? RequestState::Pending : RequestState::Answered;
    return b;
}

} // namespace

class TestFlowsTimelineLayout : public QObject
{
    Q_OBJECT

private slots:
    void timeToX()
    {
        const TimelineLayout l = layout();
        QCOMPARE(l.xForTime(kT0), 100.0);
        QCOMPARE(l.xForTime(kT0 + 10 * kSecond), 1100.0);
        QCOMPARE(l.xForTime(kT0 + 2500 * kMs), 350.0);
        QCOMPARE(l.xForTime(kT0 - kSecond), 0.0); // left of the plot: negative offsets work
        QCOMPARE(l.timeForX(350.0), kT0 + 2500 * kMs);
        QCOMPARE(l.timeForX(100.0), kT0);
        for (const double x : {100.0, 123.0, 777.5, 1100.0})
            QVERIFY(std::abs(l.xForTime(l.timeForX(x)) - x) < 1e-3);
    }

    void zoomKeepsTheAnchor()
    {
        TimelineLayout l = layout();
        const qint64 anchor = l.timeForX(350);
        l.zoom(2.0, 350);
        QCOMPARE(l.spanNs(), 5 * kSecond);
        QCOMPARE(l.timeForX(350), anchor);
        l.zoom(0.25, 350);
        QCOMPARE(l.spanNs(), 20 * kSecond);
        QCOMPARE(l.timeForX(350), anchor);
    }

    void zoomIsClamped()
    {
        TimelineLayout l = layout();
        l.zoom(1e9, 600);
        QCOMPARE(l.spanNs(), TimelineLayout::kMinSpanNs);
        l.zoom(1e-12, 600);
        QCOMPARE(l.spanNs(), TimelineLayout::kMaxSpanNs);
        const qint64 before = l.spanNs();
        l.zoom(0, 600); // nonsense factors are ignored
        l.zoom(-2, 600);
        QCOMPARE(l.spanNs(), before);
    }

    void panFollowsThePointer()
    {
        TimelineLayout l = layout();
        l.laneRows = {1, 3, 8, 8};           // content taller than the 200 px plot
        l.pan(100, 0);                        // drag right by a tenth: one second earlier
        QCOMPARE(l.viewStartNs, kT0 - kSecond);
        QCOMPARE(l.spanNs(), 10 * kSecond);
        l.pan(0, -50);                        // drag up: scroll down
        QCOMPARE(l.scrollY, 50.0);
        l.pan(0, -10'000);
        QCOMPARE(l.scrollY, l.contentHeight() - 200);
        l.pan(0, 10'000);
        QCOMPARE(l.scrollY, 0.0);
    }

    void fitAndFollow()
    {
        TimelineLayout l = layout();
        l.fit(kT0 + 10 * kSecond, kT0 + 20 * kSecond, 0.05);
        QCOMPARE(l.viewStartNs, kT0 + 9500 * kMs);
        QCOMPARE(l.viewEndNs, kT0 + 20'500 * kMs);
        l.fit(kT0, kT0, 0); // one instant: the minimum span around it
        QCOMPARE(l.spanNs(), TimelineLayout::kMinSpanNs);
        QVERIFY(l.viewStartNs <= kT0 && l.viewEndNs >= kT0);

        l = layout();
        l.follow(kT0 + 100 * kSecond, 0.9);
        QCOMPARE(l.spanNs(), 10 * kSecond);
        QCOMPARE(l.viewEndNs, kT0 + 101 * kSecond);
        QCOMPARE(l.xForTime(kT0 + 100 * kSecond), 1000.0);
    }

    void lanesAndBars()
    {
        TimelineLayout l = layout();
        l.rowHeight = 16;
        l.rowGap = 4;
        l.lanePadding = 5;
        l.laneRows = {1, 2, 1};
        QCOMPARE(l.laneHeight(0), 26.0);
        QCOMPARE(l.laneHeight(1), 46.0);
        QCOMPARE(l.laneTop(0), 20.0);
        QCOMPARE(l.laneTop(2), 92.0);
        QCOMPARE(l.contentHeight(), 98.0);
        QCOMPARE(l.laneAt(20.0), 0);
        QCOMPARE(l.laneAt(46.0), 1);
        QCOMPARE(l.laneAt(117.9), 2);
        QCOMPARE(l.laneAt(118.0), -1);
        QCOMPARE(l.laneAt(5.0), -1);

        TimelineBar b = bar("x", 1, 1000, 3000);
        b.subRow = 1;
        QCOMPARE(l.barRect(b), QRectF(200, 20 + 26 + 5 + 20, 200, 16));
        b = bar("instant", 0, 5000, 5000); // zero length: still 3 px wide
        QCOMPARE(l.barRect(b).width(), 3.0);
        b.subRow = 7; // beyond the lane's rows: clamped to its last row
        QCOMPARE(l.barRect(b).top(), 25.0);

        l.scrollY = 10;
        QCOMPARE(l.laneTop(0), 10.0);
        QCOMPARE(l.laneAt(15.0), 0);
    }

    void tickSteps_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("step");
        // 1000 px wide, at least 90 px apart: at most ~11 ticks across.
        QTest::newRow("50 ms") << 50 * kMs << 5 * kMs;
        QTest::newRow("1 s") << kSecond << 100 * kMs;
        QTest::newRow("10 s") << 10 * kSecond << kSecond;
        QTest::newRow("60 s") << 60 * kSecond << 10 * kSecond;
        QTest::newRow("10 min") << 600 * kSecond << 60 * kSecond;
        QTest::newRow("1 day") << 86'400 * kSecond << 3 * 3600 * kSecond;
    }

    void tickSteps()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, step);
        QCOMPARE(TimelineLayout::tickStepNs(span, 1000, 90), step);
    }

    void ticksAreAlignedAndInside()
    {
        TimelineLayout l = layout(10 * kSecond);
        l.viewStartNs = kT0 + 300 * kMs;
        l.viewEndNs = l.viewStartNs + 10 * kSecond;
        const QList<TimelineLayout::Tick> ticks = l.ticks(90);
        QCOMPARE(ticks.size(), 10); // 1 s apart: :01 … :10
        QCOMPARE(ticks.first().ns, kT0 + kSecond);
        QCOMPARE(ticks.last().ns, kT0 + 10 * kSecond);
        for (const auto &t : ticks) {
            QCOMPARE(t.ns % kSecond, 0);
            QCOMPARE(t.x, l.xForTime(t.ns));
        }
        // A local UTC offset of +5:30 moves minute ticks onto local whole minutes.
        l.viewStartNs = kT0;
        l.viewEndNs = kT0 + 600 * kSecond;
        l.tickOriginNs = -(5 * 3600 + 1800) * kSecond;
        for (const auto &t : l.ticks(90))
            QCOMPARE((t.ns - l.tickOriginNs) % (60 * kSecond), 0);
        // A view starting exactly on a tick includes it.
        l.tickOriginNs = 0;
        l.viewStartNs = kT0;
        l.viewEndNs = kT0 + 10 * kSecond;
        QCOMPARE(l.ticks(90).first().ns, kT0);
    }

    void packing()
    {
        QList<TimelineBar> bars{
            bar("a1", 0, 0, 100),
            bar("a2", 0, 50, 150),   // overlaps a1: second row
            bar("a3", 0, 100, 200),  // starts when a1 ends: first row again
            bar("b1", 1, 0, 10, true), // open: never ends
            bar("b2", 1, 500, 600),
            bar("b3", 1, 700, 800),
        };
        std::reverse(bars.begin(), bars.end()); // input order does not matter
        QList<bool> overflowed;
        const QList<int> rows = packTimelineBars(bars, 3, 6, &overflowed);
        QCOMPARE(rows, (QList<int>{2, 2, 1}));
        QCOMPARE(overflowed, (QList<bool>{false, false, false}));
        QHash<QByteArray, int> row;
        for (const TimelineBar &b : std::as_const(bars))
            row.insert(b.key, b.subRow);
        QCOMPARE(row.value("a1"), 0);
        QCOMPARE(row.value("a2"), 1);
        QCOMPARE(row.value("a3"), 0);
        QCOMPARE(row.value("b1"), 0);
        QCOMPARE(row.value("b2"), 1);
        QCOMPARE(row.value("b3"), 1);
        QCOMPARE(bars.first().key, QByteArray("a1")); // sorted by lane, then start
    }

    void openBarsGrowToNow()
    {
        TimelineBar b = bar("open", 0, 1000, 1000, true);
        b.ageAnchorNs = kT0 + 1500 * kMs; // arrived half a second after creation (console clock)
        rcrt::ui::extendOpenBar(b, kT0 + 31'500 * kMs);
        QCOMPARE(b.endNs, kT0 + 31'000 * kMs);
        QCOMPARE(b.state, RequestState::Pending);
        rcrt::ui::extendOpenBar(b, kT0 + 61'600 * kMs);
        QCOMPARE(b.endNs, kT0 + 61'100 * kMs);
        QCOMPARE(b.state, RequestState::TimedOut);
        rcrt::ui::extendOpenBar(b, kT0); // a clock before the anchor never shrinks it below zero
        QCOMPARE(b.endNs, b.startNs);

        TimelineBar closed = bar("closed", 0, 0, 250);
        rcrt::ui::extendOpenBar(closed, kT0 + 90'000 * kMs);
        QCOMPARE(closed.endNs, kT0 + 250 * kMs);
        QCOMPARE(closed.state, RequestState::Answered);
    }

    void packingIsCapped()
    {
        QList<TimelineBar> bars;
        for (int i = 0; i < 10; ++i)
            bars.append(bar(QByteArray::number(i).constData(), 0, i, 1000));
        QList<bool> overflowed;
        const QList<int> rows = packTimelineBars(bars, 2, 4, &overflowed);
        QCOMPARE(rows, (QList<int>{4, 1}));
        QCOMPARE(overflowed, (QList<bool>{true, false}));
        for (const TimelineBar &b : std::as_const(bars))
            QVERIFY(b.subRow >= 0 && b.subRow < 4);
        QCOMPARE(bars.last().subRow, 3); // the overflow shares the last row
    }
};

QTEST_GUILESS_MAIN(TestFlowsTimelineLayout)
#include "tst_flowstimelinelayout.moc"
