#include "breadcrumbwriter.h"

#include "breadcrumbstore.h"
#include "breadcrumbviews.h"
#include "eventhub.h"
#include "fastrandom.h"
#include "selectors.h"
#include "timestamps.h"

namespace rcrt::sim {
namespace {

constexpr qint64 kMinute = 60LL * 1000000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

bool anyTagContains(const QByteArrayList &tags, QByteArrayView part)
{
    for (const QByteArray &tag : tags)
        if (tag.contains(part))
            return true;
    return false;
}

} // namespace

BreadcrumbWriter::BreadcrumbWriter(BreadcrumbStore &store, SelectorRegistry &selectors, EventHub &hub)
    : m_store(store), m_selectors(selectors), m_hub(hub), m_idSource([] { return QUuid::createUuid(); })
{
}

std::optional<qint64> BreadcrumbWriter::automaticTtl(const NewBreadcrumb &f, qint64 now)
{
    // hygiene.rs apply_auto_ttl (rcrt-protocol.md §4.5).
    const QByteArray schema = f.schemaName.value_or(QByteArray());
    if (schema == "tool.request.v1" && anyTagContains(f.tags, "health:check"))
        return now + 5 * kMinute;
    if (schema == "system.ping.v1")
        return now + 10 * kMinute;
    if (schema.contains("agent.temp"))
        return now + kHour;
    if (schema == "agent.thinking.v1" || schema == "agent.analysis.v1")
        return now + 6 * kHour;
    if ((schema == "tool.response.v1" || schema == "tool.error.v1") && anyTagContains(f.tags, "log:"))
        return now + 7 * kDay;
    if (schema.contains("metrics.v1"))
        return now + 30 * kDay;
    return std::nullopt;
}

const Breadcrumb &BreadcrumbWriter::create(const Identity &writer, NewBreadcrumb f)
{
    const qint64 now = nowMicros();
    auto row = std::make_unique<Breadcrumb>();
    row->id = m_idSource();
    row->idText = uuidText(row->id);
    row->owner = writer.owner;
    row->title = std::move(f.title);
    row->description = std::move(f.description);
    row->semanticVersion = std::move(f.semanticVersion);
    row->ttl = f.ttl ? f.ttl : automaticTtl(f, now);
    row->context = std::move(f.context);
    row->tags = std::move(f.tags);
    row->schemaName = std::move(f.schemaName);
    row->llmHints = std::move(f.llmHints);
    row->visibility = f.visibility.value_or(Visibility::Team);
    row->sensitivity = f.sensitivity.value_or(Sensitivity::Low);
    row->version = 1;
    row->createdAt = row->updatedAt = now;
    row->createdBy = row->updatedBy = writer.agent;
    const Breadcrumb &stored = *m_store.insert(std::move(row));
    publish(stored, true, writer);
    return stored;
}

BreadcrumbWriter::PatchOutcome BreadcrumbWriter::patch(const Identity &writer, const QUuid &id,
                                                       BreadcrumbPatch p, std::optional<int> ifMatch)
{
    Breadcrumb *row = m_store.find(id);
    if (!row || row->owner != writer.owner)
        return PatchOutcome::NotFound;
    if (ifMatch && *ifMatch != row->version)
        return PatchOutcome::VersionMismatch;
    // history keeps superseded versions; the current one is the row itself.
    row->history.append(HistoryEntry{row->version, row->context, row->updatedAt, row->updatedBy});
    const qint64 previousUpdatedAt = row->updatedAt;
    const quint64 previousSeq = row->orderSeq;
    if (p.title)
        row->title = std::move(*p.title);
    if (p.description)
        row->description = std::move(*p.description);
    if (p.semanticVersion)
        row->semanticVersion = std::move(*p.semanticVersion);
    if (p.context)
        row->context = std::move(*p.context);
    if (p.tags)
        row->tags = std::move(*p.tags);
    if (p.schemaName)
        row->schemaName = std::move(*p.schemaName);
    if (p.llmHints)
        row->llmHints = std::move(*p.llmHints);
    if (p.visibility)
        row->visibility = *p.visibility;
    if (p.sensitivity)
        row->sensitivity = *p.sensitivity;
    if (p.ttl)
        row->ttl = p.ttl;
    row->version += 1;
    row->updatedAt = nowMicros();
    row->updatedBy = writer.agent;
    m_store.reindex(row, previousUpdatedAt, previousSeq);
    publish(*row, false, writer);
    return PatchOutcome::Ok;
}

bool BreadcrumbWriter::remove(const Identity &writer, const QUuid &id)
{
    const Breadcrumb *row = m_store.find(id);
    if (!row || row->owner != writer.owner)
        return false;
    return m_store.remove(id);
}

void BreadcrumbWriter::publish(const Breadcrumb &breadcrumb, bool created, const Identity &writer)
{
    ++m_writes;
    const QByteArray frame = eventFrame(breadcrumb, created, writer.owner);
    const QHash<QUuid, int> counts = m_selectors.isEmpty()
        ? QHash<QUuid, int>()
        : m_selectors.matchCounts(breadcrumb, writer.owner);
    m_hub.publish(frame, writer.owner, counts);
    if (m_listeners.empty())
        return;
    const WriteEvent event{&breadcrumb, created, writer.owner, writer.agent};
    for (const auto &listener : m_listeners)
        listener(event);
}

} // namespace rcrt::sim
