#include "httprequest.h"

namespace rcrt::sim {
namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::optional<QByteArray> HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return std::nullopt;
}

int HttpRequest::headerCount(QByteArrayView lowerName) const
{
    int count = 0;
    for (const auto &h : headers)
        count += h.first == lowerName ? 1 : 0;
    return count;
}

QByteArray percentDecode(QByteArrayView text, bool plusAsSpace)
{
    QByteArray out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0
            && hexValue(text[i + 2]) >= 0) {
            out.append(char(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
            i += 2;
        } else if (c == '+' && plusAsSpace) {
            out.append(' ');
        } else {
            out.append(c);
        }
    }
    return out;
}

QList<QPair<QByteArray, QByteArray>> parseQuery(QByteArrayView rawQuery)
{
    QList<QPair<QByteArray, QByteArray>> pairs;
    qsizetype start = 0;
    while (start <= rawQuery.size()) {
        qsizetype end = rawQuery.indexOf('&', start);
        if (end < 0)
            end = rawQuery.size();
        const QByteArrayView part = rawQuery.sliced(start, end - start);
        if (!part.isEmpty()) {
            const qsizetype eq = part.indexOf('=');
            if (eq < 0)
                pairs.append({percentDecode(part, true), QByteArray()});
            else
                pairs.append({percentDecode(part.first(eq), true),
                              percentDecode(part.sliced(eq + 1), true)});
        }
        start = end + 1;
    }
    return pairs;
}

HttpRequestParser::State HttpRequestParser::fail(int status, const char *text, qint64 discard)
{
    m_errorStatus = status;
    m_errorText = text;
    m_discard = discard;
    return State::Error;
}

HttpRequestParser::State HttpRequestParser::next(HttpRequest &request)
{
    // Tolerate stray CRLFs between pipelined requests (RFC 9112 §2.2).
    qsizetype skip = 0;
    while (skip + 1 < m_buffer.size() && m_buffer[skip] == '\r' && m_buffer[skip + 1] == '\n')
        skip += 2;
    if (skip)
        m_buffer.remove(0, skip);

    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (m_buffer.size() > kMaxHeaderBytes)
            return fail(431, "request header fields too large");
        return State::NeedMore;
    }

    request = HttpRequest();
    const QByteArrayView head(m_buffer.constData(), headerEnd);
    qsizetype lineEnd = head.indexOf("\r\n");
    if (lineEnd < 0)
        lineEnd = head.size();
    const QByteArrayView requestLine = head.first(lineEnd);
    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = requestLine.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1)
        return fail(400, "invalid HTTP request line");
    request.method = requestLine.first(sp1).toByteArray();
    request.target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1).toByteArray();
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (version == "HTTP/1.1")
        request.minorVersion = 1;
    else if (version == "HTTP/1.0")
        request.minorVersion = 0;
    else
        return fail(505, "HTTP version not supported");

    qsizetype pos = lineEnd + 2;
    while (pos < head.size()) {
        qsizetype end = head.indexOf("\r\n", pos);
        if (end < 0)
            end = head.size();
        const QByteArrayView line = head.sliced(pos, end - pos);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, "invalid HTTP header");
        request.headers.append({line.first(colon).toByteArray().toLower(),
                                line.sliced(colon + 1).toByteArray().trimmed()});
        pos = end + 2;
    }

    const qsizetype q = request.target.indexOf('?');
    const QByteArray rawPath = q < 0 ? request.target : request.target.left(q);
    request.rawQuery = q < 0 ? QByteArray() : request.target.mid(q + 1);
    request.path = percentDecode(rawPath, false);
    request.query = parseQuery(request.rawQuery);

    const QByteArray connection = request.header("connection").value_or(QByteArray()).toLower();
    request.keepAlive = request.minorVersion == 1 ? !connection.contains("close")
                                                   : connection.contains("keep-alive");

    if (request.header("transfer-encoding").has_value())
        return fail(501, "chunked request bodies are not supported by rcrt-sim");
    qint64 length = 0;
    if (const auto cl = request.header("content-length")) {
        bool ok = false;
        length = cl->toLongLong(&ok);
        if (!ok || length < 0)
            return fail(400, "invalid content-length header");
    }
    if (length > kMaxBodyBytes) {
        m_buffer.remove(0, headerEnd + 4);
        return fail(413, "Failed to buffer the request body: length limit exceeded", length);
    }
    if (m_buffer.size() < headerEnd + 4 + length) {
        if (!m_continueSent && request.header("expect").value_or(QByteArray()).toLower() == "100-continue") {
            m_continueSent = true;
            m_continueNeeded = true;
        }
        return State::NeedMore;
    }
    m_continueSent = false;
    request.body = m_buffer.mid(headerEnd + 4, length);
    m_buffer.remove(0, headerEnd + 4 + length);
    return State::Ready;
}

} // namespace rcrt::sim
