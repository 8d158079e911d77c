#include "model/streamevent.h"

#include <QTest>

class TestStreamEvent : public QObject
{
    Q_OBJECT
private slots:
    void sourceNames()
    {
        QCOMPARE(rcrt::sourceName(rcrt::EventSource::Sse), QStringLiteral("sse"));
        QCOMPARE(rcrt::sourceName(rcrt::EventSource::Backfill), QStringLiteral("backfill"));
        QCOMPARE(rcrt::sourceName(rcrt::EventSource::Local), QStringLiteral("local"));
        QCOMPARE(rcrt::sourceName(rcrt::EventSource::Replay), QStringLiteral("replay"));
    }
    void nowIsNanoseconds()
    {
        const auto a = rcrt::nowNs();
        QVERIFY(a > 1'700'000'000'000'000'000LL); // after 2023 in ns
    }
};

QTEST_GUILESS_MAIN(TestStreamEvent)
#include "tst_streamevent.moc"
