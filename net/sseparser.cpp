#include "net/sseparser.h"

#include "model/payloadarena.h"
#include "net/utf8sanitizer.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace rcrt {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr int kBomSize = 3;
// A line buffer that grew past this for one long line is released instead of kept for reuse.
constexpr qsizetype kKeptLineCapacity = 64 * 1024;

const char *findByte(const char *p, const char *end, char byte)
{
    const void *hit = std::memchr(p, byte, size_t(end - p));
    return hit ? static_cast<const char *>(hit) : end;
}

// Grows like QByteArray would (doubling) but never allocates past `limit`, so the memory bound
// holds for capacities and not only for sizes. Callers ensure needed <= limit.
void reserveBounded(QByteArray &buffer, qsizetype needed, qsizetype limit)
{
    if (needed > buffer.capacity())
        buffer.reserve(std::min(limit, std::max(needed, 2 * buffer.capacity())));
}

QString lineTooLong(qsizetype limit)
{
    return QStringLiteral("SSE line exceeds %1 bytes; event skipped").arg(limit);
}

} // namespace

SseParser::SseParser(Handlers handlers)
    : SseParser(std::move(handlers), Limits{})
{
}

SseParser::SseParser(Handlers handlers, Limits limits)
    : m_handlers(std::move(handlers))
    , m_limits(limits)
{
}

SseParser::~SseParser() = default;

void SseParser::setPooledData(bool pooled)
{
    if (pooled == bool(m_arena))
        return;
    m_data = QByteArray();
    m_arena = pooled ? std::make_unique<PayloadArena>() : nullptr;
}

void SseParser::feed(QByteArrayView chunk)
{
    m_bytesFed += chunk.size();
    const char *p = chunk.data();
    const char *const end = p + chunk.size();
    if (!m_bomDone)
        p = consumeBom(p, end);
    if (p < end)
        scan(p, end);
}

void SseParser::resetForNewStream()
{
    releaseLineBuffer();
    discardData();
    m_type = QByteArray();
    m_bomMatched = 0;
    m_bomDone = false;
    m_pendingCR = false;
    m_skipping = false;
    m_skipLineHasBytes = false;
}

QByteArray SseParser::lastEventId() const
{
    return m_lastEventId;
}

qint64 SseParser::bytesFed() const
{
    return m_bytesFed;
}

qsizetype SseParser::bufferedBytes() const
{
    return m_line.capacity() + m_data.capacity() + (m_arena ? m_arena->openSize() : 0) + m_type.capacity()
        + m_lastEventId.capacity();
}

// The BOM may arrive split over chunks, so matched bytes are held back until the third byte
// decides. If it is not a BOM, the held bytes are ordinary input (and probably invalid UTF-8).
const char *SseParser::consumeBom(const char *p, const char *end)
{
    while (p < end && m_bomMatched < kBomSize && *p == kBom[m_bomMatched]) {
        ++p;
        ++m_bomMatched;
    }
    if (m_bomMatched == kBomSize) {
        m_bomDone = true;
        return p;
    }
    if (p == end)
        return p; // undecided until more bytes come
    m_bomDone = true;
    if (m_bomMatched > 0)
        scan(kBom, kBom + m_bomMatched);
    return p;
}

void SseParser::scan(const char *p, const char *end)
{
    // Next LF and CR at or after p (end when none). Each is searched again only once p has
    // passed it, so a chunk of CR-only lines stays linear.
    const char *lf = findByte(p, end, '\n');
    const char *cr = findByte(p, end, '\r');
    while (p < end) {
        if (m_pendingCR) {
            m_pendingCR = false;
            if (*p == '\n') {
                ++p;
                continue;
            }
        }
        if (lf < p)
            lf = findByte(p, end, '\n');
        if (cr < p)
            cr = findByte(p, end, '\r');
        const char *eol = std::min(lf, cr);
        if (eol == end) {
            appendPartialLine(p, end);
            return;
        }
        completeLine(p, eol);
        m_pendingCR = *eol == '\r';
        p = eol + 1;
    }
}

void SseParser::appendPartialLine(const char *p, const char *end)
{
    if (m_skipping) {
        m_skipLineHasBytes = true;
        return;
    }
    const qsizetype size = end - p;
    if (m_line.size() + size > m_limits.maxLineBytes) {
        skipOverLimit(lineTooLong(m_limits.maxLineBytes));
        m_skipLineHasBytes = true;
        return;
    }
    reserveBounded(m_line, m_line.size() + size, m_limits.maxLineBytes);
    m_line.append(p, size);
}

void SseParser::completeLine(const char *p, const char *eol)
{
    if (m_skipping) {
        // Two line ends in a row: the event boundary where the stream is in step again.
        if (!m_skipLineHasBytes && p == eol)
            m_skipping = false;
        m_skipLineHasBytes = false;
        return;
    }
    const qsizetype size = eol - p;
    if (m_line.size() + size > m_limits.maxLineBytes) {
        skipOverLimit(lineTooLong(m_limits.maxLineBytes));
        return;
    }
    if (m_line.isEmpty()) {
        processLine(QByteArrayView(p, size)); // the usual case: no copy of the line
        return;
    }
    reserveBounded(m_line, m_line.size() + size, m_limits.maxLineBytes);
    m_line.append(p, size);
    processLine(m_line);
    if (m_line.capacity() > kKeptLineCapacity)
        releaseLineBuffer();
    else
        m_line.truncate(0);
}

// CR and LF never occur inside a multi-byte sequence and ':' and ' ' are ASCII, so splitting
// the raw bytes gives the same field and value as splitting decoded text; only stored values
// need decoding.
void SseParser::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        dispatch();
        return;
    }
    if (line.front() == ':')
        return; // comment
    const qsizetype colon = line.indexOf(':');
    if (colon < 0) {
        processField(line, {});
        return;
    }
    QByteArrayView value = line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    processField(line.first(colon), value);
}

void SseParser::processField(QByteArrayView field, QByteArrayView value)
{
    if (field == "data") {
        appendData(value);
    } else if (field == "event") {
        QByteArray type;
        if (sanitizeValue(value, type))
            m_type = std::move(type);
    } else if (field == "id") {
        if (value.contains('\0'))
            return; // WHATWG: an id containing U+0000 is ignored
        QByteArray id;
        if (sanitizeValue(value, id))
            m_lastEventId = std::move(id);
    } else if (field == "retry") {
        parseRetry(value);
    }
    // any other field is ignored
}

void SseParser::appendData(QByteArrayView value)
{
    const qsizetype valid = utf8::validPrefixLength(value);
    if (valid != value.size())
        ++m_invalidUtf8Values;
    const qsizetype decodedSize = valid == value.size() ? valid : utf8::sanitizedSize(value);
    // The trailing LF is removed at dispatch, so the data buffer may hold maxEventBytes + 1.
    if (dataSize() + decodedSize > m_limits.maxEventBytes) {
        skipOverLimit(QStringLiteral("SSE event data exceeds %1 bytes; event skipped")
                          .arg(m_limits.maxEventBytes));
        return;
    }
    if (m_arena) {
        // Straight from the read buffer into the payload's final place.
        char *out = m_arena->reserve(decodedSize + 1);
        if (valid == value.size())
            std::memcpy(out, value.data(), size_t(valid));
        else
            std::memcpy(out, utf8::sanitized(value).constData(), size_t(decodedSize));
        out[decodedSize] = '\n';
        m_arena->commit(decodedSize + 1);
        return;
    }
    reserveBounded(m_data, m_data.size() + decodedSize + 1, m_limits.maxEventBytes + 1);
    if (valid == value.size())
        m_data.append(value);
    else
        utf8::appendSanitized(m_data, value);
    m_data.append('\n');
}

bool SseParser::sanitizeValue(QByteArrayView value, QByteArray &out)
{
    if (utf8::isValid(value)) {
        out = value.toByteArray();
        return true;
    }
    ++m_invalidUtf8Values;
    // Replacements can triple the size; keep even that within the line bound.
    if (utf8::sanitizedSize(value) > m_limits.maxLineBytes) {
        skipOverLimit(lineTooLong(m_limits.maxLineBytes));
        return false;
    }
    utf8::appendSanitized(out, value);
    return true;
}

void SseParser::parseRetry(QByteArrayView value)
{
    if (value.isEmpty())
        return;
    qint64 retry = 0;
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    for (const char c : value) {
        if (c < '0' || c > '9')
            return;
        const int digit = c - '0';
        if (retry > (max - digit) / 10)
            return; // does not fit: ignored like any other unusable value
        retry = retry * 10 + digit;
    }
    if (m_handlers.retry)
        m_handlers.retry(retry);
}

qsizetype SseParser::dataSize() const
{
    return m_arena ? m_arena->openSize() : m_data.size();
}

void SseParser::discardData()
{
    m_data = QByteArray();
    if (m_arena)
        m_arena->discard();
}

void SseParser::dispatch()
{
    if (dataSize() == 0) {
        m_type = QByteArray();
        return;
    }
    SseEvent event;
    if (m_arena) {
        m_arena->chop(1); // the LF after the last data line
        event.data = m_arena->take();
    } else {
        m_data.chop(1);
        event.data = std::exchange(m_data, {});
    }
    event.type = m_type.isEmpty() ? QByteArrayLiteral("message") : std::exchange(m_type, {});
    event.lastEventId = m_lastEventId;
    if (m_handlers.event)
        m_handlers.event(std::move(event));
}

// Drops the partial line and the pending event and ignores input up to the next empty line,
// which keeps memory bounded and the stream in step with the server's event framing. Callers
// return right after: a view into m_line they may hold is dangling now.
void SseParser::skipOverLimit(const QString &message)
{
    m_skipping = true;
    m_skipLineHasBytes = false;
    releaseLineBuffer();
    discardData();
    m_type = QByteArray();
    if (m_handlers.error)
        m_handlers.error(message);
}

void SseParser::releaseLineBuffer()
{
    m_line = QByteArray();
}

} // namespace rcrt
