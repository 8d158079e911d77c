#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>

namespace rcrt {

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

    explicit SseParser(Handlers handlers, Limits limits = {});

    void feed(QByteArrayView chunk);

    // Start of a new connection: forget partial lines, the pending event and the BOM state.
    // The last event id persists, as it does across EventSource reconnects.
    void resetForNewStream();

    QByteArray lastEventId() const;
    qint64 bytesFed() const;

private:
    // implementation-defined members
};

} // namespace rcrt
