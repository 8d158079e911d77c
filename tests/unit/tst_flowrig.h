#pragma once

// Test helpers shared by the flow and pending-request tests: hand-made RCRT events and a real
// EventStore feeding a FlowTracker with an injected clock. Header-only, test code only.

#include "model/eventstore.h"
#include "model/flowtracker.h"
#include "model/timestamp.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

namespace rcrt::test {

inline const qint64 kBaseNs = parseRfc3339Ns(std::string_view("2025-11-07T10:30:00Z")).value();
constexpr qint64 kMs = 1'000'000;

inline QByteArray uuid(int n)
{
    return QByteArray::number(n, 16).rightJustified(8, '0') + "-0000-4000-8000-000000000000";
}

inline QByteArray payload(const QByteArray &id, int version, const QList<QByteArray> &tags, const QByteArray &schema,
                   qint64 updatedAtNs, const QJsonObject &context)
{
    QJsonArray tagArray;
    for (const QByteArray &tag : tags)
        tagArray.append(QString::fromUtf8(tag));
    const QJsonObject event{{QStringLiteral("breadcrumb_id"), QString::fromUtf8(id)},
                            {QStringLiteral("owner_id"), QStringLiteral("00000000-0000-0000-0000-000000000001")},
                            {QStringLiteral("version"), version},
                            {QStringLiteral("tags"), tagArray},
                            {QStringLiteral("schema_name"), QString::fromUtf8(schema)},
                            {QStringLiteral("updated_at"), QString::fromUtf8(formatRfc3339Ns(updatedAtNs))},
                            {QStringLiteral("context"), context},
                            {QStringLiteral("type"), QStringLiteral("breadcrumb.updated")}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact);
}

inline QJsonObject obj(std::initializer_list<std::pair<QString, QJsonValue>> fields)
{
    QJsonObject o;
    for (const auto &f : fields)
        o.insert(f.first, f.second);
    return o;
}

inline QString s(const char *text) { return QString::fromUtf8(text); }

inline QJsonObject requestContext(const char *tool, const char *requestId, bool withInput = true)
{
    QJsonObject c{{s("tool"), s(tool)}};
    if (requestId)
        c.insert(s("requestId"), s(requestId));
    if (withInput)
        c.insert(s("input"), QJsonObject{{s("min"), 1}});
    return c;
}

inline QJsonObject responseContext(const char *tool, const char *requestId, const char *status = "success")
{
    QJsonObject c{{s("tool"), s(tool)}, {s("status"), s(status)}};
    if (requestId)
        c.insert(s("request_id"), s(requestId));
    return c;
}

// An EventStore feeding a FlowTracker, one flush per feed like the live engine's batches.
struct Rig
{
    EventStore store;
    FlowTracker tracker;
    qint64 clockNs = kBaseNs;
    QList<FlowChanges> changes;

    explicit Rig(FlowTracker::Options options = {})
        : tracker(options)
    {
        QObject::connect(&store, &EventStore::batchReady, &tracker, &FlowTracker::addBatch);
        QObject::connect(&tracker, &FlowTracker::flowsChanged, &tracker,
                         [this](const FlowChanges &c) { changes.append(c); });
        tracker.setClock([this] { return clockNs; });
    }

    void feed(const QByteArray &raw, qint64 arrivalNs = 0, EventSource source = EventSource::Sse)
    {
        store.ingest(StreamEvent{arrivalNs ? arrivalNs : clockNs, source, raw});
        store.flush();
    }
    void request(int n, qint64 atMs, const QJsonObject &context, QList<QByteArray> tags = {}, int version = 1)
    {
        if (tags.isEmpty())
            tags = {"tool:request", "workspace:tools"};
        feed(payload(uuid(n), version, tags, "tool.request.v1", kBaseNs + atMs * kMs, context),
             kBaseNs + atMs * kMs + 20 * kMs);
    }
    void response(int n, qint64 atMs, const QJsonObject &context, const QList<QByteArray> &tags, int version = 1)
    {
        feed(payload(uuid(n), version, tags, "tool.response.v1", kBaseNs + atMs * kMs, context),
             kBaseNs + atMs * kMs + 20 * kMs);
    }
};

inline QList<QByteArray> sampleEvents()
{
    QFile file(QFINDTESTDATA("data/sse/rcrt-sample.sse"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> events;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith("data: "))
            events.append(line.mid(6));
    return events;
}

// Feeds the §6 timeline, one batch per event, arrivals 100 ms apart from kBaseNs; returns
// how many events were fed (20).
inline int feedSample(Rig &rig, bool reversed = false)
{
    QList<QByteArray> events = sampleEvents();
    if (reversed)
        std::reverse(events.begin(), events.end());
    qint64 arrival = kBaseNs;
    for (const QByteArray &e : std::as_const(events))
        rig.feed(e, arrival += 100 * kMs);
    return int(events.size());
}

// Breadcrumb ids of the §6 timeline (tests/data/sse/rcrt-sample.sse).
inline const QByteArray kLlmRequest = "b7d01e22-5f60-4c2b-a8e9-1c2d3e4f5a6b";
inline const QByteArray kLlmResponse = "e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8";
inline const QByteArray kWorkflow = "f0e1d2c3-b4a5-4968-8776-655443322110";
inline const QByteArray kStepNum1 = "11aa22bb-33cc-44dd-85ee-66ff77008899";
inline const QByteArray kStepNum2 = "22bb33cc-44dd-45ee-86ff-778899aabbcc";
inline const QByteArray kNum1Response = "33cc44dd-55ee-46ff-8700-8899aabbccdd";
inline const QByteArray kNum2Response = "44dd55ee-66ff-4700-8811-99aabbccddee";
inline const QByteArray kNum1Agent = "55ee66ff-7700-4811-9922-aabbccddeeff";
inline const QByteArray kStepSum = "66ff7700-8811-4922-aa33-bbccddeeff00";
inline const QByteArray kSumResponse = "88119922-aa33-4b44-8c55-ddeeff001122";
inline const QByteArray kWorkflowResponse = "9922aa33-bb44-4c55-9d66-eeff00112233";
inline const QByteArray kWorkflowAgent = "bb44cc55-dd66-4e77-8f88-001122334455";

} // namespace rcrt::test
