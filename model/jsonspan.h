#pragma once

// Internal to rcrt_model: byte ranges inside JSON text that a parser has already validated.
// simdjson's DOM (the fast, runtime-dispatched API on this platform) does not say where a
// value sits in its input, but the envelope keeps `context` as a slice of the raw payload and
// the list splitter needs each element's exact bytes; on valid JSON a plain scan finds them.

#include <QtGlobal>

#include <optional>
#include <string_view>
#include <vector>

namespace rcrt::json {

struct Span
{
    size_t offset = 0;
    size_t length = 0;
};

// Index just past the value starting at `i` (no leading whitespace). `text` must be valid JSON.
size_t skipValue(std::string_view text, size_t i);

// The value of `key` in the top-level object, without surrounding whitespace. Keys are compared
// byte for byte as written (an escaped spelling of the key is not found).
std::optional<Span> topLevelValueSpan(std::string_view text, std::string_view key);

// The same, from the structural positions simdjson's stage 1 found (the `{`, `}`, `[`, `]`,
// `:`, `,` and the first byte of every string and scalar, in order). Walks a few dozen indexes
// instead of every byte; nullopt if the indexes do not describe an object as expected.
std::optional<Span> topLevelValueSpan(std::string_view text, const quint32 *structurals,
                                      size_t count, std::string_view key);

// Each element of the top-level array, without surrounding whitespace.
std::vector<Span> topLevelArrayElements(std::string_view text);

} // namespace rcrt::json
