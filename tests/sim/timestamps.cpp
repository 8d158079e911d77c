#include "timestamps.h"

#include <QDateTime>
#include <QString>

#include <atomic>
#include <chrono>

namespace rcrt::sim {
namespace {

// Howard Hinnant's days-to-civil algorithm: cheap enough for 200k timestamps per second,
// unlike going through QDateTime for every event.
void civilFromDays(qint64 days, int &year, int &month, int &day)
{
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 doe = days - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    day = int(doy - (153 * mp + 2) / 5 + 1);
    month = int(mp < 10 ? mp + 3 : mp - 9);
    year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

void appendDigits(char *&p, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        p[i] = char('0' + value % 10);
        value /= 10;
    }
    p += width;
}

// Writes YYYY-MM-DDTHH:MM:SS and returns the microsecond remainder.
qint64 appendSecondsPart(char *&p, qint64 micros)
{
    qint64 secs = micros / 1000000;
    qint64 frac = micros % 1000000;
    if (frac < 0) {
        frac += 1000000;
        --secs;
    }
    qint64 days = secs / 86400;
    qint64 rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    int y = 0, m = 0, d = 0;
    civilFromDays(days, y, m, d);
    appendDigits(p, y, 4);
    *p++ = '-';
    appendDigits(p, m, 2);
    *p++ = '-';
    appendDigits(p, d, 2);
    *p++ = 'T';
    appendDigits(p, rem / 3600, 2);
    *p++ = ':';
    appendDigits(p, (rem / 60) % 60, 2);
    *p++ = ':';
    appendDigits(p, rem % 60, 2);
    return frac;
}

} // namespace

namespace {
std::atomic<qint64> g_clockSkewMicros{0};
} // namespace

void setClockSkewMicros(qint64 skew) { g_clockSkewMicros = skew; }

qint64 nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() + g_clockSkewMicros;
}

void appendTimestamp(QByteArray &out, qint64 micros)
{
    char buffer[40];
    char *p = buffer;
    const qint64 frac = appendSecondsPart(p, micros);
    if (frac != 0) {
        *p++ = '.';
        if (frac % 1000 == 0)
            appendDigits(p, frac / 1000, 3);
        else
            appendDigits(p, frac, 6);
    }
    *p++ = 'Z';
    out.append(buffer, p - buffer);
}

QByteArray formatTimestamp(qint64 micros)
{
    QByteArray out;
    appendTimestamp(out, micros);
    return out;
}

QByteArray formatSeconds(qint64 micros)
{
    char buffer[32];
    char *p = buffer;
    appendSecondsPart(p, micros);
    *p++ = 'Z';
    return QByteArray(buffer, p - buffer);
}

QByteArray formatMillis(qint64 micros)
{
    char buffer[40];
    char *p = buffer;
    const qint64 frac = appendSecondsPart(p, micros);
    *p++ = '.';
    appendDigits(p, frac / 1000, 3);
    *p++ = 'Z';
    return QByteArray(buffer, p - buffer);
}

bool parseRfc3339(QByteArrayView text, qint64 &micros)
{
    // Qt accepts RFC 3339 with offsets and fractions through ISODateWithMs.
    const QString s = QString::fromUtf8(text);
    if (s.size() < 20 || (s.at(10) != QLatin1Char('T') && s.at(10) != QLatin1Char('t')))
        return false;
    const QDateTime dt = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!dt.isValid())
        return false;
    const bool hasZone = s.endsWith(QLatin1Char('Z')) || s.endsWith(QLatin1Char('z'))
        || s.at(s.size() - 3) == QLatin1Char(':');
    if (!hasZone)
        return false;
    micros = dt.toMSecsSinceEpoch() * 1000;
    // Keep microsecond digits Qt drops.
    const qsizetype dot = s.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype i = dot + 1;
        QString digits;
        while (i < s.size() && s.at(i).isDigit())
            digits += s.at(i++);
        if (digits.size() > 3)
            micros += digits.mid(3, 3).leftJustified(3, QLatin1Char('0')).toLongLong();
    }
    return true;
}

} // namespace rcrt::sim
