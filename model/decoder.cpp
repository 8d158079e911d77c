#include "model/decoder.h"

#include "model/jsonspan.h"
#include "model/simdjsonsupport.h"
#include "model/timestamp.h"

#include <limits>

namespace rcrt {

namespace dom = simdjson::dom;

namespace {

constexpr std::string_view kTypeUpdated = "breadcrumb.updated";
constexpr std::string_view kTypePing = "ping";

QString utf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// How a field we only keep when the kind turns out to need it was found.
enum class FieldState : quint8 { Absent, Ok, WrongType, OutOfRange, BadValue };

} // namespace

void EnvelopeView::clear()
{
    kind = Envelope::Kind::Other;
    shape = Envelope::Shape::SseEvent;
    hasSchema = hasOwner = hasContext = hasType = false;
    version = 0;
    updatedAtNs = pingTsNs = 0;
    type = breadcrumbId = ownerId = schemaName = {};
    tags.clear();
    contextOffset = -1;
    contextLength = 0;
}

Envelope EnvelopeView::toEnvelope() const
{
    auto bytes = [](std::string_view s) { return QByteArray(s.data(), qsizetype(s.size())); };
    Envelope e;
    e.kind = kind;
    e.shape = shape;
    e.hasSchema = hasSchema;
    e.hasOwner = hasOwner;
    e.hasContext = hasContext;
    e.version = version;
    e.updatedAtNs = updatedAtNs;
    e.pingTsNs = pingTsNs;
    e.type = bytes(type);
    e.breadcrumbId = bytes(breadcrumbId);
    e.ownerId = bytes(ownerId);
    e.schemaName = bytes(schemaName);
    e.tags.reserve(qsizetype(tags.size()));
    for (std::string_view t : tags)
        e.tags.append(bytes(t));
    e.contextOffset = contextOffset;
    e.contextLength = contextLength;
    return e;
}

struct Decoder::Private
{
    dom::parser parser;
    json::PaddedBuffer buffer;
};

Decoder::Decoder()
    : d(std::make_unique<Private>())
{
}

Decoder::~Decoder() = default;

std::optional<Envelope> Decoder::decode(QByteArrayView json, QString *error)
{
    EnvelopeView view;
    if (!decodeView(json, view, error))
        return std::nullopt;
    return view.toEnvelope();
}

bool Decoder::decodeView(QByteArrayView json, EnvelopeView &out, QString *error)
{
    out.clear();
    auto fail = [error](QString message) {
        if (error)
            *error = std::move(message);
        return false;
    };
    if (json.size() > std::numeric_limits<qint32>::max())
        return fail(QStringLiteral("payload too large (%1 bytes)").arg(json.size()));
    if (json.isEmpty())
        return fail(QStringLiteral("empty payload"));

    // Parsing validates the whole text, context included, before we look at any field.
    const char *base = d->buffer.load(json);
    dom::element root;
    if (auto e = d->parser.parse(base, size_t(json.size()), false).get(root))
        return fail(e == simdjson::EMPTY ? QStringLiteral("empty payload") : json::errorText(e));
    dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS)
        return fail(QStringLiteral("payload is not a JSON object"));

    // Fields are collected whatever the key order (create and update payloads differ, §3.4);
    // which ones are required depends on `type`, which may come last.
    bool hasSseId = false;
    bool hasListId = false;
    std::string_view sseId;
    std::string_view listId;
    FieldState typeState = FieldState::Absent;
    FieldState versionState = FieldState::Absent;
    FieldState tagsState = FieldState::Absent;
    FieldState schemaState = FieldState::Absent;
    FieldState ownerState = FieldState::Absent;
    FieldState idState = FieldState::Absent;
    FieldState updatedState = FieldState::Absent;
    FieldState tsState = FieldState::Absent;
    std::string_view badUpdatedAt;
    std::string_view badTs;

    for (const dom::key_value_pair field : object) {
        const std::string_view key = field.key;
        const dom::element value = field.value;
        if (key == "type") {
            typeState = value.get_string().get(out.type) == simdjson::SUCCESS ? FieldState::Ok
                                                                              : FieldState::WrongType;
            out.hasType = typeState == FieldState::Ok;
        } else if (key == "breadcrumb_id" || key == "id") {
            const bool isList = key == "id";
            if (value.get_string().get(isList ? listId : sseId) == simdjson::SUCCESS)
                (isList ? hasListId : hasSseId) = true;
            else
                idState = FieldState::WrongType;
        } else if (key == "version") {
            int64_t v = 0;
            if (value.is_int64()) {
                v = value.get_int64().value_unsafe();
                if (v < 1 || v > std::numeric_limits<qint32>::max()) {
                    versionState = FieldState::OutOfRange;
                } else {
                    versionState = FieldState::Ok;
                    out.version = qint32(v);
                }
            } else {
                versionState = value.is_uint64() ? FieldState::OutOfRange : FieldState::WrongType;
            }
        } else if (key == "tags") {
            out.tags.clear();
            dom::array tags;
            tagsState = FieldState::Ok;
            if (value.get_array().get(tags) == simdjson::SUCCESS) {
                for (const dom::element tag : tags) {
                    std::string_view text;
                    if (tag.get_string().get(text) != simdjson::SUCCESS) {
                        tagsState = FieldState::WrongType;
                        break;
                    }
                    out.tags.push_back(text);
                }
            } else {
                tagsState = FieldState::WrongType;
            }
        } else if (key == "schema_name" || key == "owner_id") {
            const bool isSchema = key == "schema_name";
            FieldState &state = isSchema ? schemaState : ownerState;
            std::string_view &text = isSchema ? out.schemaName : out.ownerId;
            bool &present = isSchema ? out.hasSchema : out.hasOwner;
            present = false;
            text = {};
            if (value.get_string().get(text) == simdjson::SUCCESS) {
                state = FieldState::Ok;
                present = true;
            } else {
                state = value.is_null() ? FieldState::Ok : FieldState::WrongType;
            }
        } else if (key == "updated_at" || key == "ts") {
            const bool isTs = key == "ts";
            FieldState &state = isTs ? tsState : updatedState;
            std::string_view text;
            if (value.get_string().get(text) == simdjson::SUCCESS) {
                if (const auto ns = parseRfc3339Ns(text)) {
                    state = FieldState::Ok;
                    (isTs ? out.pingTsNs : out.updatedAtNs) = *ns;
                } else {
                    state = FieldState::BadValue;
                    (isTs ? badTs : badUpdatedAt) = text;
                }
            } else {
                state = FieldState::WrongType;
            }
        } else if (key == "context") {
            out.hasContext = true;
        }
    }

    if (typeState == FieldState::WrongType)
        return fail(QStringLiteral("`type` is not a string"));

    if (out.hasType && out.type == kTypePing) {
        out.kind = Envelope::Kind::Ping;
        if (tsState == FieldState::WrongType)
            return fail(QStringLiteral("ping `ts` is not a string"));
        if (tsState == FieldState::BadValue)
            return fail(QStringLiteral("ping `ts` is not an RFC 3339 timestamp: \"%1\"").arg(utf8(badTs)));
        out.hasContext = false;
        return true;
    }
    if (out.hasType && out.type != kTypeUpdated) {
        out.kind = Envelope::Kind::Other;
        out.hasContext = false;
        return true;
    }

    // A breadcrumb: `type` is breadcrumb.updated, or absent with an id (a REST list item, or
    // an event without type, which the server itself would treat as breadcrumb.updated, §3.4).
    if (idState == FieldState::WrongType)
        return fail(QStringLiteral("breadcrumb id is not a string"));
    if (!hasSseId && !hasListId) {
        return fail(out.hasType ? QStringLiteral("breadcrumb event without `breadcrumb_id`")
                                : QStringLiteral("payload has neither `type` nor an id"));
    }
    out.kind = Envelope::Kind::Breadcrumb;
    out.shape = hasSseId ? Envelope::Shape::SseEvent : Envelope::Shape::ListItem;
    out.breadcrumbId = hasSseId ? sseId : listId;
    if (out.breadcrumbId.empty())
        return fail(QStringLiteral("breadcrumb id is empty"));

    switch (versionState) {
    case FieldState::Absent:
        return fail(QStringLiteral("breadcrumb %1 has no `version`").arg(utf8(out.breadcrumbId)));
    case FieldState::WrongType:
        return fail(QStringLiteral("breadcrumb %1: `version` is not an integer").arg(utf8(out.breadcrumbId)));
    case FieldState::OutOfRange:
        return fail(QStringLiteral("breadcrumb %1: `version` is outside 1..2147483647").arg(utf8(out.breadcrumbId)));
    case FieldState::Ok:
    case FieldState::BadValue:
        break;
    }
    switch (updatedState) {
    case FieldState::Absent:
        return fail(QStringLiteral("breadcrumb %1 has no `updated_at`").arg(utf8(out.breadcrumbId)));
    case FieldState::WrongType:
        return fail(QStringLiteral("breadcrumb %1: `updated_at` is not a string").arg(utf8(out.breadcrumbId)));
    case FieldState::BadValue:
        return fail(QStringLiteral("breadcrumb %1: `updated_at` is not an RFC 3339 timestamp: \"%2\"")
                        .arg(utf8(out.breadcrumbId), utf8(badUpdatedAt)));
    case FieldState::Ok:
    case FieldState::OutOfRange:
        break;
    }
    if (tagsState == FieldState::WrongType)
        return fail(QStringLiteral("breadcrumb %1: `tags` is not an array of strings").arg(utf8(out.breadcrumbId)));
    if (schemaState == FieldState::WrongType)
        return fail(QStringLiteral("breadcrumb %1: `schema_name` is neither a string nor null").arg(utf8(out.breadcrumbId)));
    if (ownerState == FieldState::WrongType)
        return fail(QStringLiteral("breadcrumb %1: `owner_id` is neither a string nor null").arg(utf8(out.breadcrumbId)));

    if (out.hasContext) {
        // The text is valid JSON now, so a scan finds the raw bytes of `context`. A key spelt
        // with escapes (`"cont\u0065xt"`) is not found and the event keeps no context slice.
        const std::string_view text(base, size_t(json.size()));
        // simdjson exposes stage 1's structural positions for benchmarking; walking those is
        // several times cheaper than scanning the bytes, which stays as the fallback.
        const auto &stage1 = d->parser.implementation;
        auto span = stage1 ? json::topLevelValueSpan(text, stage1->structural_indexes.get(),
                                                     stage1->n_structural_indexes, "context")
                           : std::nullopt;
        if (!span)
            span = json::topLevelValueSpan(text, "context");
        Q_ASSERT(!span || json::topLevelValueSpan(text, "context").value().offset == span->offset);
        Q_ASSERT(!span || json::topLevelValueSpan(text, "context").value().length == span->length);
        out.hasContext = span.has_value();
        if (span) {
            out.contextOffset = qint32(span->offset);
            out.contextLength = qint32(span->length);
        }
    }
    return true;
}

} // namespace rcrt
