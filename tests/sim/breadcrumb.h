#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QList>
#include <QUuid>

#include <optional>

namespace rcrt::sim {

enum class Visibility { Public, Team, Private };
enum class Sensitivity { Low, Pii, Secret };

struct HistoryEntry
{
    int version = 0;
    QByteArray context; // compact JSON, shared with the breadcrumb while current
    qint64 updatedAt = 0;
    QUuid updatedBy;
};

// One row of the real `breadcrumbs` table (rcrt-protocol.md §4). JSON columns are kept as
// compact bytes in JSONB key order so every view and event can splice them in without
// re-serialising.
struct Breadcrumb
{
    QUuid id;
    QByteArray idText;
    QUuid owner;
    QByteArray title;                 // UTF-8
    std::optional<QByteArray> description;
    std::optional<QByteArray> semanticVersion;
    QByteArray context;               // compact JSON
    QByteArrayList tags;              // UTF-8
    std::optional<QByteArray> schemaName;
    QByteArray llmHints;              // compact JSON, empty = null
    Visibility visibility = Visibility::Team;
    Sensitivity sensitivity = Sensitivity::Low;
    int version = 1;
    std::optional<qint64> ttl;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    QUuid createdBy;
    QUuid updatedBy;
    QList<HistoryEntry> history;      // superseded versions, ascending (current = the row)
    quint64 orderSeq = 0;             // tiebreaker for equal updated_at (latest write first)

    bool hasTag(QByteArrayView tag) const { return tags.contains(tag); }
};

// Fields of a create (POST /breadcrumbs, §1.3) after validation.
struct NewBreadcrumb
{
    QByteArray title;
    QByteArray context = "null";
    QByteArrayList tags;
    std::optional<QByteArray> schemaName;
    std::optional<QByteArray> description;
    std::optional<QByteArray> semanticVersion;
    QByteArray llmHints;
    std::optional<Visibility> visibility;
    std::optional<Sensitivity> sensitivity;
    std::optional<qint64> ttl;
};

// Fields of a PATCH: each present one replaces the stored value wholesale.
struct BreadcrumbPatch
{
    std::optional<QByteArray> title;
    std::optional<QByteArray> description;
    std::optional<QByteArray> semanticVersion;
    std::optional<QByteArray> context;
    std::optional<QByteArrayList> tags;
    std::optional<QByteArray> schemaName;
    std::optional<QByteArray> llmHints;
    std::optional<Visibility> visibility;
    std::optional<Sensitivity> sensitivity;
    std::optional<qint64> ttl;
};

} // namespace rcrt::sim
