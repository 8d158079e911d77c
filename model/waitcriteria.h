#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rcrt {

// One `context_match` condition of the EventBridge (rcrt-protocol.md §5.3): `path` is dotted
// with `[n]` array indices, e.g. "output.numbers[0]" or "steps[2].id", read inside `context`.
struct ContextMatch
{
    enum class Op { Eq, Ne, Gt, Lt, Contains };
    QString path;
    Op op = Op::Eq;
    QJsonValue value;
};

// What a waiter waits for (the EventBridge's criteria, done right): every given field must hold.
//  - schemaName: equality when non-empty;
//  - requestId: equals `context.request_id` or `context.requestId` when non-empty;
//  - tags: every one present;
//  - contextMatch: every condition holds.
struct WaitCriteria
{
    QString schemaName;
    QString requestId;
    QStringList tags;
    QList<ContextMatch> contextMatch;

    // `breadcrumb` is a decoded event payload or REST item: schema_name, tags, context.
    bool matches(const QJsonObject &breadcrumb) const;

    // The EventBridge's JSON form: {"schema_name","request_id","tags":[],"context_match":
    // [{"path","op","value"}]}. Unknown ops or wrong types → nullopt with a message.
    static std::optional<WaitCriteria> fromJson(const QJsonObject &json, QString *error = nullptr);
    QJsonObject toJson() const;

    // A response to `requestId`: tool.response.v1 whose context.request_id is requestId. No tag
    // is required, so the real runner's untagged "not found" errors (§5.2) match as well as this
    // console's responses (always tagged request:<id>). The helper every requester uses.
    static WaitCriteria responseTo(const QString &requestId);
};

// The value at a dotted path with [n] indices inside `root` ("output.numbers[0]", "[1].id";
// a leading "$." as selectors write it is ignored); undefined when absent or malformed.
QJsonValue valueAtPath(const QJsonValue &root, const QString &path);

} // namespace rcrt
