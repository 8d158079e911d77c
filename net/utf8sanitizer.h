#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace rcrt::utf8 {

// Byte-level UTF-8 helpers that give exactly what the WHATWG "UTF-8 decode" algorithm gives
// (well-formed = no overlongs, no surrogates, nothing above U+10FFFF), without a round trip
// through UTF-16. Each maximal subpart of an ill-formed sequence becomes one U+FFFD (EF BF BD),
// the "substitution of maximal subparts" practice that the Encoding Standard mandates.

// Index of the first byte that starts an ill-formed (or truncated) sequence, bytes.size() when
// the whole input is well-formed. ASCII runs are skipped a machine word at a time.
qsizetype validPrefixLength(QByteArrayView bytes);

inline bool isValid(QByteArrayView bytes)
{
    return validPrefixLength(bytes) == bytes.size();
}

// Size of the output appendSanitized() would produce, without producing it.
qsizetype sanitizedSize(QByteArrayView bytes);

// Appends bytes to out with every maximal subpart of an ill-formed sequence replaced by U+FFFD.
void appendSanitized(QByteArray &out, QByteArrayView bytes);

inline QByteArray sanitized(QByteArrayView bytes)
{
    QByteArray out;
    appendSanitized(out, bytes);
    return out;
}

} // namespace rcrt::utf8
