#include "model/timestamp.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using rcrt::formatRfc3339Ns;
using rcrt::parseRfc3339Ns;

namespace {

// Independent oracle: Qt's own calendar maths at millisecond precision, plus the sub-ms rest.
qint64 expectedNs(int y, int mo, int d, int h, int mi, int s, qint64 fractionNs, int offsetSeconds = 0)
{
    const QDateTime dt(QDate(y, mo, d), QTime(h, mi, s), QTimeZone(offsetSeconds));
    return dt.toMSecsSinceEpoch() * 1'000'000 + fractionNs;
}

} // namespace

class TestTimestamp : public QObject
{
    Q_OBJECT
private slots:
    void parsesValid_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ns");

        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(0);
        QTest::newRow("ping, whole seconds") << QByteArray("2025-11-07T10:30:05Z")
                                             << expectedNs(2025, 11, 7, 10, 30, 5, 0);
        QTest::newRow("3 digits (JS toISOString)") << QByteArray("2025-11-07T10:30:00.087Z")
                                                   << expectedNs(2025, 11, 7, 10, 30, 0, 87'000'000);
        QTest::newRow("6 digits (Postgres)") << QByteArray("2025-10-03T02:55:46.436840Z")
                                             << expectedNs(2025, 10, 3, 2, 55, 46, 436'840'000);
        QTest::newRow("9 digits") << QByteArray("2025-11-07T10:30:00.352118731Z")
                                  << expectedNs(2025, 11, 7, 10, 30, 0, 352'118'731);
        QTest::newRow("1 digit") << QByteArray("2025-11-07T10:30:00.5Z") << expectedNs(2025, 11, 7, 10, 30, 0, 500'000'000);
        QTest::newRow("2 digits") << QByteArray("2025-11-07T10:30:00.05Z") << expectedNs(2025, 11, 7, 10, 30, 0, 50'000'000);
        QTest::newRow("4 digits") << QByteArray("2025-11-07T10:30:00.0001Z") << expectedNs(2025, 11, 7, 10, 30, 0, 100'000);
        QTest::newRow("5 digits") << QByteArray("2025-11-07T10:30:00.12345Z") << expectedNs(2025, 11, 7, 10, 30, 0, 123'450'000);
        QTest::newRow("7 digits") << QByteArray("2025-11-07T10:30:00.1234567Z") << expectedNs(2025, 11, 7, 10, 30, 0, 123'456'700);
        QTest::newRow("8 digits") << QByteArray("2025-11-07T10:30:00.12345678Z") << expectedNs(2025, 11, 7, 10, 30, 0, 123'456'780);
        QTest::newRow("+00:00 with ns (assembled_at)") << QByteArray("2025-11-07T10:30:00.352118731+00:00")
                                                       << expectedNs(2025, 11, 7, 10, 30, 0, 352'118'731);
        QTest::newRow("-05:30") << QByteArray("2025-11-07T05:00:00-05:30")
                                << expectedNs(2025, 11, 7, 10, 30, 0, 0);
        QTest::newRow("+02:00 crosses midnight") << QByteArray("2025-01-01T01:00:00+02:00")
                                                 << expectedNs(2024, 12, 31, 23, 0, 0, 0);
        QTest::newRow("+14:00") << QByteArray("2025-06-01T14:00:00+14:00") << expectedNs(2025, 6, 1, 0, 0, 0, 0);
        QTest::newRow("lowercase t and z") << QByteArray("2025-11-07t10:30:05.123z")
                                           << expectedNs(2025, 11, 7, 10, 30, 5, 123'000'000);
        QTest::newRow("leap day 2024") << QByteArray("2024-02-29T12:00:00Z") << expectedNs(2024, 2, 29, 12, 0, 0, 0);
        QTest::newRow("leap day 2000 (div by 400)") << QByteArray("2000-02-29T00:00:00Z") << expectedNs(2000, 2, 29, 0, 0, 0, 0);
        QTest::newRow("day after leap day") << QByteArray("2024-03-01T00:00:00Z") << expectedNs(2024, 3, 1, 0, 0, 0, 0);
        QTest::newRow("end of year") << QByteArray("2025-12-31T23:59:59.999999999Z")
                                     << expectedNs(2025, 12, 31, 23, 59, 59, 999'999'999);
        QTest::newRow("before 1970") << QByteArray("1969-12-31T23:59:59.999999999Z") << qint64(-1);
        QTest::newRow("1900") << QByteArray("1900-03-01T00:00:00Z") << expectedNs(1900, 3, 1, 0, 0, 0, 0);
        QTest::newRow("2262, near the int64 limit") << QByteArray("2262-04-11T23:47:16.854775807Z")
                                                    << std::numeric_limits<qint64>::max();
    }
    void parsesValid()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ns);
        const auto parsed = parseRfc3339Ns(QByteArrayView(text));
        QVERIFY2(parsed.has_value(), text.constData());
        QCOMPARE(*parsed, ns);
    }

    void rejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("words") << QByteArray("yesterday at noon");
        QTest::newRow("date only") << QByteArray("2025-11-07");
        QTest::newRow("no zone") << QByteArray("2025-11-07T10:30:05");
        QTest::newRow("no zone with fraction") << QByteArray("2025-11-07T10:30:05.123");
        QTest::newRow("space separator") << QByteArray("2025-11-07 10:30:05Z");
        QTest::newRow("dot without digits") << QByteArray("2025-11-07T10:30:05.Z");
        QTest::newRow("10 fractional digits") << QByteArray("2025-11-07T10:30:05.1234567891Z");
        QTest::newRow("month 13") << QByteArray("2025-13-07T10:30:05Z");
        QTest::newRow("month 0") << QByteArray("2025-00-07T10:30:05Z");
        QTest::newRow("day 0") << QByteArray("2025-11-00T10:30:05Z");
        QTest::newRow("Feb 29 in 2025") << QByteArray("2025-02-29T10:30:05Z");
        QTest::newRow("Feb 29 in 1900") << QByteArray("1900-02-29T10:30:05Z");
        QTest::newRow("Apr 31") << QByteArray("2025-04-31T10:30:05Z");
        QTest::newRow("hour 24") << QByteArray("2025-11-07T24:00:00Z");
        QTest::newRow("minute 60") << QByteArray("2025-11-07T10:60:05Z");
        QTest::newRow("leap second") << QByteArray("2016-12-31T23:59:60Z");
        QTest::newRow("offset without colon") << QByteArray("2025-11-07T10:30:05+0000");
        QTest::newRow("offset hour only") << QByteArray("2025-11-07T10:30:05+00");
        QTest::newRow("offset hour 24") << QByteArray("2025-11-07T10:30:05+24:00");
        QTest::newRow("trailing space") << QByteArray("2025-11-07T10:30:05Z ");
        QTest::newRow("trailing text") << QByteArray("2025-11-07T10:30:05Zjunk");
        QTest::newRow("leading space") << QByteArray(" 2025-11-07T10:30:05Z");
        QTest::newRow("two-digit year") << QByteArray("25-11-07T10:30:05Z");
        QTest::newRow("signs in digits") << QByteArray("2025-+1-07T10:30:05Z");
        QTest::newRow("unix seconds") << QByteArray("1762511405");
        QTest::newRow("year 9999 overflows int64 ns") << QByteArray("9999-12-31T23:59:59Z");
        QTest::newRow("year 1000 underflows int64 ns") << QByteArray("1000-01-01T00:00:00Z");
        QTest::newRow("embedded NUL") << QByteArray("2025-11-07T10:30:05\0Z", 21);
    }
    void rejectsGarbage()
    {
        QFETCH(QByteArray, text);
        QVERIFY2(!parseRfc3339Ns(QByteArrayView(text)).has_value(), text.constData());
    }

    void formatsAutoSi_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QByteArray>("text");
        const qint64 base = expectedNs(2025, 11, 7, 10, 30, 5, 0);
        QTest::newRow("whole seconds") << base << QByteArray("2025-11-07T10:30:05Z");
        QTest::newRow("millis") << base + 123'000'000 << QByteArray("2025-11-07T10:30:05.123Z");
        QTest::newRow("micros") << base + 123'456'000 << QByteArray("2025-11-07T10:30:05.123456Z");
        QTest::newRow("nanos") << base + 123'456'789 << QByteArray("2025-11-07T10:30:05.123456789Z");
        QTest::newRow("leading zeros") << base + 1'000 << QByteArray("2025-11-07T10:30:05.000001Z");
        QTest::newRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00Z");
        QTest::newRow("before epoch") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999999999Z");
        QTest::newRow("leap day") << expectedNs(2024, 2, 29, 23, 59, 59, 0) << QByteArray("2024-02-29T23:59:59Z");
    }
    void formatsAutoSi()
    {
        QFETCH(qint64, ns);
        QFETCH(QByteArray, text);
        QCOMPARE(formatRfc3339Ns(ns), text);
        QCOMPARE(parseRfc3339Ns(QByteArrayView(text)), std::optional<qint64>(ns));
    }

    // Every day over four centuries round-trips, so the calendar maths holds on all month and
    // leap-year boundaries, not just the rows above.
    void roundTripsEveryDay()
    {
        const QDate start(1801, 1, 1);
        for (int day = 0; day < 146097; day += 1) {
            const QDate date = start.addDays(day);
            const qint64 ns = expectedNs(date.year(), date.month(), date.day(), 13, 7, 9, 250'000);
            const QByteArray text = formatRfc3339Ns(ns);
            QCOMPARE(text.left(10), date.toString(Qt::ISODate).toLatin1());
            const auto back = parseRfc3339Ns(QByteArrayView(text));
            if (!back || *back != ns)
                QFAIL(text.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
