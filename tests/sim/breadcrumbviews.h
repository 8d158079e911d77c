#pragma once

#include "breadcrumb.h"

#include <QByteArray>

namespace rcrt::sim {

// The JSON shapes of rcrt-protocol.md §4.1, byte for byte in the server's key order.
QByteArray contextView(const Breadcrumb &breadcrumb);   // GET /breadcrumbs/{id}
QByteArray fullView(const Breadcrumb &breadcrumb);      // GET /breadcrumbs/{id}/full
QByteArray historyView(const Breadcrumb &breadcrumb);   // GET /breadcrumbs/{id}/history
void appendListItem(QByteArray &out, const Breadcrumb &breadcrumb, bool includeContext);

// One SSE frame, `data: <json>\n\n`, with the create or update key order (§3.4).
// The payload's owner_id is the writer's owner, not the row's (§3.2).
QByteArray eventFrame(const Breadcrumb &breadcrumb, bool created, const QUuid &writerOwner);

QByteArray pingFrame(qint64 micros);

QByteArray checksumOf(const QByteArray &context);

} // namespace rcrt::sim
