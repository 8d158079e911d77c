#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace rcrt::cli {

// Appends `text` (UTF-8) as a JSON string literal, escaping quotes, backslashes and control
// characters. Compact line-oriented output for --json, without a DOM round trip that would
// reorder keys.
void appendJsonString(QByteArray &out, QByteArrayView text);
void appendJsonStringList(QByteArray &out, const QList<QByteArray> &items);

} // namespace rcrt::cli
