#pragma once

// Shared by the tst_sseparser*.cpp tests: runs bytes through SseParser under several chunkings
// and records everything the parser reports as one ordered log, so "same bytes in any chunking
// give the same events, retries and errors" is one comparison.

#include "net/sseparser.h"

#include <QByteArrayList>
#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace rcrt::ssetest {

// A byte string literal that may contain NUL bytes.
template<qsizetype N>
QByteArray bytes(const char (&literal)[N])
{
    return QByteArray(literal, N - 1);
}

inline QByteArray ev(QByteArrayView type, QByteArrayView data, QByteArrayView id = {})
{
    return QByteArray("event type=[") + type.toByteArray() + "] data=[" + data.toByteArray()
        + "] id=[" + id.toByteArray() + "]";
}
inline QByteArray msg(QByteArrayView data, QByteArrayView id = {})
{
    return ev("message", data, id);
}
inline QByteArray retry(qint64 ms)
{
    return "retry " + QByteArray::number(ms);
}
inline QByteArray lineError(qsizetype limit)
{
    return "error SSE line exceeds " + QByteArray::number(limit) + " bytes; event skipped";
}
inline QByteArray eventError(qsizetype limit)
{
    return "error SSE event data exceeds " + QByteArray::number(limit) + " bytes; event skipped";
}

inline SseParser::Handlers recordInto(QByteArrayList &log)
{
    SseParser::Handlers handlers;
    handlers.event = [&log](SseEvent &&e) { log.append(ev(e.type, e.data, e.lastEventId)); };
    handlers.retry = [&log](qint64 ms) { log.append(retry(ms)); };
    handlers.error = [&log](const QString &m) { log.append("error " + m.toUtf8()); };
    return handlers;
}

// How a stream is cut into feed() calls.
struct Cut
{
    enum Kind { Whole, Bytes, Random } kind = Whole;
    quint32 seed = 0;
    int maxChunk = 16;

    QString describe() const
    {
        switch (kind) {
        case Whole:
            return QStringLiteral("whole");
        case Bytes:
            return QStringLiteral("byte by byte");
        case Random:
            break;
        }
        return QStringLiteral("random chunks 1..%1, seed %2").arg(maxChunk).arg(seed);
    }
};

// Seeds 1..4 are fixed; the fifth is new each run (RCRT_SSE_SEED pins it) and printed on failure.
inline quint32 runSeed()
{
    static const quint32 seed = [] {
        bool ok = false;
        const quint32 pinned = qEnvironmentVariable("RCRT_SSE_SEED").toUInt(&ok);
        return ok ? pinned : QRandomGenerator::global()->generate();
    }();
    return seed;
}

inline QList<Cut> standardCuts(int maxChunk = 16)
{
    QList<Cut> cuts{{Cut::Whole, 0, 0}, {Cut::Bytes, 0, 1}};
    for (quint32 seed : {1u, 2u, 3u, 4u, runSeed()})
        cuts.append({Cut::Random, seed, maxChunk});
    return cuts;
}

inline void feedCut(SseParser &parser, QByteArrayView input, const Cut &cut)
{
    if (cut.kind == Cut::Whole) {
        parser.feed(input);
        return;
    }
    QRandomGenerator rng(cut.seed);
    qsizetype at = 0;
    while (at < input.size()) {
        const qsizetype n = cut.kind == Cut::Bytes ? 1 : rng.bounded(1, cut.maxChunk + 1);
        parser.feed(input.sliced(at, std::min(n, input.size() - at)));
        at += n;
    }
}

inline QByteArrayList parse(QByteArrayView input, const Cut &cut = {},
                            SseParser::Limits limits = {})
{
    QByteArrayList log;
    SseParser parser(recordInto(log), limits);
    feedCut(parser, input, cut);
    return log;
}

// Control bytes and non-ASCII shown as \xNN so a failure message stays readable.
inline QString printable(const QByteArray &bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    return out;
}

// Empty when equal, else a description of the first difference.
inline QString diff(const QByteArrayList &actual, const QByteArrayList &expected)
{
    for (qsizetype i = 0; i < std::max(actual.size(), expected.size()); ++i) {
        const QByteArray a = i < actual.size() ? actual.at(i) : QByteArray("<nothing>");
        const QByteArray e = i < expected.size() ? expected.at(i) : QByteArray("<nothing>");
        if (a != e)
            return QStringLiteral("record %1 (of %2 actual, %3 expected)\n"
                                  "   actual: %4\n expected: %5")
                .arg(i)
                .arg(actual.size())
                .arg(expected.size())
                .arg(printable(a), printable(e));
    }
    return {};
}

// Parses input under every standard cut; empty when each log equals expected.
inline QString checkAllCuts(QByteArrayView input, const QByteArrayList &expected,
                            SseParser::Limits limits = {}, int maxChunk = 16)
{
    for (const Cut &cut : standardCuts(maxChunk)) {
        const QString difference = diff(parse(input, cut, limits), expected);
        if (!difference.isEmpty())
            return cut.describe() + QStringLiteral(": ") + difference;
    }
    return {};
}

inline SseParser::Limits smallLimits(qsizetype line = 64, qsizetype event = 64)
{
    SseParser::Limits limits;
    limits.maxLineBytes = line;
    limits.maxEventBytes = event;
    return limits;
}

} // namespace rcrt::ssetest

// QVERIFY2 needs a const char*; the QString temporary lives until the end of the statement.
#define SSE_CHECK(input, expected, ...)                                                          \
    do {                                                                                         \
        const QString sseDifference =                                                            \
            rcrt::ssetest::checkAllCuts(input, expected __VA_OPT__(, ) __VA_ARGS__);             \
        QVERIFY2(sseDifference.isEmpty(), qPrintable(sseDifference));                            \
    } while (false)
