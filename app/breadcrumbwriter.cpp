#include "app/breadcrumbwriter.h"

#include "model/localbus.h"
#include "model/timestamp.h"
#include "net/jwt.h"
#include "net/restclient.h"
#include "net/tokenprovider.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rcrt {

namespace {

const QLatin1StringView kTags("tags");
const QLatin1StringView kSchema("schema_name");
const QLatin1StringView kContext("context");

} // namespace

QByteArray compactJson(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isUndefined())
        return QByteArrayLiteral("null");
    // A scalar: wrap it in an array and strip the brackets.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

BreadcrumbWriter::BreadcrumbWriter(RestClient *rest, LocalBus *bus, TokenProvider *tokens, QObject *parent)
    : QObject(parent)
    , m_rest(rest)
    , m_bus(bus)
    , m_tokens(tokens)
{
}

QString BreadcrumbWriter::ownerId()
{
    if (!m_ownerId.isEmpty())
        return m_ownerId;
    if (!m_tokens || !m_tokens->hasToken())
        return {};
    const QString token = m_tokens->token();
    if (token != m_claimsToken) {
        m_claimsToken = token;
        const auto claims = decodeJwtClaims(token);
        m_claimsOwner = claims ? claims->ownerId : QString();
    }
    return m_claimsOwner;
}

BreadcrumbWrite *BreadcrumbWriter::create(const QJsonObject &body, const QString &idempotencyKey)
{
    auto *write = new BreadcrumbWrite(this);
    write->m_report.sentNs = nowNs();
    RestCall *call = m_rest->createBreadcrumb(QJsonDocument(body).toJson(QJsonDocument::Compact), idempotencyKey);
    connect(call, &RestCall::finished, write,
            [this, write, body](const RestResult &result) { finishCreate(write, body, result); });
    return write;
}

bool BreadcrumbWriter::acknowledge(BreadcrumbWrite *write, const RestResult &result)
{
    WriteReport &r = write->m_report;
    r.ackNs = nowNs();
    r.httpStatus = result.status;
    if (result.ok())
        return true;
    r.error = result.error;
    finish(write);
    return false;
}

void BreadcrumbWriter::finishCreate(BreadcrumbWrite *write, const QJsonObject &body, const RestResult &result)
{
    if (!acknowledge(write, result))
        return;
    WriteReport &r = write->m_report;
    r.id = result.createdId();
    if (r.id.isEmpty()) {
        r.error = QStringLiteral("create answered without an id: %1").arg(QString::fromUtf8(result.body.left(200)));
        finish(write);
        return;
    }
    publish(write, 1, body);
    finish(write);
}

BreadcrumbWrite *BreadcrumbWriter::update(const QString &id, const QJsonObject &body, std::optional<int> ifMatch)
{
    auto *write = new BreadcrumbWrite(this);
    write->m_report.sentNs = nowNs();
    write->m_report.id = id;
    RestCall *call = m_rest->updateBreadcrumb(id, QJsonDocument(body).toJson(QJsonDocument::Compact), ifMatch);
    connect(call, &RestCall::finished, write, [this, write, id, body, ifMatch](const RestResult &result) {
        finishUpdate(write, id, body, ifMatch, result);
    });
    return write;
}

void BreadcrumbWriter::finishUpdate(BreadcrumbWrite *write, const QString &id, const QJsonObject &body,
                                    std::optional<int> ifMatch, const RestResult &result)
{
    if (!acknowledge(write, result))
        return;
    // PATCH answers {"ok":true} without the new version (§1.3). With If-Match it is known; the
    // envelope is known when the body replaced all of it. Otherwise read the breadcrumb back.
    if (ifMatch && body.contains(kTags) && body.contains(kSchema) && body.contains(kContext)) {
        publish(write, *ifMatch + 1, body);
        finish(write);
        return;
    }
    RestCall *get = m_rest->getBreadcrumbFull(id);
    connect(get, &RestCall::finished, write, [this, write](const RestResult &full) {
        const QJsonObject b = QJsonDocument::fromJson(full.body).object();
        const int version = b.value(QLatin1StringView("version")).toInt();
        if (!full.ok() || version < 1) {
            write->m_report.error = QStringLiteral("update acknowledged, but reading it back failed: %1")
                                        .arg(full.ok() ? QStringLiteral("no version") : full.error);
            finish(write);
            return;
        }
        publish(write, version, b);
        finish(write);
    });
}

void BreadcrumbWriter::publish(BreadcrumbWrite *write, int version, const QJsonObject &envelope)
{
    WriteReport &r = write->m_report;
    r.version = version;
    // Create-path key order (§3.4), built by hand so `context` keeps its bytes as serialised.
    QByteArray raw;
    raw.reserve(256);
    raw += "{\"breadcrumb_id\":" + compactJson(r.id);
    const QString owner = ownerId();
    if (!owner.isEmpty())
        raw += ",\"owner_id\":" + compactJson(owner);
    raw += ",\"version\":" + QByteArray::number(version);
    raw += ",\"tags\":" + compactJson(envelope.value(kTags).isArray() ? envelope.value(kTags) : QJsonArray());
    const QJsonValue schema = envelope.value(kSchema);
    raw += ",\"schema_name\":" + (schema.isString() ? compactJson(schema) : QByteArrayLiteral("null"));
    raw += ",\"updated_at\":\"" + formatRfc3339Ns(r.ackNs) + '"';
    raw += ",\"context\":" + compactJson(envelope.value(kContext));
    raw += ",\"type\":\"breadcrumb.updated\"}";
    r.localEvent = StreamEvent{nowNs(), EventSource::Local, raw};
    ++m_acknowledged;
    if (m_bus)
        m_bus->publish(r.localEvent);
}

void BreadcrumbWriter::finish(BreadcrumbWrite *write)
{
    const WriteReport report = write->m_report;
    emit write->finished(report);
    emit written(report);
    write->deleteLater();
}

} // namespace rcrt
