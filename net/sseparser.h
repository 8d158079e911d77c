#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <memory>

namespace rcrt {

class PayloadArena;

// One dispatched server-sent event. All fields are valid UTF-8 (invalid input bytes were
// replaced by U+FFFD, as the WHATWG decoder does), kept as bytes so the JSON in `data` goes to
// the decoder without a UTF-16 round trip.
struct SseEvent
{
    QByteArray type; // the `event` field, "message" when none was given
    QByteArray data; // `data` lines joined with '\n'
    QByteArray lastEventId; // the last event id buffer at dispatch, "" when none
};

// Incremental parser for the WHATWG event-stream format. Feed it bytes in any chunking; the same
// bytes always give the same events. Memory is bounded by Limits: a line or an event that grows
// past its limit is reported once through `error` and skipped up to the next event boundary.
class SseParser
{
public:
    struct Limits
    {
        qsizetype maxLineBytes = 16 * 1024 * 1024;
        qsizetype maxEventBytes = 16 * 1024 * 1024;
    };
    struct Handlers
    {
        std::function<void(SseEvent &&)> event;
        std::function<void(qint64 retryMs)> retry;
        std::function<void(const QString &message)> error;
    };

    // Two constructors instead of `Limits limits = {}`: GCC rejects a default argument built from
    // a nested struct's default member initialisers inside the enclosing class.
    explicit SseParser(Handlers handlers);
    SseParser(Handlers handlers, Limits limits);
    ~SseParser();
    Q_DISABLE_COPY_MOVE(SseParser)

    // Event data carved out of shared multi-megabyte blocks (PayloadArena) instead of one
    // allocation each: for a reader whose events are mostly kept, in order (a store).
    void setPooledData(bool pooled);

    void feed(QByteArrayView chunk);

    // Start of a new connection: forget partial lines, the pending event and the BOM state.
    // The last event id persists, as it does across EventSource reconnects.
    void resetForNewStream();

    QByteArray lastEventId() const;
    qint64 bytesFed() const;

    // Bytes currently allocated for the partial line and the pending event (capacities, so a
    // test can check that memory stays within Limits however the input is cut).
    qsizetype bufferedBytes() const;
    // Field values that held ill-formed UTF-8 (replaced by U+FFFD) since construction, so a
    // client can tell the operator the server sends broken text.
    qint64 invalidUtf8Values() const { return m_invalidUtf8Values; }

private:
    // Handlers are called from inside feed(); they must not call feed() or
    // resetForNewStream() on the same parser.
    const char *consumeBom(const char *p, const char *end);
    void scan(const char *p, const char *end);
    void appendPartialLine(const char *p, const char *end);
    void completeLine(const char *p, const char *eol);
    void processLine(QByteArrayView line);
    void processField(QByteArrayView field, QByteArrayView value);
    void appendData(QByteArrayView value);
    void parseRetry(QByteArrayView value);
    // Sanitised copy of a field value, or nothing (after reporting) when it outgrows a line.
    bool sanitizeValue(QByteArrayView value, QByteArray &out);
    void dispatch();
    qsizetype dataSize() const; // bytes in the data buffer
    void discardData();
    void skipOverLimit(const QString &message);
    void releaseLineBuffer();

    Handlers m_handlers;
    Limits m_limits;
    QByteArray m_line; // bytes of a line whose end has not arrived yet (raw, not yet decoded)
    QByteArray m_data; // the WHATWG data buffer (decoded, each data line followed by LF)
    std::unique_ptr<PayloadArena> m_arena; // holds the data buffer instead when pooled
    QByteArray m_type; // the event type buffer
    QByteArray m_lastEventId; // the last event ID buffer; survives resetForNewStream()
    qint64 m_bytesFed = 0;
    qint64 m_invalidUtf8Values = 0;
    int m_bomMatched = 0; // leading bytes matched against EF BB BF so far
    bool m_bomDone = false; // the BOM decision for this stream has been taken
    bool m_pendingCR = false; // the last line ended with CR: a following LF belongs to it
    bool m_skipping = false; // after an over-limit report, until the next empty line
    bool m_skipLineHasBytes = false; // while skipping: the current line is not empty
};

} // namespace rcrt
