#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <utility>

namespace rcrt {

// How much of one HTTP answer may sit in memory: a broken or hostile server must not grow our
// buffers without bound (an endless header line, a 10 GB Content-Length, endless chunks).
struct HttpLimits
{
    qsizetype maxHeaderBytes = 64 * 1024; // status line + header lines (and chunked trailers)
    qint64 maxBodyBytes = qint64(256) << 20; // the body after any chunked framing
};

// Incremental parser of one HTTP/1.x answer (RFC 9112): status line, headers, then a body framed
// by Content-Length, by chunked transfer coding, or by the server closing the connection. 1xx
// interim answers are skipped. Bytes arrive in any split; feed() stops at the end of the answer
// and says how much it used, so bytes beyond it are visible to the caller (a server must not
// send any). Content codings are refused: requests ask for identity.
class HttpResponseParser
{
public:
    enum class State { NeedMore, Done, Error };

    explicit HttpResponseParser(HttpLimits limits = {})
        : m_limits(limits)
    {
    }

    // Before each answer; a HEAD answer has no body whatever its headers say.
    void reset(bool headRequest = false);
    void setLimits(const HttpLimits &limits) { m_limits = limits; }

    // Returns how many bytes of `bytes` belong to this answer (all of them unless it ended).
    qsizetype feed(QByteArrayView bytes);
    // The server closed the connection: that ends a body framed by the close, else it is an error.
    void closed();

    State state() const;
    bool started() const { return m_started; } // any byte of the answer arrived
    int status() const { return m_status; }
    const QByteArray &body() const { return m_body; }
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    const QByteArray &location() const { return m_location; } // Location header, raw
    // Whether the connection may carry another request after this answer.
    bool keepAlive() const { return m_keepAlive; }
    QString error() const { return m_error; }

private:
    enum class Phase {
        StatusLine,
        Headers,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Done,
        Failed
    };

    // Takes one line (without its CR LF) from `in`, joining it with the part kept from earlier
    // feeds. False when the line is not complete yet (or too long: then the parser failed).
    bool takeLine(QByteArrayView &in, qsizetype maxLine, QByteArrayView *line);
    void onLine(QByteArrayView line);
    void onStatusLine(QByteArrayView line);
    void onHeaderLine(QByteArrayView line);
    void onHeadersEnd();
    void onChunkSize(QByteArrayView line);
    void appendBody(QByteArrayView bytes);
    void fail(const QString &message);

    HttpLimits m_limits;
    Phase m_phase = Phase::StatusLine;
    bool m_head = false;
    bool m_started = false;
    QByteArray m_partial; // an incomplete line from earlier feeds
    qsizetype m_headerBytes = 0;
    int m_status = 0;
    bool m_http10 = false;
    bool m_closeToken = false;
    bool m_keepAliveToken = false;
    bool m_chunked = false;
    qint64 m_contentLength = -1;
    qint64 m_remaining = 0; // of the fixed body or the current chunk
    bool m_keepAlive = false;
    QByteArray m_location;
    QByteArray m_body;
    QString m_error;
};

// Printable form of raw protocol bytes for an error message: at most `max` bytes, control and
// non-ASCII bytes as \xNN.
QString printableBytes(QByteArrayView bytes, qsizetype max = 80);

} // namespace rcrt
