#include "net/utf8sanitizer.h"

#include <cstring>

namespace rcrt::utf8 {

namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";
constexpr qsizetype kReplacementSize = 3;

// Decodes the sequence starting at a non-ASCII byte p[0], following the WHATWG decoder's
// per-lead bounds for the first continuation byte (E0: A0..BF, ED: 80..9F, F0: 90..BF,
// F4: 80..8F), which is what rules out overlongs, surrogates and values above U+10FFFF.
// Returns the length of the well-formed sequence (2..4), or minus the length of the maximal
// subpart (1..3) that a decoder consumes before emitting one U+FFFD.
int sequenceStep(const unsigned char *p, qsizetype available)
{
    const unsigned char lead = p[0];
    int needed = 0;
    unsigned char lower = 0x80;
    unsigned char upper = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        needed = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        needed = 2;
        if (lead == 0xE0)
            lower = 0xA0;
        else if (lead == 0xED)
            upper = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        needed = 3;
        if (lead == 0xF0)
            lower = 0x90;
        else if (lead == 0xF4)
            upper = 0x8F;
    } else {
        return -1; // stray continuation byte, C0/C1, F5..FF
    }
    int seen = 1;
    for (; seen <= needed; ++seen) {
        if (seen >= available)
            return -seen; // truncated: the whole started sequence is one maximal subpart
        const unsigned char c = p[seen];
        if (c < lower || c > upper)
            return -seen; // the offending byte is not consumed; it starts the next step
        lower = 0x80;
        upper = 0xBF;
    }
    return seen;
}

// Walks the input as runs of well-formed bytes separated by single replacements.
template<typename ValidRun, typename Replacement>
void walk(QByteArrayView bytes, ValidRun &&onValid, Replacement &&onReplacement)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const qsizetype good = i + validPrefixLength(bytes.sliced(i));
        if (good > i)
            onValid(bytes.sliced(i, good - i));
        if (good == n)
            return;
        onReplacement();
        i = good - sequenceStep(p + good, n - good);
    }
}

} // namespace

qsizetype validPrefixLength(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        // JSON payloads are mostly ASCII: test eight bytes per iteration for a set high bit.
        while (i + 8 <= n) {
            quint64 word;
            std::memcpy(&word, p + i, sizeof word);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        while (i < n && p[i] < 0x80)
            ++i;
        if (i == n)
            break;
        const int step = sequenceStep(p + i, n - i);
        if (step < 0)
            return i;
        i += step;
    }
    return n;
}

qsizetype sanitizedSize(QByteArrayView bytes)
{
    qsizetype size = 0;
    walk(
        bytes, [&size](QByteArrayView run) { size += run.size(); },
        [&size] { size += kReplacementSize; });
    return size;
}

void appendSanitized(QByteArray &out, QByteArrayView bytes)
{
    walk(
        bytes, [&out](QByteArrayView run) { out.append(run); },
        [&out] { out.append(kReplacement, kReplacementSize); });
}

} // namespace rcrt::utf8
