#include "model/jsonspan.h"

#include <cstring>

namespace rcrt::json {

namespace {

inline bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline size_t skipSpace(std::string_view text, size_t i)
{
    while (i < text.size() && isSpace(text[i]))
        ++i;
    return i;
}

// `i` is at the opening quote; returns the index after the closing quote. memchr keeps long
// strings (most of a context's bytes) fast.
size_t skipString(std::string_view text, size_t i)
{
    const char *data = text.data();
    const size_t n = text.size();
    ++i;
    while (i < n) {
        const void *hit = std::memchr(data + i, '"', n - i);
        if (!hit)
            return n;
        const size_t q = size_t(static_cast<const char *>(hit) - data);
        size_t backslashes = 0;
        while (q - backslashes > i && data[q - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return q + 1;
        i = q + 1;
    }
    return n;
}

} // namespace

size_t skipValue(std::string_view text, size_t i)
{
    const size_t n = text.size();
    if (i >= n)
        return n;
    const char first = text[i];
    if (first == '"')
        return skipString(text, i);
    if (first != '{' && first != '[') {
        while (i < n && text[i] != ',' && text[i] != '}' && text[i] != ']' && !isSpace(text[i]))
            ++i;
        return i;
    }
    int depth = 0;
    while (i < n) {
        const char c = text[i];
        if (c == '"') {
            i = skipString(text, i);
            continue;
        }
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
        ++i;
    }
    return n;
}

std::optional<Span> topLevelValueSpan(std::string_view text, std::string_view key)
{
    size_t i = skipSpace(text, 0);
    if (i >= text.size() || text[i] != '{')
        return std::nullopt;
    ++i;
    while (true) {
        i = skipSpace(text, i);
        if (i >= text.size() || text[i] != '"')
            return std::nullopt; // `}` of an empty object, or not valid JSON after all
        const size_t keyStart = i + 1;
        i = skipString(text, i);
        const std::string_view found = text.substr(keyStart, i - 1 - keyStart);
        i = skipSpace(text, i);
        if (i >= text.size() || text[i] != ':')
            return std::nullopt;
        i = skipSpace(text, i + 1);
        const size_t valueStart = i;
        i = skipValue(text, i);
        if (found == key)
            return Span{valueStart, i - valueStart};
        i = skipSpace(text, i);
        if (i >= text.size() || text[i] != ',')
            return std::nullopt;
        ++i;
    }
}

std::optional<Span> topLevelValueSpan(std::string_view text, const quint32 *structurals,
                                      size_t count, std::string_view key)
{
    const size_t n = text.size();
    auto at = [&](size_t k) -> char { return structurals[k] < n ? text[structurals[k]] : '\0'; };
    if (count < 2 || at(0) != '{')
        return std::nullopt;
    size_t k = 1;
    while (k + 2 < count && at(k) == '"' && at(k + 1) == ':') {
        const size_t keyPos = structurals[k];
        const bool match = keyPos + key.size() + 2 <= n && text.compare(keyPos + 1, key.size(), key) == 0
            && text[keyPos + 1 + key.size()] == '"';
        k += 2;
        const size_t start = structurals[k];
        size_t end = 0;
        const char first = at(k);
        if (first == '{' || first == '[') {
            int depth = 0;
            do {
                const char c = at(k);
                if (c == '{' || c == '[')
                    ++depth;
                else if (c == '}' || c == ']')
                    --depth;
                ++k;
            } while (depth > 0 && k < count);
            if (depth != 0)
                return std::nullopt;
            end = structurals[k - 1] + 1;
        } else {
            ++k;
            if (k >= count)
                return std::nullopt;
            end = structurals[k];
            while (end > start && isSpace(text[end - 1]))
                --end;
        }
        if (match)
            return Span{start, end - start};
        if (k >= count || at(k) != ',')
            return std::nullopt;
        ++k;
    }
    return std::nullopt;
}

std::vector<Span> topLevelArrayElements(std::string_view text)
{
    std::vector<Span> spans;
    size_t i = skipSpace(text, 0);
    if (i >= text.size() || text[i] != '[')
        return spans;
    i = skipSpace(text, i + 1);
    if (i < text.size() && text[i] == ']')
        return spans;
    while (i < text.size()) {
        const size_t start = i;
        i = skipValue(text, i);
        spans.push_back({start, i - start});
        i = skipSpace(text, i);
        if (i >= text.size() || text[i] != ',')
            break;
        i = skipSpace(text, i + 1);
    }
    return spans;
}

} // namespace rcrt::json
