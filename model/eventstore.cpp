#include "model/eventstore.h"

#include "model/decoder.h"
#include "model/idtable.h"
#include "model/internpool.h"
#include "model/payloadarena.h"
#include "model/seqlist.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMetaMethod>
#include <QTimer>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <vector>

namespace rcrt {

namespace {

// The compact form of a record: 80 bytes plus the shared raw payload; strings are pool keys
// and its tags sit in Private::tagArena (DESIGN.md budget: 1M events in ~1.3x raw + 64 MiB).
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
    qint32 version = 0;
    quint32 idSlot = 0;
    quint32 prevSameIdDistance = 0; // seq distance to the previous record of the same id; 0: none
    InternPool::Key owner = 0;
    InternPool::Key schema = 0;
    quint32 tagStart = 0;      // absolute arena index, modulo 2^32
    qint32 contextOffset = -1;
    qint32 contextLength = 0;
    quint16 tagCount = 0;
    quint16 laterArrivals = 0; // saturating count; the arrivals live in Private::repeats
    EventSource source = EventSource::Sse;
    quint8 flags = 0;
};

static_assert(sizeof(StoredRecord) <= 80);

struct TagRef
{
    InternPool::Key key = 0;
    quint32 prevDistance = 0; // seq distance to the previous record with this tag; 0: none
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

// A payload may share a large block with its neighbours (PayloadArena); what is kept apart
// from the records, and possibly long after them, gets bytes of its own.
QByteArray ownCopy(const QByteArray &raw)
{
    return QByteArray(raw.constData(), raw.size());
}

std::string_view view(QByteArrayView s)
{
    return std::string_view(s.data(), size_t(s.size()));
}

} // namespace

struct EventStore::Private
{
    explicit Private(const Options &o) : options(o) {}

    Options options;
    // A payload's decoded envelope, kept until it is filed. Two, so that ingestBatch decodes
    // the next event (and prefetches its id's index bucket) before filing this one.
    struct Decoded
    {
        Decoder decoder;
        EnvelopeView view;
        QString error;
        IdTable::Key idKey{};
        bool ok = false;
    };
    std::array<Decoded, 2> decoded;

    std::deque<StoredRecord> records;
    qint64 firstSeq = 0;
    QHash<qint64, QList<Arrival>> repeats; // later arrivals, by seq (rare, so kept aside)

    IdTable ids;
    InternPool owners;
    InternPool schemas;
    InternPool tags;
    std::vector<SeqList> bySchema; // by schema key
    // Every held record's tags in seq order (one pool reference each; the front belongs to
    // the oldest record), each linked to the previous record with the same tag, so the tag
    // index costs 8 bytes per tag and no list per tag (most `request:<id>` tags occur once).
    std::deque<TagRef> tagArena;
    quint32 tagArenaFirst = 0;     // absolute index of tagArena.front(), modulo 2^32
    std::vector<qint64> tagNewest; // by tag key: newest held record with the tag, or -1

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
    // The records array of the last batch, kept for the next one when no receiver held on to
    // it: a fresh multi-megabyte array per batch cost page faults and heap trimming each time.
    QList<EventRecord> spareRecords;
    // Batch records' UUID id texts, 64 to an allocation instead of one each.
    PayloadArena batchIdTexts{64 * (UuidKey::kTextSize + 1)};
    // Recently built tag lists, so records with the same tags share one list (most do: only
    // `request:<id>` and session tags vary).
    struct TagListCacheEntry
    {
        std::array<InternPool::Key, 4> keys{};
        QList<QByteArray> list;
    };
    std::array<TagListCacheEntry, 128> tagListCache;
    QTimer *timer = nullptr; // a child of the store, so moveToThread takes it along
    QElapsedTimer pendingSince; // since the first change not yet in a batch

    qint64 nextSeq() const { return firstSeq + qint64(records.size()); }
    const StoredRecord *bySeq(qint64 seq) const
    {
        if (seq < firstSeq || seq >= nextSeq())
            return nullptr;
        return &records[size_t(seq - firstSeq)];
    }

    // The id's records form a chain from IdTable::Entry::newestSeq down through these links.
    static qint64 prevSameId(qint64 seq, const StoredRecord &r)
    {
        return r.prevSameIdDistance ? seq - r.prevSameIdDistance : -1;
    }
    qint64 prevSameId(qint64 seq) const { return prevSameId(seq, records[size_t(seq - firstSeq)]); }

    const TagRef &tagRef(const StoredRecord &r, quint16 i) const
    {
        return tagArena[size_t(quint32(r.tagStart - tagArenaFirst)) + i];
    }
    InternPool::Key tagKey(const StoredRecord &r, quint16 i) const { return tagRef(r, i).key; }

    // Whether the i-th tag of the record repeats an earlier one of the same record (the
    // response tags carry `request:<id>` twice, §5.2); indexes count a record once per tag.
    bool repeatsEarlierTag(const StoredRecord &r, quint16 i) const
    {
        const InternPool::Key key = tagKey(r, i);
        for (quint16 k = 0; k < i; ++k)
            if (tagKey(r, k) == key)
                return true;
        return false;
    }

    void addTags(StoredRecord &r, qint64 seq, const std::vector<std::string_view> &list)
    {
        r.tagStart = quint32(tagArenaFirst + quint32(tagArena.size()));
        r.tagCount = quint16(std::min<size_t>(list.size(), std::numeric_limits<quint16>::max()));
        for (quint16 i = 0; i < r.tagCount; ++i) {
            const InternPool::Key key = tags.acquire(list[i]);
            if (tagNewest.size() <= key)
                tagNewest.resize(key + 1, -1);
            TagRef ref{key, 0};
            tagArena.push_back(ref); // before repeatsEarlierTag, which reads the arena
            if (!repeatsEarlierTag(r, i)) {
                if (tagNewest[key] >= 0)
                    tagArena.back().prevDistance = quint32(seq - tagNewest[key]);
                tagNewest[key] = seq;
            }
        }
    }

    void removeTags(const StoredRecord &r)
    {
        Q_ASSERT(r.tagCount == 0 || r.tagStart == tagArenaFirst);
        for (quint16 i = 0; i < r.tagCount; ++i) {
            const InternPool::Key key = tagArena.front().key;
            if (tags.release(key))
                tagNewest[key] = -1; // no held record carries it any more
            tagArena.pop_front();
            ++tagArenaFirst;
        }
    }

    // Walks the tag's chain from its newest record down to the oldest held one.
    QList<qint64> seqsWithTag(InternPool::Key key) const
    {
        QList<qint64> seqs;
        for (qint64 s = tagNewest[key]; s >= firstSeq;) {
            seqs.append(s);
            const StoredRecord &r = records[size_t(s - firstSeq)];
            quint32 distance = 0;
            for (quint16 i = 0; i < r.tagCount; ++i) {
                if (tagKey(r, i) == key) {
                    distance = tagRef(r, i).prevDistance;
                    break;
                }
            }
            s = distance ? s - distance : -1;
        }
        std::reverse(seqs.begin(), seqs.end());
        return seqs;
    }

    QList<QByteArray> tagTexts(const StoredRecord &r) const
    {
        QList<QByteArray> list;
        list.reserve(r.tagCount);
        for (quint16 i = 0; i < r.tagCount; ++i)
            list.append(tags.text(tagKey(r, i)));
        return list;
    }

    // tagTexts() through tagListCache. A hit must hold the pool's current texts: a key whose
    // text was released and reused has a new QByteArray (the cached list keeps the old one
    // alive, so the two cannot share an address).
    QList<QByteArray> cachedTagTexts(const StoredRecord &r)
    {
        const quint16 n = r.tagCount;
        if (n == 0)
            return {};
        TagListCacheEntry *entry = nullptr;
        if (n <= 4) {
            quint64 h = n;
            for (quint16 i = 0; i < n; ++i)
                h = (h ^ tagKey(r, i)) * 0x9E3779B97F4A7C15ULL;
            entry = &tagListCache[size_t(h >> 57) % tagListCache.size()];
            if (entry->list.size() == n) {
                bool same = true;
                for (quint16 i = 0; i < n && same; ++i) {
                    const InternPool::Key key = tagKey(r, i);
                    same = entry->keys[i] == key && entry->list[i].constData() == tags.text(key).constData();
                }
                if (same)
                    return entry->list;
            }
        }
        QList<QByteArray> list = tagTexts(r);
        if (entry) {
            for (quint16 i = 0; i < n; ++i)
                entry->keys[i] = tagKey(r, i);
            entry->list = list;
        }
        return list;
    }

    // The record's fields without its later arrivals (a batch's records have none yet);
    // fields are copy-constructed into place, which inlines, where assignment would not.
    void fill(EventRecord &out, qint64 seq, const StoredRecord &r, QByteArray id, QList<QByteArray> tagList) const
    {
        out.seq = seq;
        out.raw = QByteArray(r.raw);
        out.first = {r.arrivalNs, r.source};
        out.outOfOrder = r.flags & StoredRecord::OutOfOrder;
        Envelope &e = out.envelope;
        e.kind = Envelope::Kind::Breadcrumb;
        e.shape = (r.flags & StoredRecord::ListShape) ? Envelope::Shape::ListItem : Envelope::Shape::SseEvent;
        e.hasSchema = r.schema != 0;
        e.hasOwner = r.owner != 0;
        e.hasContext = r.flags & StoredRecord::HasContext;
        e.version = r.version;
        e.updatedAtNs = r.updatedAtNs;
        if (r.flags & StoredRecord::HasType)
            e.type = QByteArray(updatedType());
        e.breadcrumbId = std::move(id);
        if (r.owner)
            e.ownerId = QByteArray(owners.text(r.owner));
        if (r.schema)
            e.schemaName = QByteArray(schemas.text(r.schema));
        e.tags = std::move(tagList);
        e.contextOffset = r.contextOffset;
        e.contextLength = r.contextLength;
    }

    EventRecord materialise(qint64 seq, const StoredRecord &r) const
    {
        EventRecord out;
        fill(out, seq, r, ids.text(r.idSlot), tagTexts(r));
        if (r.laterArrivals > 0)
            out.laterArrivals = repeats.value(seq);
        return out;
    }

    void decode(Decoded &out, const QByteArray &raw)
    {
        out.ok = out.decoder.decodeView(raw, out.view, &out.error);
        if (out.ok && out.view.kind == Envelope::Kind::Breadcrumb)
            out.idKey = ids.prepare(out.view.breadcrumbId);
    }
    IngestResult file(StreamEvent &event, const Decoded &in);
    IngestResult addBreadcrumb(StreamEvent &event, const Decoded &in);
    void evictOldest();
};

void EventStore::Private::evictOldest()
{
    const qint64 seq = firstSeq;
    StoredRecord &r = records.front();

    IdTable::Entry &id = ids[r.idSlot];
    if (--id.live == 0) {
        ids.release(r.idSlot);
    } else if (r.version == id.latestVersion) {
        // Only possible after out-of-order arrivals; every other held record of the id is
        // newer than this one, so walk the chain down to it.
        qint32 latest = 0;
        for (qint64 s = id.newestSeq; s > seq; s = prevSameId(s))
            latest = std::max(latest, records[size_t(s - firstSeq)].version);
        id.latestVersion = latest;
    }

    if (r.schema) {
        Q_ASSERT(bySchema[r.schema].front() == seq);
        bySchema[r.schema].popFront();
        schemas.release(r.schema);
    }
    removeTags(r);
    owners.release(r.owner);
    if (r.laterArrivals > 0)
        repeats.remove(seq);

    counters.heldBytes -= r.raw.size();
    ++counters.evicted;
    ++pendingEvicted;
    records.pop_front();
    ++firstSeq;
}

EventStore::IngestResult EventStore::Private::addBreadcrumb(StreamEvent &event, const Decoded &in)
{
    const EnvelopeView &v = in.view;
    maxUpdatedAtNs = std::max(maxUpdatedAtNs, v.updatedAtNs);
    const quint32 slot = ids.acquire(in.idKey);
    IdTable::Entry &id = ids[slot];

    // A repeat of a held (id, version)? Usually the newest version, found at once.
    if (id.live > 0 && v.version <= id.latestVersion) {
        for (qint64 s = id.newestSeq; s >= firstSeq; s = prevSameId(s)) {
            StoredRecord &held = records[size_t(s - firstSeq)];
            if (held.version != v.version)
                continue;
            const Arrival arrival{event.arrivalNs, event.source};
            repeats[s].append(arrival);
            if (held.laterArrivals < std::numeric_limits<quint16>::max())
                ++held.laterArrivals;
            ++counters.repeats;
            pendingRepeats.append(RepeatArrival{s, ids.text(slot), v.version,
                                                Arrival{held.arrivalNs, held.source}, arrival});
            return IngestResult::RepeatArrival;
        }
    }

    const qint64 seq = nextSeq();
    StoredRecord r;
    r.raw = std::move(event.raw);
    r.updatedAtNs = v.updatedAtNs;
    r.arrivalNs = event.arrivalNs;
    r.source = event.source;
    r.version = v.version;
    r.idSlot = slot;
    r.prevSameIdDistance = id.live > 0 ? quint32(seq - id.newestSeq) : 0;
    if (id.live > 0 && v.version < id.latestVersion) {
        r.flags |= StoredRecord::OutOfOrder;
        ++counters.outOfOrder;
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
        r.owner = owners.acquire(v.ownerId);
    if (v.hasSchema) {
        r.schema = schemas.acquire(v.schemaName);
        if (bySchema.size() <= r.schema)
            bySchema.resize(r.schema + 1);
        bySchema[r.schema].append(seq);
    }
    addTags(r, seq, v.tags);

    id.newestSeq = seq;
    id.latestVersion = std::max(id.latestVersion, v.version);
    ++id.live;
    counters.heldBytes += r.raw.size();
    ++counters.newVersions;
    records.push_back(std::move(r));
    if (pendingFirstNewSeq < 0)
        pendingFirstNewSeq = seq;

    if (options.maxEvents > 0) {
        while (qsizetype(records.size()) > options.maxEvents)
            evictOldest();
    }
    return IngestResult::NewVersion;
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
    d->timer = new QTimer(this);
    d->timer->setSingleShot(true);
    d->timer->setInterval(std::max(0, options.batchIntervalMs));
    connect(d->timer, &QTimer::timeout, this, &EventStore::flush);
}

EventStore::~EventStore() = default;

const EventStore::Options &EventStore::options() const
{
    return d->options;
}

EventStore::IngestResult EventStore::ingest(StreamEvent event)
{
    Private::Decoded &decoded = d->decoded[0];
    d->decode(decoded, event.raw);
    return d->file(event, decoded);
}

EventStore::IngestResult EventStore::Private::file(StreamEvent &event, const Decoded &in)
{
    Private &p = *this;
    ++p.counters.events;
    p.counters.bytes += event.raw.size();
    if (!p.timer->isActive()) {
        p.timer->start();
        p.pendingSince.start();
    }

    const EnvelopeView &v = in.view;
    if (!in.ok) {
        ++p.counters.rejected;
        RejectRecord reject{event.arrivalNs, event.source, in.error, ownCopy(event.raw)};
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
        p.pendingOthers.append(OtherRecord{event.arrivalNs, event.source, bytes(v.type), ownCopy(event.raw)});
        return IngestResult::Other;
    }

    return p.addBreadcrumb(event, in);
}

void EventStore::ingestBatch(const QList<StreamEvent> &events)
{
    // Event i+1 is decoded before event i is filed: the id index probe, a cache miss on a big
    // table, then finds its bucket already loading. Filing order and outcomes are unchanged.
    Private &p = *d;
    const qsizetype n = events.size();
    if (n > 0)
        p.decode(p.decoded[0], events[0].raw);
    for (qsizetype i = 0; i < n; ++i) {
        if (i + 1 < n)
            p.decode(p.decoded[size_t((i + 1) & 1)], events[i + 1].raw);
        StreamEvent event = events[i];
        p.file(event, p.decoded[size_t(i & 1)]);
    }
    // Under a flood of network reads the batch timer can be starved; batches must still flow at
    // their interval, so the ingest path checks the clock as well.
    if (d->timer->isActive() && d->pendingSince.elapsed() >= d->options.batchIntervalMs)
        flush();
}

void EventStore::flush()
{
    Private &p = *d;
    p.timer->stop();
    EventBatch batch;
    // Nobody listening (a bulk ingest, a benchmark): the records are not built at all.
    static const QMetaMethod batchSignal = QMetaMethod::fromSignal(&EventStore::batchReady);
    if (p.pendingFirstNewSeq >= 0 && isSignalConnected(batchSignal)) {
        // Records evicted before this flush are left out; firstHeldSeq tells consumers.
        const qint64 from = std::max(p.pendingFirstNewSeq, p.firstSeq);
        batch.records = std::exchange(p.spareRecords, {});
        batch.records.reserve(qsizetype(p.nextSeq() - from));
        for (qint64 seq = from; seq < p.nextSeq(); ++seq) {
            const StoredRecord &r = p.records[size_t(seq - p.firstSeq)];
            p.fill(batch.records.emplaceBack(), seq, r, p.ids.text(r.idSlot, p.batchIdTexts), p.cachedTagTexts(r));
        }
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
    if (!batch.records.isDetached())
        return; // a receiver holds it (queued connection): it is theirs now
    batch.records.clear(); // keeps the capacity
    p.spareRecords = std::move(batch.records);
}

void EventStore::discardPending()
{
    Private &p = *d;
    p.timer->stop();
    p.pendingFirstNewSeq = -1;
    p.pendingRepeats.clear();
    p.pendingPings.clear();
    p.pendingOthers.clear();
    p.pendingRejects.clear();
    p.pendingEvicted = 0;
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
    return d->materialise(d->firstSeq + index, d->records[size_t(index)]);
}

std::optional<EventRecord> EventStore::recordBySeq(qint64 seq) const
{
    if (const StoredRecord *r = d->bySeq(seq))
        return d->materialise(seq, *r);
    return std::nullopt;
}

bool EventStore::containsSeq(qint64 seq) const
{
    return d->bySeq(seq) != nullptr;
}

int EventStore::latestVersion(QByteArrayView breadcrumbId) const
{
    const IdTable::Entry *entry = d->ids.find(view(breadcrumbId));
    return entry ? entry->latestVersion : 0;
}

std::optional<qint64> EventStore::seqOf(QByteArrayView breadcrumbId, qint32 version) const
{
    const IdTable::Entry *entry = d->ids.find(view(breadcrumbId));
    if (!entry)
        return std::nullopt;
    for (qint64 s = entry->newestSeq; s >= d->firstSeq; s = d->prevSameId(s)) {
        if (d->bySeq(s)->version == version)
            return s;
    }
    return std::nullopt;
}

QList<qint64> EventStore::seqsForId(QByteArrayView breadcrumbId) const
{
    QList<qint64> seqs;
    const IdTable::Entry *entry = d->ids.find(view(breadcrumbId));
    if (!entry)
        return seqs;
    for (qint64 s = entry->newestSeq; s >= d->firstSeq; s = d->prevSameId(s))
        seqs.prepend(s);
    return seqs;
}

QList<qint64> EventStore::seqsForSchema(QByteArrayView schemaName) const
{
    const InternPool::Key key = d->schemas.find(view(schemaName));
    return key ? d->bySchema[key].toList() : QList<qint64>();
}

QList<qint64> EventStore::seqsForTag(QByteArrayView tag) const
{
    const InternPool::Key key = d->tags.find(view(tag));
    return key ? d->seqsWithTag(key) : QList<qint64>();
}

QList<QByteArray> EventStore::schemaNames() const
{
    QList<QByteArray> names;
    d->schemas.forEach([&names](InternPool::Key, const QByteArray &text) { names.append(text); });
    return names;
}

qsizetype EventStore::distinctIds() const
{
    return d->ids.size();
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
