#pragma once

#include <QByteArrayView>
#include <QString>

namespace rcrt::ui {

// Re-indents JSON text without parsing it into values, so the text keeps the payload's own key
// order and exact numbers (QJsonDocument sorts keys and turns numbers into doubles). Whitespace
// outside strings is replaced; strings are copied byte for byte. Empty {} and [] stay on one
// line. Input that is not well-formed JSON still comes out (best effort, never loses bytes
// other than insignificant whitespace).
QString prettyJson(QByteArrayView json, int indent = 2);

} // namespace rcrt::ui
