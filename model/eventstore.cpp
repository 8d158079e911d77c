#include "model/eventstore.h"

#include "model/decoder.h"
#include "model/internpool.h"
#include "model/uuidkey.h"

#include <QHash>
#include <QTimer>

#include <algorithm>
#include <deque>
#include <limits>
#include <string>
#include <vector>

namespace rcrt {

namespace {

// The compact form of a record: 80 bytes plus the shared raw payload; strings are pool keys.
struct StoredRecord
{
    enum Flag : quint8 {
        OutOfOrder = 1,
        ListShape = 2,     // came as a REST list item (`id`, no `type`)
        HasType = 4,       // carried "type":"breadcrumb.updated"
        HasContext = 8,
    };

    QByteArray raw;
    qint64 updatedAtNs = 0;
    qint64 arrivalNs = 0;
    qint64 prevSameId = -1;   // previous record of the same id (a chain, newest first)
    qint32 version = 0;
    quint32 idSlot = 0;
    InternPool::Key owner = 0;
    InternPool::Key schema = 0;
    quint32 tagList = 0;      // 0: no tags
    qint32 contextOffset = -1;
    qint32 contextLength = 0;
    quint16 laterArrivals = 0; // saturating count; the arrivals live in Private::repeats
    EventSource source = EventSource::Sse;
    quint8 flags = 0;
};

// One breadcrumb id with held records.
struct IdEntry
{
    qint64 newestSeq = -1;
    qint32 latestVersion = 0;
    quint32 live = 0;       // held records of this id
    UuidKey uuid;           // when the id is a UUID
    qint32 textIndex = -1;  // else its text, in Private::textIds
};

// An interned tag list: keys in wire order (duplicates kept) for materialising, plus the
// distinct keys, which are what the tag index counts.
struct TagList
{
    QByteArray encoded;
    std::vector<InternPool::Key> ordered;
    std::vector<InternPool::Key> distinct;
    quint32 refs = 0;
};

const QByteArray &updatedType()
{
    static const QByteArray type = QByteArrayLiteral("breadcrumb.updated");
    return type;
}

QByteArray bytes(std::string_view s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace

struct EventStore::Private
{
    explicit Private(const Options &o) : options(o) {}

    Options options;
    Decoder decoder;
    EnvelopeView view;
    QString decodeError;

    std::deque<StoredRecord> records;
    qint64 firstSeq = 0;
    QHash<qint64, QList<Arrival>> repeats; // later arrivals, by seq (rare, so kept aside)

    // Id index: UUID ids by their 16 bytes, anything else by text.
    QHash<UuidKey, quint32> uuidSlots;
    QHash<QByteArray, quint32> textSlots;
    std::vector<IdEntry> ids;
    std::vector<quint32> freeIdSlots;
    std::vector<QByteArray> textIds;
    std::vector<qint32> freeTextIds;

    InternPool owners;
    InternPool schemas;
    InternPool tags;
    std::vector<QList<qint64>> bySchema; // by schema key
    std::vector<QList<qint64>> byTag;    // by tag key

    std::vector<TagList> tagLists;       // index 0 unused (no tags)
    std::vector<quint32> freeTagLists;
    QHash<QByteArray, quint32> tagListIndex;
    std::string scratch;

    qint64 maxUpdatedAtNs = 0;
    std::deque<PingRecord> pingLog;
    std::deque<RejectRecord> rejectLog;
    StoreCounters counters;

    // What the next batch will carry.
    qint64 pendingFirstNewSeq = -1;
    QList<RepeatArrival> pendingRepeats;
    QList<PingRecord> pendingPings;
    QList<OtherRecord> pendingOthers;
    QList<RejectRecord> pendingRejects;
    qint64 pendingEvicted = 0;
    QTimer timer;

    qint64 nextSeq() const { return firstSeq + qint64(records.size()); }
    const StoredRecord *bySeq(qint64 seq) const
    {
        if (seq < firstSeq || seq >= nextSeq())
            return nullptr;
        return &records[size_t(seq - firstSeq)];
    }

    // --- ids ---
    const IdEntry *findId(std::string_view id) const
    {
        UuidKey uuid;
        quint32 slot;
        if (UuidKey::parse(id, uuid)) {
            const auto it = uuidSlots.constFind(uuid);
            if (it == uuidSlots.constEnd())
                return nullptr;
            slot = it.value();
        } else {
            const auto it = textSlots.constFind(QByteArray::fromRawData(id.data(), qsizetype(id.size())));
            if (it == textSlots.constEnd())
                return nullptr;
            slot = it.value();
        }
        return &ids[slot];
    }

    quint32 acquireIdSlot(std::string_view id)
    {
        UuidKey uuid;
        const bool isUuid = UuidKey::parse(id, uuid);
        if (isUuid) {
            if (const auto it = uuidSlots.constFind(uuid); it != uuidSlots.constEnd())
                return it.value();
        } else if (const auto it = textSlots.constFind(QByteArray::fromRawData(id.data(), qsizetype(id.size())));
                   it != textSlots.constEnd()) {
            return it.value();
        }
        quint32 slot;
        if (!freeIdSlots.empty()) {
            slot = freeIdSlots.back();
            freeIdSlots.pop_back();
        } else {
            slot = quint32(ids.size());
            ids.emplace_back();
        }
        IdEntry &entry = ids[slot];
        entry = IdEntry{};
        if (isUuid) {
            entry.uuid = uuid;
            uuidSlots.insert(uuid, slot);
        } else {
            qint32 index;
            if (!freeTextIds.empty()) {
                index = freeTextIds.back();
                freeTextIds.pop_back();
            } else {
                index = qint32(textIds.size());
                textIds.emplace_back();
            }
            textIds[size_t(index)] = bytes(id);
            entry.textIndex = index;
            textSlots.insert(textIds[size_t(index)], slot);
        }
        return slot;
    }

    void releaseIdSlot(quint32 slot)
    {
        IdEntry &entry = ids[slot];
        if (entry.textIndex >= 0) {
            textSlots.remove(textIds[size_t(entry.textIndex)]);
            textIds[size_t(entry.textIndex)] = QByteArray();
            freeTextIds.push_back(entry.textIndex);
        } else {
            uuidSlots.remove(entry.uuid);
        }
        entry = IdEntry{};
        freeIdSlots.push_back(slot);
    }

    QByteArray idText(quint32 slot) const
    {
        const IdEntry &entry = ids[slot];
        return entry.textIndex >= 0 ? textIds[size_t(entry.textIndex)] : entry.uuid.toText();
    }

    // --- tag lists ---
    quint32 acquireTagList(const std::vector<std::string_view> &list)
    {
        if (list.empty())
            return 0;
        scratch.clear();
        for (std::string_view tag : list) {
            const quint32 n = quint32(tag.size());
            scratch.append(reinterpret_cast<const char *>(&n), sizeof n);
            scratch.append(tag);
        }
        const QByteArray probe = QByteArray::fromRawData(scratch.data(), qsizetype(scratch.size()));
        if (const auto it = tagListIndex.constFind(probe); it != tagListIndex.constEnd()) {
            ++tagLists[it.value()].refs;
            return it.value();
        }
        quint32 index;
        if (!freeTagLists.empty()) {
            index = freeTagLists.back();
            freeTagLists.pop_back();
        } else {
            if (tagLists.empty())
                tagLists.emplace_back(); // index 0 means "no tags"
            index = quint32(tagLists.size());
            tagLists.emplace_back();
        }
        TagList &entry = tagLists[index];
        entry.encoded = bytes(scratch);
        entry.refs = 1;
        entry.ordered.clear();
        entry.distinct.clear();
        for (std::string_view tag : list) {
            // The list holds one reference per distinct tag; records share the list's.
            const InternPool::Key key = tags.find(tag);
            const bool seen = key != 0 && std::find(entry.distinct.begin(), entry.distinct.end(), key) != entry.distinct.end();
            if (seen) {
                entry.ordered.push_back(key);
                continue;
            }
            const InternPool::Key acquired = tags.acquire(tag);
            entry.ordered.push_back(acquired);
            entry.distinct.push_back(acquired);
            if (byTag.size() <= acquired)
                byTag.resize(acquired + 1);
        }
        tagListIndex.insert(entry.encoded, index);
        return index;
    }

    void releaseTagList(quint32 index)
    {
        if (index == 0)
            return;
        TagList &entry = tagLists[index];
        if (--entry.refs > 0)
            return;
        for (InternPool::Key key : entry.distinct) {
            if (tags.release(key))
                byTag[key] = QList<qint64>();
        }
        tagListIndex.remove(entry.encoded);
        entry = TagList{};
        freeTagLists.push_back(index);
    }

    QList<QByteArray> tagTexts(quint32 index) const
    {
        QList<QByteArray> list;
        if (index == 0)
            return list;
        const TagList &entry = tagLists[index];
        list.reserve(qsizetype(entry.ordered.size()));
        for (InternPool::Key key : entry.ordered)
            list.append(tags.text(key));
        return list;
    }

    EventRecord materialise(qint64 seq, const StoredRecord &r, bool withLaterArrivals) const
    {
        EventRecord out;
        out.seq = seq;
        out.raw = r.raw;
        out.first = {r.arrivalNs, r.source};
        out.outOfOrder = r.flags & StoredRecord::OutOfOrder;
        if (withLaterArrivals && r.laterArrivals > 0)
            out.laterArrivals = repeats.value(seq);
        Envelope &e = out.envelope;
        e.kind = Envelope::Kind::Breadcrumb;
        e.shape = (r.flags & StoredRecord::ListShape) ? Envelope::Shape::ListItem : Envelope::Shape::SseEvent;
        e.hasSchema = r.schema != 0;
        e.hasOwner = r.owner != 0;
        e.hasContext = r.flags & StoredRecord::HasContext;
        e.version = r.version;
        e.updatedAtNs = r.updatedAtNs;
        if (r.flags & StoredRecord::HasType)
            e.type = updatedType();
        e.breadcrumbId = idText(r.idSlot);
        if (r.owner)
            e.ownerId = owners.text(r.owner);
        if (r.schema)
            e.schemaName = schemas.text(r.schema);
        e.tags = tagTexts(r.tagList);
        e.contextOffset = r.contextOffset;
        e.contextLength = r.contextLength;
        return out;
    }

    void evictOldest();
};

void EventStore::Private::evictOldest()
{
    const qint64 seq = firstSeq;
    StoredRecord &r = records.front();

    IdEntry &id = ids[r.idSlot];
    if (--id.live == 0) {
        releaseIdSlot(r.idSlot);
    } else if (r.version == id.latestVersion) {
        // Only possible after out-of-order arrivals; every other held record of the id is
        // newer than this one, so walk the chain down to it.
        qint32 latest = 0;
        for (qint64 s = id.newestSeq; s > seq; s = records[size_t(s - firstSeq)].prevSameId)
            latest = std::max(latest, records[size_t(s - firstSeq)].version);
        id.latestVersion = latest;
    }

    if (r.schema) {
        QList<qint64> &list = bySchema[r.schema];
        Q_ASSERT(!list.isEmpty() && list.first() == seq);
        list.removeFirst();
        if (schemas.release(r.schema))
            list = QList<qint64>();
    }
    if (r.tagList) {
        for (InternPool::Key key : tagLists[r.tagList].distinct) {
            QList<qint64> &list = byTag[key];
            Q_ASSERT(!list.isEmpty() && list.first() == seq);
            list.removeFirst();
        }
        releaseTagList(r.tagList);
    }
    owners.release(r.owner);
    if (r.laterArrivals > 0)
        repeats.remove(seq);

    counters.heldBytes -= r.raw.size();
    ++counters.evicted;
    ++pendingEvicted;
    records.pop_front();
    ++firstSeq;
}

EventStore::EventStore(QObject *parent)
    : EventStore(Options{}, parent)
{
}

EventStore::EventStore(const Options &options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(options))
{
    qRegisterMetaType<rcrt::EventBatch>();
    qRegisterMetaType<rcrt::EventRecord>();
    qRegisterMetaType<QList<rcrt::StreamEvent>>();
    d->timer.setSingleShot(true);
    d->timer.setInterval(std::max(0, options.batchIntervalMs));
    connect(&d->timer, &QTimer::timeout, this, &EventStore::flush);
}

EventStore::~EventStore() = default;

const EventStore::Options &EventStore::options() const
{
    return d->options;
}

EventStore::IngestResult EventStore::ingest(StreamEvent event)
{
    Private &p = *d;
    ++p.counters.events;
    p.counters.bytes += event.raw.size();
    if (!p.timer.isActive())
        p.timer.start();

    EnvelopeView &v = p.view;
    if (!p.decoder.decodeView(event.raw, v, &p.decodeError)) {
        ++p.counters.rejected;
        RejectRecord reject{event.arrivalNs, event.source, p.decodeError, std::move(event.raw)};
        p.rejectLog.push_back(reject);
        while (qsizetype(p.rejectLog.size()) > std::max<qsizetype>(1, p.options.maxRejectLog))
            p.rejectLog.pop_front();
        p.pendingRejects.append(std::move(reject));
        return IngestResult::Rejected;
    }

    if (v.kind == Envelope::Kind::Ping) {
        ++p.counters.pings;
        const PingRecord ping{event.arrivalNs, v.pingTsNs, event.source};
        p.pingLog.push_back(ping);
        while (qsizetype(p.pingLog.size()) > std::max<qsizetype>(1, p.options.maxPingLog))
            p.pingLog.pop_front();
        p.pendingPings.append(ping);
        return IngestResult::Ping;
    }
    if (v.kind == Envelope::Kind::Other) {
        ++p.counters.others;
        p.pendingOthers.append(OtherRecord{event.arrivalNs, event.source, bytes(v.type), std::move(event.raw)});
        return IngestResult::Other;
    }

    // A breadcrumb: a repeat of a held (id, version), or a new record.
    p.maxUpdatedAtNs = std::max(p.maxUpdatedAtNs, v.updatedAtNs);
    const quint32 slot = p.acquireIdSlot(v.breadcrumbId);
    IdEntry *id = &p.ids[slot];
    if (id->live > 0 && v.version <= id->latestVersion) {
        for (qint64 s = id->newestSeq; s >= p.firstSeq; s = p.records[size_t(s - p.firstSeq)].prevSameId) {
            StoredRecord &held = p.records[size_t(s - p.firstSeq)];
            if (held.version != v.version)
                continue;
            const Arrival arrival{event.arrivalNs, event.source};
            p.repeats[s].append(arrival);
            if (held.laterArrivals < std::numeric_limits<quint16>::max())
                ++held.laterArrivals;
            ++p.counters.repeats;
            p.pendingRepeats.append(RepeatArrival{s, p.idText(slot), v.version,
                                                  Arrival{held.arrivalNs, held.source}, arrival});
            return IngestResult::RepeatArrival;
        }
    }

    const qint64 seq = p.nextSeq();
    StoredRecord r;
    r.raw = std::move(event.raw);
    r.updatedAtNs = v.updatedAtNs;
    r.arrivalNs = event.arrivalNs;
    r.source = event.source;
    r.version = v.version;
    r.idSlot = slot;
    r.prevSameId = id->live > 0 ? id->newestSeq : -1;
    if (id->live > 0 && v.version < id->latestVersion) {
        r.flags |= StoredRecord::OutOfOrder;
        ++p.counters.outOfOrder;
    }
    if (v.shape == Envelope::Shape::ListItem)
        r.flags |= StoredRecord::ListShape;
    if (v.hasType)
        r.flags |= StoredRecord::HasType;
    if (v.hasContext) {
        r.flags |= StoredRecord::HasContext;
        r.contextOffset = v.contextOffset;
        r.contextLength = v.contextLength;
    }
    if (v.hasOwner)
        r.owner = p.owners.acquire(v.ownerId);
    if (v.hasSchema) {
        r.schema = p.schemas.acquire(v.schemaName);
        if (p.bySchema.size() <= r.schema)
            p.bySchema.resize(r.schema + 1);
        p.bySchema[r.schema].append(seq);
    }
    r.tagList = p.acquireTagList(v.tags);
    if (r.tagList) {
        for (InternPool::Key key : p.tagLists[r.tagList].distinct)
            p.byTag[key].append(seq);
    }

    id->newestSeq = seq;
    id->latestVersion = std::max(id->latestVersion, v.version);
    ++id->live;
    p.counters.heldBytes += r.raw.size();
    ++p.counters.newVersions;
    p.records.push_back(std::move(r));
    if (p.pendingFirstNewSeq < 0)
        p.pendingFirstNewSeq = seq;

    if (p.options.maxEvents > 0) {
        while (qsizetype(p.records.size()) > p.options.maxEvents)
            p.evictOldest();
    }
    return IngestResult::NewVersion;
}

void EventStore::ingestBatch(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events)
        ingest(event);
}

void EventStore::flush()
{
    Private &p = *d;
    p.timer.stop();
    EventBatch batch;
    if (p.pendingFirstNewSeq >= 0) {
        // Records evicted before this flush are left out; firstHeldSeq tells consumers.
        const qint64 from = std::max(p.pendingFirstNewSeq, p.firstSeq);
        batch.records.reserve(qsizetype(p.nextSeq() - from));
        for (qint64 seq = from; seq < p.nextSeq(); ++seq)
            batch.records.append(p.materialise(seq, p.records[size_t(seq - p.firstSeq)], false));
    }
    batch.repeats = std::exchange(p.pendingRepeats, {});
    batch.pings = std::exchange(p.pendingPings, {});
    batch.others = std::exchange(p.pendingOthers, {});
    batch.rejects = std::exchange(p.pendingRejects, {});
    batch.evicted = std::exchange(p.pendingEvicted, 0);
    p.pendingFirstNewSeq = -1;
    batch.firstHeldSeq = p.firstSeq;
    batch.nextSeq = p.nextSeq();
    batch.counters = p.counters;
    if (!batch.isEmpty())
        emit batchReady(batch);
}

qsizetype EventStore::size() const
{
    return qsizetype(d->records.size());
}

qint64 EventStore::firstSeq() const
{
    return d->firstSeq;
}

qint64 EventStore::nextSeq() const
{
    return d->nextSeq();
}

EventRecord EventStore::at(qsizetype index) const
{
    Q_ASSERT(index >= 0 && index < size());
    return d->materialise(d->firstSeq + index, d->records[size_t(index)], true);
}

std::optional<EventRecord> EventStore::recordBySeq(qint64 seq) const
{
    if (const StoredRecord *r = d->bySeq(seq))
        return d->materialise(seq, *r, true);
    return std::nullopt;
}

bool EventStore::containsSeq(qint64 seq) const
{
    return d->bySeq(seq) != nullptr;
}

int EventStore::latestVersion(QByteArrayView breadcrumbId) const
{
    const IdEntry *entry = d->findId(std::string_view(breadcrumbId.data(), size_t(breadcrumbId.size())));
    return entry ? entry->latestVersion : 0;
}

std::optional<qint64> EventStore::seqOf(QByteArrayView breadcrumbId, qint32 version) const
{
    const IdEntry *entry = d->findId(std::string_view(breadcrumbId.data(), size_t(breadcrumbId.size())));
    if (!entry)
        return std::nullopt;
    for (qint64 s = entry->newestSeq; s >= d->firstSeq; s = d->bySeq(s)->prevSameId) {
        if (d->bySeq(s)->version == version)
            return s;
    }
    return std::nullopt;
}

QList<qint64> EventStore::seqsForId(QByteArrayView breadcrumbId) const
{
    QList<qint64> seqs;
    const IdEntry *entry = d->findId(std::string_view(breadcrumbId.data(), size_t(breadcrumbId.size())));
    if (!entry)
        return seqs;
    for (qint64 s = entry->newestSeq; s >= d->firstSeq; s = d->bySeq(s)->prevSameId)
        seqs.prepend(s);
    return seqs;
}

QList<qint64> EventStore::seqsForSchema(QByteArrayView schemaName) const
{
    const InternPool::Key key = d->schemas.find(std::string_view(schemaName.data(), size_t(schemaName.size())));
    return key ? d->bySchema[key] : QList<qint64>();
}

QList<qint64> EventStore::seqsForTag(QByteArrayView tag) const
{
    const InternPool::Key key = d->tags.find(std::string_view(tag.data(), size_t(tag.size())));
    return key ? d->byTag[key] : QList<qint64>();
}

QList<QByteArray> EventStore::schemaNames() const
{
    QList<QByteArray> names;
    d->schemas.forEach([&names](InternPool::Key, const QByteArray &text) { names.append(text); });
    return names;
}

qsizetype EventStore::distinctIds() const
{
    return d->uuidSlots.size() + d->textSlots.size();
}

qint64 EventStore::maxUpdatedAtNs() const
{
    return d->maxUpdatedAtNs;
}

qint64 EventStore::lastPingTsNs() const
{
    return d->pingLog.empty() ? 0 : d->pingLog.back().serverTsNs;
}

qint64 EventStore::lastPingArrivalNs() const
{
    return d->pingLog.empty() ? 0 : d->pingLog.back().arrivalNs;
}

QList<PingRecord> EventStore::pingLog() const
{
    return QList<PingRecord>(d->pingLog.begin(), d->pingLog.end());
}

QList<RejectRecord> EventStore::rejectLog() const
{
    return QList<RejectRecord>(d->rejectLog.begin(), d->rejectLog.end());
}

QString EventStore::lastRejectError() const
{
    return d->rejectLog.empty() ? QString() : d->rejectLog.back().error;
}

StoreCounters EventStore::counters() const
{
    return d->counters;
}

} // namespace rcrt
