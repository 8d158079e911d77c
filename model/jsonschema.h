#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

// A small JSON Schema checker for tool inputs (tool.code.v1 input_schema and the built-ins).
//
// Supported keywords: type (a name or an array of names; "integer" is a number without a
// fraction), required, properties, additionalProperties (bool or schema), items (schema, or an
// array of schemas for tuples), enum, const, minimum, maximum, exclusiveMinimum and
// exclusiveMaximum (number, or the draft-4 boolean form), minLength/maxLength (code points),
// minItems/maxItems, pattern (QRegularExpression, unanchored as in JSON Schema), oneOf, anyOf,
// allOf, not, default (for withDefaults/exampleFor). Every other keyword, $ref included, is
// ignored: an unknown keyword never rejects input.
//
// Hostile schemas and inputs are bounded: nesting deeper than kMaxDepth is one problem, not a
// stack overflow, and at most kMaxProblems problems are listed. A schema whose alternatives would take more
// than 200,000 checks is "too complex to check" and rejects.
namespace rcrt::jsonschema {

inline constexpr int kMaxDepth = 64;
inline constexpr int kMaxProblems = 50;

// Human-readable problems, each prefixed with its JSON path below `rootName`, e.g.
// "input.count: must be ≤ 100" or "input.steps[2]: missing required property \"id\"".
// Empty when `value` is valid.
QStringList validate(const QJsonValue &value, const QJsonObject &schema,
                     const QString &rootName = QStringLiteral("input"));

// `value` with missing object properties filled from their schema's "default", recursively
// through properties and items. Values that are present are never changed.
QJsonValue withDefaults(const QJsonValue &value, const QJsonObject &schema);

// A value to prefill an editor when a tool has no example: default, const, first enum entry or
// first "examples" entry when given; else an object with its required and defaulted
// properties, minItems items, the smallest allowed number, a string of minLength 'x's.
QJsonValue exampleFor(const QJsonObject &schema);

// "input.steps[0].id"-style child paths (keys that are not identifiers are quoted: ["a b"]).
QString childPath(const QString &parent, const QString &key);
QString indexPath(const QString &parent, qsizetype index);

} // namespace rcrt::jsonschema
