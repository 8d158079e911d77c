#include "net/httpresponseparser.h"

#include <QLocale>

#include <utility>

namespace rcrt {

namespace {

// A chunk-size line is a hex number and maybe extensions; nothing legitimate comes near this.
constexpr qsizetype kMaxChunkSizeLine = 4096;
// Preallocate at most this much on the word of a Content-Length.
constexpr qint64 kMaxReserve = 1 << 20;

bool equalsNoCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A non-negative decimal without sign or spaces; -1 when malformed or past 2^62.
qint64 parseLength(QByteArrayView v)
{
    if (v.isEmpty() || v.size() > 18)
        return -1;
    qint64 n = 0;
    for (const char c : v) {
        if (!isDigit(c))
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 0, QLocale::DataSizeIecFormat);
}

} // namespace

QString printableBytes(QByteArrayView bytes, qsizetype max)
{
    QString out;
    for (const char c : bytes.first(std::min(bytes.size(), max))) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += QStringLiteral("\\x%1").arg(u, 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > max)
        out += QStringLiteral("…");
    return out;
}

void HttpResponseParser::reset(bool headRequest)
{
    const HttpLimits limits = m_limits;
    *this = HttpResponseParser(limits);
    m_head = headRequest;
}

HttpResponseParser::State HttpResponseParser::state() const
{
    switch (m_phase) {
    case Phase::Done:
        return State::Done;
    case Phase::Failed:
        return State::Error;
    default:
        return State::NeedMore;
    }
}

void HttpResponseParser::fail(const QString &message)
{
    m_phase = Phase::Failed;
    m_keepAlive = false;
    m_error = message;
}

bool HttpResponseParser::takeLine(QByteArrayView &in, qsizetype maxLine, QByteArrayView *line)
{
    const qsizetype newline = in.indexOf('\n');
    const qsizetype piece = newline < 0 ? in.size() : newline + 1;
    if (m_partial.size() + piece > maxLine) {
        fail(m_phase == Phase::ChunkSize
                 ? QStringLiteral("malformed chunked answer: a chunk-size line longer than %1")
                       .arg(sizeText(maxLine))
                 : QStringLiteral("HTTP answer headers larger than %1")
                       .arg(sizeText(m_limits.maxHeaderBytes)));
        return false;
    }
    if (newline < 0) {
        m_partial += in;
        in = {};
        return false;
    }
    QByteArrayView whole = in.first(piece);
    in = in.sliced(piece);
    if (!m_partial.isEmpty()) {
        m_partial += whole;
        whole = m_partial;
    }
    whole.chop(1); // '\n'; a bare LF ends a line too (RFC 9112 §2.2)
    if (whole.endsWith('\r'))
        whole.chop(1);
    *line = whole;
    return true;
}

qsizetype HttpResponseParser::feed(QByteArrayView bytes)
{
    QByteArrayView in = bytes;
    if (!in.isEmpty())
        m_started = true;
    while (!in.isEmpty() && m_phase != Phase::Done && m_phase != Phase::Failed) {
        switch (m_phase) {
        case Phase::FixedBody:
        case Phase::ChunkData: {
            const qsizetype n = qsizetype(std::min<qint64>(in.size(), m_remaining));
            appendBody(in.first(n));
            in = in.sliced(n);
            m_remaining -= n;
            if (m_remaining == 0 && m_phase == Phase::FixedBody)
                m_phase = Phase::Done;
            else if (m_remaining == 0 && m_phase == Phase::ChunkData)
                m_phase = Phase::ChunkDataEnd;
            break;
        }
        case Phase::UntilClose:
            appendBody(in);
            in = {};
            break;
        default: {
            const bool chunkLine = m_phase == Phase::ChunkSize || m_phase == Phase::ChunkDataEnd;
            const qsizetype maxLine
                = chunkLine ? kMaxChunkSizeLine : m_limits.maxHeaderBytes - m_headerBytes;
            QByteArrayView line;
            if (!takeLine(in, maxLine, &line))
                break;
            if (!chunkLine)
                m_headerBytes += line.size() + 2;
            onLine(line);
            m_partial.clear();
            break;
        }
        }
    }
    return bytes.size() - in.size();
}

void HttpResponseParser::onLine(QByteArrayView line)
{
    switch (m_phase) {
    case Phase::StatusLine:
        onStatusLine(line);
        break;
    case Phase::Headers:
        if (line.isEmpty())
            onHeadersEnd();
        else
            onHeaderLine(line);
        break;
    case Phase::ChunkSize:
        onChunkSize(line);
        break;
    case Phase::ChunkDataEnd:
        if (!line.isEmpty())
            fail(QStringLiteral("malformed chunked answer: chunk data longer than its size"));
        else
            m_phase = Phase::ChunkSize;
        break;
    case Phase::Trailers: // trailer fields are read and dropped
        if (line.isEmpty())
            m_phase = Phase::Done;
        break;
    default:
        break;
    }
}

void HttpResponseParser::onStatusLine(QByteArrayView line)
{
    // "HTTP/1.1 200 OK": version, space, three digits, then a space and a reason (maybe empty).
    const bool ok = line.size() >= 12 && line.startsWith("HTTP/1.")
                    && (line[7] == '0' || line[7] == '1') && line[8] == ' ' && isDigit(line[9])
                    && isDigit(line[10]) && isDigit(line[11])
                    && (line.size() == 12 || line[12] == ' ');
    if (!ok) {
        fail(QStringLiteral("malformed HTTP answer: status line \"%1\"").arg(printableBytes(line)));
        return;
    }
    m_http10 = line[7] == '0';
    m_status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (m_status < 100) {
        fail(QStringLiteral("malformed HTTP answer: status %1").arg(m_status));
        return;
    }
    m_phase = Phase::Headers;
}

void HttpResponseParser::onHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t') {
        fail(QStringLiteral("malformed HTTP answer: folded header line \"%1\"")
                 .arg(printableBytes(line)));
        return;
    }
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView name = colon > 0 ? line.first(colon) : QByteArrayView();
    if (name.isEmpty() || name.contains(' ') || name.contains('\t')) {
        fail(QStringLiteral("malformed HTTP answer: header line \"%1\"").arg(printableBytes(line)));
        return;
    }
    const QByteArrayView value = trimmed(line.sliced(colon + 1));
    if (equalsNoCase(name, "content-length")) {
        const qint64 length = parseLength(value);
        if (length < 0 || (m_contentLength >= 0 && length != m_contentLength)) {
            fail(QStringLiteral("malformed HTTP answer: Content-Length \"%1\"")
                     .arg(printableBytes(value)));
            return;
        }
        m_contentLength = length;
    } else if (equalsNoCase(name, "transfer-encoding")) {
        if (!equalsNoCase(value, "chunked")) {
            fail(QStringLiteral("unsupported Transfer-Encoding \"%1\" in the HTTP answer")
                     .arg(printableBytes(value)));
            return;
        }
        m_chunked = true;
    } else if (equalsNoCase(name, "content-encoding")) {
        if (!value.isEmpty() && !equalsNoCase(value, "identity")) {
            fail(QStringLiteral(
                     "the HTTP answer is %1-encoded although the request asked for identity")
                     .arg(printableBytes(value)));
            return;
        }
    } else if (equalsNoCase(name, "connection")) {
        for (const QByteArrayView token : value.toByteArray().split(',')) {
            m_closeToken = m_closeToken || equalsNoCase(trimmed(token), "close");
            m_keepAliveToken = m_keepAliveToken || equalsNoCase(trimmed(token), "keep-alive");
        }
    } else if (equalsNoCase(name, "location")) {
        m_location = value.toByteArray();
    }
}

void HttpResponseParser::onHeadersEnd()
{
    if (m_status >= 100 && m_status < 200) {
        if (m_status == 101) {
            fail(QStringLiteral("unexpected HTTP answer: 101 Switching Protocols"));
            return;
        }
        // An interim answer (100 Continue, 103 Early Hints): the real one follows. Its bytes
        // still count, so endless interim answers hit the header limit.
        const qsizetype headerBytes = m_headerBytes;
        reset(m_head);
        m_headerBytes = headerBytes;
        m_started = true;
        return;
    }
    m_keepAlive = m_http10 ? (m_keepAliveToken && !m_closeToken) : !m_closeToken;
    if (m_head || m_status == 204 || m_status == 304) {
        m_phase = Phase::Done;
        return;
    }
    if (m_chunked) {
        // Both framings: chunked wins, and the connection cannot be trusted afterwards.
        if (m_contentLength >= 0)
            m_keepAlive = false;
        m_phase = Phase::ChunkSize;
        return;
    }
    if (m_contentLength >= 0) {
        if (m_contentLength > m_limits.maxBodyBytes) {
            fail(QStringLiteral("HTTP answer body of %1 bytes is larger than the %2 limit")
                     .arg(m_contentLength)
                     .arg(sizeText(m_limits.maxBodyBytes)));
            return;
        }
        m_body.reserve(qsizetype(std::min(m_contentLength, kMaxReserve)));
        m_remaining = m_contentLength;
        m_phase = m_contentLength == 0 ? Phase::Done : Phase::FixedBody;
        return;
    }
    // No framing: the body ends when the server closes the connection.
    m_keepAlive = false;
    m_phase = Phase::UntilClose;
}

void HttpResponseParser::onChunkSize(QByteArrayView line)
{
    const qsizetype semicolon = line.indexOf(';');
    const QByteArrayView hex = trimmed(semicolon < 0 ? line : line.first(semicolon));
    qint64 size = 0;
    bool ok = !hex.isEmpty() && hex.size() <= 15; // 15 hex digits stay below 2^60
    for (qsizetype i = 0; ok && i < hex.size(); ++i) {
        const char c = hex[i];
        int digit = -1;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        ok = digit >= 0;
        size = size * 16 + digit;
    }
    if (!ok) {
        fail(QStringLiteral("malformed chunked answer: chunk size \"%1\"")
                 .arg(printableBytes(line)));
        return;
    }
    if (size == 0) {
        m_phase = Phase::Trailers;
        return;
    }
    if (m_body.size() + size > m_limits.maxBodyBytes) {
        fail(QStringLiteral("HTTP answer body larger than the %1 limit")
                 .arg(sizeText(m_limits.maxBodyBytes)));
        return;
    }
    m_remaining = size;
    m_phase = Phase::ChunkData;
}

void HttpResponseParser::appendBody(QByteArrayView bytes)
{
    if (m_body.size() + bytes.size() > m_limits.maxBodyBytes) {
        fail(QStringLiteral("HTTP answer body larger than the %1 limit")
                 .arg(sizeText(m_limits.maxBodyBytes)));
        return;
    }
    m_body += bytes;
}

void HttpResponseParser::closed()
{
    if (m_phase == Phase::UntilClose) {
        m_phase = Phase::Done;
        return;
    }
    if (m_phase == Phase::Done || m_phase == Phase::Failed)
        return;
    fail(m_started ? QStringLiteral("the server closed the connection in the middle of its answer")
                   : QStringLiteral("the server closed the connection before answering"));
}

} // namespace rcrt
