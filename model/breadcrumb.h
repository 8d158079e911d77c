#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QMetaType>

namespace rcrt {

// The decoded envelope of one payload: everything the hot path needs, with `context` left as
// raw text (DESIGN.md: decoding is lazy; the inspector parses the context on demand).
//
// Shapes accepted (rcrt-protocol.md §3.4, §4.1), in any key order:
//   SSE event:   {"type":"breadcrumb.updated","breadcrumb_id",…,"version","tags","schema_name",
//                 "updated_at","context"}            (create order has `type` last)
//   ping:        {"type":"ping","ts":"…Z"}
//   REST item:   {"id","title","tags","schema_name","version","updated_at"[,"context",…]}
//                (no `type`, no `owner_id`; used for backfill and treated as a breadcrumb)
//   other type:  anything with a string `type` that is neither of the above → Kind::Other
//
// Strings are plain QByteArrays (UTF-8). Copies are cheap: Qt's implicit sharing, and the
// EventStore hands out interned instances, so identical tag lists share one QList.
struct Envelope
{
    enum class Kind : quint8 { Breadcrumb, Ping, Other };
    enum class Shape : quint8 { SseEvent, ListItem };

    Kind kind = Kind::Other;
    Shape shape = Shape::SseEvent; // ListItem when the id came as `id` (REST list / backfill)
    bool hasSchema = false;        // false for `"schema_name": null` or absent
    bool hasOwner = false;         // false when `owner_id` is absent (REST items)
    bool hasContext = false;       // false for the minimal REST list shape
    qint32 version = 0;            // >= 1 for breadcrumbs; 1 means created (§3.3)
    qint64 updatedAtNs = 0;        // breadcrumbs: `updated_at` (DB clock), ns since epoch
    qint64 pingTsNs = 0;           // pings: server `ts`, ns since epoch; 0 when absent
    QByteArray type;               // as sent; empty when absent
    QByteArray breadcrumbId;
    QByteArray ownerId;
    QByteArray schemaName;         // empty when !hasSchema
    QList<QByteArray> tags;        // order and duplicates preserved, as on the wire
    qint32 contextOffset = -1;     // byte range of the raw `context` JSON text in the payload
    qint32 contextLength = 0;

    bool isBreadcrumb() const { return kind == Kind::Breadcrumb; }
    bool isCreate() const { return kind == Kind::Breadcrumb && version == 1; }

    // The raw `context` JSON text inside `raw` (the payload this envelope was decoded from);
    // empty when there is none.
    QByteArrayView contextIn(const QByteArray &raw) const
    {
        if (!hasContext || contextOffset < 0 || qsizetype(contextOffset) + contextLength > raw.size())
            return {};
        return QByteArrayView(raw.constData() + contextOffset, contextLength);
    }

    bool hasTag(QByteArrayView tag) const
    {
        for (const QByteArray &t : tags)
            if (t == tag)
                return true;
        return false;
    }
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::Envelope)
