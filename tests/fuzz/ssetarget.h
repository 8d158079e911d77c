#pragma once

// Fuzz target 1: the SSE parser. Shared by fuzz_sse.cpp (libFuzzer) and
// tests/unit/tst_fuzz_regressions.cpp (replays kept inputs in every build).
//
// Input: byte 0 and 1 choose small Limits (so the over-long paths are reached by short inputs),
// byte 2 seeds the chunking, the rest is the stream. The stream is parsed whole and again in
// chunks; both must give the same events, retries and error count (the parser promises any
// chunking gives the same result), every field must be valid UTF-8 and within its limit, and
// the buffers must stay bounded by the limits however the input is cut.

#include "net/sseparser.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringDecoder>

#include <algorithm>

namespace rcrt::fuzz {

struct SseOutcome
{
    QList<SseEvent> events;
    QList<qint64> retries;
    int errors = 0;
    QString problem; // an invariant that broke while feeding
};

inline bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(bytes);
    return !decoder.hasError();
}

// chunkSeed == 0: one feed() with everything.
inline SseOutcome parseSse(QByteArrayView stream, SseParser::Limits limits, quint8 chunkSeed)
{
    SseOutcome out;
    SseParser parser({[&](SseEvent &&e) { out.events.append(std::move(e)); },
                      [&](qint64 ms) { out.retries.append(ms); },
                      [&](const QString &) { ++out.errors; }},
                     limits);
    // Type and id values may be sanitised copies up to twice a line; data holds one event + LF.
    const qsizetype bound = 5 * limits.maxLineBytes + limits.maxEventBytes + 128;
    quint32 state = chunkSeed;
    qsizetype pos = 0;
    while (pos < stream.size()) {
        qsizetype n = stream.size() - pos;
        if (chunkSeed != 0) {
            state = state * 1103515245u + 12345u; // small LCG: cuts vary but are reproducible
            n = std::min<qsizetype>(n, 1 + qsizetype((state >> 16) % 23));
        }
        parser.feed(stream.sliced(pos, n));
        pos += n;
        if (parser.bufferedBytes() > bound && out.problem.isEmpty())
            out.problem = QStringLiteral("buffered %1 bytes, bound %2")
                              .arg(parser.bufferedBytes())
                              .arg(bound);
    }
    if (parser.bytesFed() != stream.size() && out.problem.isEmpty())
        out.problem = QStringLiteral("bytesFed %1 != %2").arg(parser.bytesFed()).arg(stream.size());
    return out;
}

inline QString checkSseEvents(const QList<SseEvent> &events, SseParser::Limits limits)
{
    for (const SseEvent &e : events) {
        if (!isValidUtf8(e.type) || !isValidUtf8(e.data) || !isValidUtf8(e.lastEventId))
            return QStringLiteral("an event field is not valid UTF-8");
        if (e.data.size() > limits.maxEventBytes)
            return QStringLiteral("data of %1 bytes over the %2 limit")
                .arg(e.data.size())
                .arg(limits.maxEventBytes);
        if (e.type.isEmpty() || e.type.contains('\n') || e.type.contains('\r')
            || e.lastEventId.contains('\n') || e.lastEventId.contains('\r')
            || e.lastEventId.contains('\0'))
            return QStringLiteral("event type or id holds a line end or NUL");
    }
    return {};
}

inline QString runSseParser(QByteArrayView input)
{
    if (input.size() < 3)
        return {};
    const auto byte = [&](int i) { return quint8(input[i]); };
    SseParser::Limits limits;
    limits.maxLineBytes = 8 + byte(0);
    limits.maxEventBytes = 8 + 2 * byte(1);
    const quint8 chunkSeed = byte(2) | 1; // never 0: 0 means "whole"
    const QByteArrayView stream = input.sliced(3);

    const SseOutcome whole = parseSse(stream, limits, 0);
    const SseOutcome chunked = parseSse(stream, limits, chunkSeed);
    if (!whole.problem.isEmpty())
        return whole.problem;
    if (!chunked.problem.isEmpty())
        return chunked.problem;
    if (const QString p = checkSseEvents(whole.events, limits); !p.isEmpty())
        return p;
    if (whole.events.size() != chunked.events.size())
        return QStringLiteral("%1 events whole, %2 chunked")
            .arg(whole.events.size())
            .arg(chunked.events.size());
    for (qsizetype i = 0; i < whole.events.size(); ++i) {
        const SseEvent &a = whole.events[i];
        const SseEvent &b = chunked.events[i];
        if (a.type != b.type || a.data != b.data || a.lastEventId != b.lastEventId)
            return QStringLiteral("event %1 differs between whole and chunked input").arg(i);
    }
    if (whole.retries != chunked.retries)
        return QStringLiteral("retry values differ between whole and chunked input");
    if (whole.errors != chunked.errors)
        return QStringLiteral("%1 errors whole, %2 chunked").arg(whole.errors).arg(chunked.errors);
    return {};
}

} // namespace rcrt::fuzz
