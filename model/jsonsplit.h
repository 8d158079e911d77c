#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace rcrt {

// The exact bytes of each element of a top-level JSON array (surrounding whitespace removed),
// e.g. a REST list body `[{"id":…},{"id":…}]` → one raw payload per breadcrumb for backfill.
// The whole text is validated first; returns std::nullopt with a message in *error when it is
// not well-formed JSON or its top level is not an array. `[]` yields an empty list.
std::optional<QList<QByteArray>> splitJsonArray(QByteArrayView json, QString *error = nullptr);

} // namespace rcrt
