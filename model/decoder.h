#pragma once

#include "model/breadcrumb.h"

#include <QByteArrayView>
#include <QString>
#include <QtGlobal>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace rcrt {

// Envelope fields as views, filled by Decoder::decodeView. The views point into the
// decoder's buffers and stay valid only until the next call on the same Decoder. Reuse one
// EnvelopeView across calls so `tags` keeps its capacity (no allocation per event).
struct EnvelopeView
{
    Envelope::Kind kind = Envelope::Kind::Other;
    Envelope::Shape shape = Envelope::Shape::SseEvent;
    bool hasSchema = false;
    bool hasOwner = false;
    bool hasContext = false;
    bool hasType = false;
    qint32 version = 0;
    qint64 updatedAtNs = 0;
    qint64 pingTsNs = 0;
    std::string_view type;
    std::string_view breadcrumbId;
    std::string_view ownerId;
    std::string_view schemaName;
    std::vector<std::string_view> tags;
    qint32 contextOffset = -1; // into the json passed to decodeView
    qint32 contextLength = 0;

    void clear();
    Envelope toEnvelope() const; // deep copy into owning QByteArrays
};

// Decodes one payload (an SSE `data` JSON text or one REST list item) into its envelope with
// simdjson, without relying on key order. Not thread-safe: one Decoder per thread; it reuses
// one parser and one padded input buffer, so the hot path does not allocate per event.
//
// Rejected (returns false / nullopt with a one-line message in *error, never throws):
// malformed JSON, a top level that is not an object, `type` not a string, a breadcrumb without
// a string id or an integer `version` in [1, 2^31-1], a missing or invalid `updated_at`,
// `tags` not an array of strings, `schema_name`/`owner_id` of the wrong type, a ping whose
// `ts` is not a valid timestamp, and objects with neither `type` nor an id.
// The `context` value is checked for well-formedness too (the inspector parses it later).
class Decoder final
{
public:
    Decoder();
    ~Decoder();
    Q_DISABLE_COPY_MOVE(Decoder)

    std::optional<Envelope> decode(QByteArrayView json, QString *error = nullptr);

    // Hot path for the EventStore: no allocation per event once warmed up.
    bool decodeView(QByteArrayView json, EnvelopeView &out, QString *error = nullptr);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace rcrt
