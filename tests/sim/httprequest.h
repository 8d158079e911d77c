#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

#include <optional>

namespace rcrt::sim {

// One parsed HTTP/1.1 request. Header names are lower-cased; the raw query is kept because
// the token lookup scans it exactly as the real server does (rcrt-protocol.md §2.1).
struct HttpRequest
{
    QByteArray method;
    QByteArray target;   // as sent: path?query
    QByteArray path;     // percent-decoded
    QByteArray rawQuery; // without '?'
    QList<QPair<QByteArray, QByteArray>> query; // decoded key/value pairs, in order
    int minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool keepAlive = true;

    std::optional<QByteArray> header(QByteArrayView lowerName) const;
    int headerCount(QByteArrayView lowerName) const;
};

// application/x-www-form-urlencoded decoding; plusAsSpace false for the token lookup.
QByteArray percentDecode(QByteArrayView text, bool plusAsSpace);
QList<QPair<QByteArray, QByteArray>> parseQuery(QByteArrayView rawQuery);

// Incremental request parser: feed bytes, take requests one at a time (pipelining works).
class HttpRequestParser
{
public:
    enum class State { NeedMore, Ready, Error };

    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 2 * 1024 * 1024; // axum's DefaultBodyLimit

    void feed(const QByteArray &bytes) { m_buffer.append(bytes); }
    // Tries to parse the next request from the buffered bytes.
    State next(HttpRequest &request);

    // After Error: the status and text to answer with, and how many body bytes to discard
    // before closing (so the client reads the answer instead of a reset).
    int errorStatus() const { return m_errorStatus; }
    QByteArray errorText() const { return m_errorText; }
    qint64 bytesToDiscard() const { return m_discard; }
    QByteArray takeBuffer() { return std::exchange(m_buffer, {}); }
    // True once per request that sent `Expect: 100-continue` and still waits for its body
    // (curl does so for bodies over 1 MiB and would otherwise stall a second).
    bool takeContinueNeeded() { return std::exchange(m_continueNeeded, false); }

private:
    State fail(int status, const char *text, qint64 discard = 0);

    QByteArray m_buffer;
    int m_errorStatus = 0;
    QByteArray m_errorText;
    qint64 m_discard = 0;
    bool m_continueSent = false;
    bool m_continueNeeded = false;
};

} // namespace rcrt::sim
