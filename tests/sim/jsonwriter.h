#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QJsonValue>
#include <QString>

namespace rcrt::sim {

// Compact JSON the way the real server prints it: serde_json escaping (only `"`, `\` and
// control characters; UTF-8 passes through), no spaces. Objects that come back from a JSONB
// column (context, llm_hints) use JSONB key order: shorter keys first, then bytewise.
void appendJsonString(QByteArray &out, QByteArrayView utf8);
void appendJsonString(QByteArray &out, const QString &text);
inline void appendJsonString(QByteArray &out, const QByteArray &utf8)
{
    appendJsonString(out, QByteArrayView(utf8));
}
inline void appendJsonString(QByteArray &out, const char *utf8)
{
    appendJsonString(out, QByteArrayView(utf8));
}
QByteArray jsonString(const QString &text);
void appendJsonNumber(QByteArray &out, double value);
void appendJsonStringArray(QByteArray &out, const QByteArrayList &utf8Items);

enum class KeyOrder { Jsonb, Sorted };
QByteArray canonicalJson(const QJsonValue &value, KeyOrder order = KeyOrder::Jsonb);
void appendCanonicalJson(QByteArray &out, const QJsonValue &value, KeyOrder order = KeyOrder::Jsonb);

// Parses any JSON text (also a bare scalar, which QJsonDocument alone refuses).
// Returns false with a serde-like message when the text is not JSON.
bool parseJsonValue(const QByteArray &text, QJsonValue &value, QString &error);

// JavaScript truthiness of a JSON value (the tools-runner checks `if (!input)`).
bool isTruthy(const QJsonValue &value);

} // namespace rcrt::sim
