#pragma once

#include "model/streamevent.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace rcrt {

class LocalBus;
class RestClient;
class TokenProvider;
struct RestResult;

// What one write did, for latency breakdowns (sent → acknowledged) and callers.
struct WriteReport
{
    qint64 sentNs = 0; // when the HTTP request was handed to the network stack
    qint64 ackNs = 0; // when the server's answer arrived (0 while pending)
    QString id; // breadcrumb id (from the create answer, or the updated id)
    int version = 0; // the version the local event carries; 0 on error
    int httpStatus = 0;
    QString error; // empty on success
    StreamEvent localEvent; // what went on the local bus (empty raw on error)

    bool ok() const { return error.isEmpty(); }
};

// One write in flight. Emits finished() once, asynchronously, then deletes itself.
class BreadcrumbWrite final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BreadcrumbWrite)

public:
    explicit BreadcrumbWrite(QObject *parent) : QObject(parent) {}
    const WriteReport &report() const { return m_report; }

signals:
    void finished(const rcrt::WriteReport &report);

private:
    friend class BreadcrumbWriter;
    WriteReport m_report;
};

// Writes breadcrumbs over REST and, as soon as the server acknowledged a write, publishes it on
// the LocalBus as an SSE-shaped `breadcrumb.updated` payload (rcrt-protocol.md §3.4 keys, so the
// Decoder and EventStore treat it like any other delivery):
//   breadcrumb_id, owner_id (the token's `owner_id` claim; omitted when unknown, e.g. in
//   disabled-auth mode), version (1 for a create; If-Match+1 for an update that sent If-Match and
//   the whole envelope; else read back with GET /breadcrumbs/{id}/full), tags, schema_name,
//   updated_at, context, type.
// `updated_at` is the CONSOLE's clock at acknowledgement; the later SSE copy carries the
// server's. The EventStore deduplicates the two on (id, version) and keeps both arrivals.
class BreadcrumbWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BreadcrumbWriter)

public:
    // Not owned. tokens may be null (no owner_id in local payloads unless setOwnerId()).
    BreadcrumbWriter(RestClient *rest, LocalBus *bus, TokenProvider *tokens = nullptr,
                     QObject *parent = nullptr);

    // Overrides the owner taken from the token's claims.
    void setOwnerId(const QString &ownerId) { m_ownerId = ownerId; }

    // POST /breadcrumbs with `body` (title, context, tags, schema_name, ...).
    BreadcrumbWrite *create(const QJsonObject &body, const QString &idempotencyKey = {});
    // PATCH /breadcrumbs/{id}.
    BreadcrumbWrite *update(const QString &id, const QJsonObject &body, std::optional<int> ifMatch = {});

    qint64 writesAcknowledged() const { return m_acknowledged; }

signals:
    // Every finished write, after its local event was published.
    void written(const rcrt::WriteReport &report);

private:
    // Records the answer; on failure finishes the write and returns false.
    bool acknowledge(BreadcrumbWrite *write, const RestResult &result);
    void finishCreate(BreadcrumbWrite *write, const QJsonObject &body, const RestResult &result);
    void finishUpdate(BreadcrumbWrite *write, const QString &id, const QJsonObject &body,
                      std::optional<int> ifMatch, const RestResult &result);
    void publish(BreadcrumbWrite *write, int version, const QJsonObject &envelope);
    void finish(BreadcrumbWrite *write);
    QString ownerId();

    QPointer<RestClient> m_rest;
    QPointer<LocalBus> m_bus;
    QPointer<TokenProvider> m_tokens;
    QString m_ownerId;
    QString m_claimsToken; // token whose claims gave m_claimsOwner
    QString m_claimsOwner;
    qint64 m_acknowledged = 0;
};

// Compact JSON text of any value (objects, arrays and scalars alike).
QByteArray compactJson(const QJsonValue &value);

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::WriteReport)
