#include "model/jsonsplit.h"

#include "model/jsonspan.h"
#include "model/simdjsonsupport.h"

namespace rcrt {

std::optional<QList<QByteArray>> splitJsonArray(QByteArrayView text, QString *error)
{
    auto fail = [error](QString message) -> std::optional<QList<QByteArray>> {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    if (text.trimmed().isEmpty())
        return fail(QStringLiteral("empty body, expected a JSON array"));

    // A list body is a low-rate path (one per backfill), so a parser per call is fine.
    json::PaddedBuffer buffer;
    const char *base = buffer.load(text);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto e = parser.parse(base, size_t(text.size()), false).get(root))
        return fail(json::errorText(e));
    simdjson::dom::array array;
    if (root.get_array().get(array) != simdjson::SUCCESS)
        return fail(QStringLiteral("expected a JSON array at the top level"));

    // Validated above, so a plain scan finds the elements' exact bytes.
    const std::string_view whole(base, size_t(text.size()));
    const std::vector<json::Span> spans = json::topLevelArrayElements(whole);
    if (spans.size() != array.size())
        return fail(QStringLiteral("internal error: found %1 array elements, the parser %2")
                        .arg(spans.size()).arg(array.size()));
    QList<QByteArray> items;
    items.reserve(qsizetype(spans.size()));
    for (const json::Span &span : spans)
        items.append(QByteArray(base + span.offset, qsizetype(span.length)));
    return items;
}

} // namespace rcrt
