#pragma once

// Fuzz target 2: the event decoder and EventStore::ingest. Shared by fuzz_decoder.cpp and
// tests/unit/tst_fuzz_regressions.cpp.
//
// The whole input is decoded twice (decode and decodeView must agree), then every line of it is
// ingested into a small EventStore twice over (so dedupe, repeats and eviction all run) and the
// store's records and indexes are checked against each other.

#include "model/decoder.h"
#include "model/eventstore.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

namespace rcrt::fuzz {

inline QString compareEnvelopes(const Envelope &a, const Envelope &b)
{
    if (a.kind != b.kind || a.shape != b.shape || a.hasSchema != b.hasSchema
        || a.hasOwner != b.hasOwner || a.hasContext != b.hasContext || a.version != b.version
        || a.updatedAtNs != b.updatedAtNs || a.pingTsNs != b.pingTsNs || a.type != b.type
        || a.breadcrumbId != b.breadcrumbId || a.ownerId != b.ownerId
        || a.schemaName != b.schemaName || a.tags != b.tags || a.contextOffset != b.contextOffset
        || a.contextLength != b.contextLength)
        return QStringLiteral("decode() and decodeView() disagree on the envelope");
    return {};
}

inline QString checkEnvelope(const Envelope &e, QByteArrayView json)
{
    if (e.kind == Envelope::Kind::Breadcrumb && (e.version < 1 || e.breadcrumbId.isEmpty()))
        return QStringLiteral("a breadcrumb without an id or with version %1").arg(e.version);
    if (e.hasContext
        && (e.contextOffset < 0 || e.contextLength <= 0
            || qsizetype(e.contextOffset) + e.contextLength > json.size()))
        return QStringLiteral("context range %1+%2 outside a %3-byte payload")
            .arg(e.contextOffset)
            .arg(e.contextLength)
            .arg(json.size());
    return {};
}

inline QString decodeBothWays(Decoder &decoder, QByteArrayView json)
{
    QString error;
    const std::optional<Envelope> owned = decoder.decode(json, &error);
    if (!owned && error.isEmpty())
        return QStringLiteral("decode() rejected without a message");
    EnvelopeView view;
    QString viewError;
    const bool ok = decoder.decodeView(json, view, &viewError);
    if (ok != owned.has_value())
        return QStringLiteral("decode() and decodeView() disagree on acceptance");
    if (!ok)
        return error == viewError ? QString()
                                  : QStringLiteral("decode() and decodeView() give other errors");
    if (const QString p = compareEnvelopes(*owned, view.toEnvelope()); !p.isEmpty())
        return p;
    return checkEnvelope(*owned, json);
}

inline QString checkStore(const EventStore &store)
{
    if (store.size() > store.options().maxEvents)
        return QStringLiteral("store holds %1 records over its bound").arg(store.size());
    for (qsizetype i = 0; i < store.size(); ++i) {
        const EventRecord r = store.at(i);
        const QByteArray &id = r.envelope.breadcrumbId;
        if (store.seqOf(id, r.envelope.version) != r.seq)
            return QStringLiteral("seqOf does not find record %1").arg(r.seq);
        if (!store.seqsForId(id).contains(r.seq))
            return QStringLiteral("seqsForId misses record %1").arg(r.seq);
        if (store.latestVersion(id) < r.envelope.version)
            return QStringLiteral("latestVersion below a held version");
        if (r.envelope.hasSchema && !store.seqsForSchema(r.envelope.schemaName).contains(r.seq))
            return QStringLiteral("seqsForSchema misses record %1").arg(r.seq);
        for (const QByteArray &tag : r.envelope.tags)
            if (!store.seqsForTag(tag).contains(r.seq))
                return QStringLiteral("seqsForTag misses record %1").arg(r.seq);
        if (!store.recordBySeq(r.seq) || store.recordBySeq(r.seq)->raw != r.raw)
            return QStringLiteral("recordBySeq does not give record %1").arg(r.seq);
    }
    const StoreCounters c = store.counters();
    if (c.events != c.newVersions + c.repeats + c.pings + c.others + c.rejected)
        return QStringLiteral("counters do not add up");
    if (c.newVersions - c.evicted != store.size())
        return QStringLiteral("%1 created - %2 evicted != %3 held")
            .arg(c.newVersions)
            .arg(c.evicted)
            .arg(store.size());
    return {};
}

inline QString runDecoder(QByteArrayView input)
{
    Decoder decoder;
    if (const QString p = decodeBothWays(decoder, input); !p.isEmpty())
        return p;

    EventStore::Options options;
    options.maxEvents = 4; // small, so a few lines already evict
    options.maxPingLog = 3;
    options.maxRejectLog = 3;
    EventStore store(options);
    const QList<QByteArray> lines = input.toByteArray().split('\n');
    qint64 arrival = 1'000'000'000;
    for (int round = 0; round < 2; ++round) {
        for (const QByteArray &line : lines) {
            const bool accepted = decoder.decode(line).has_value();
            const auto source = round == 0 ? EventSource::Sse : EventSource::Local;
            const EventStore::IngestResult result =
                store.ingest(StreamEvent{arrival++, source, line});
            if (accepted != (result != EventStore::IngestResult::Rejected))
                return QStringLiteral("ingest and the decoder disagree on a payload");
        }
    }
    store.flush();
    return checkStore(store);
}

} // namespace rcrt::fuzz
