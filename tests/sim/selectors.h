#pragma once

#include "breadcrumb.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QUuid>

#include <optional>

namespace rcrt::sim {

struct ContextMatch
{
    QByteArray path;
    QByteArray op;
    QJsonValue value;
};

// A server-side subscription selector (rcrt-protocol.md §1.4).
struct Selector
{
    std::optional<QByteArrayList> anyTags;
    std::optional<QByteArrayList> allTags;
    std::optional<QByteArray> schemaName;
    std::optional<QList<ContextMatch>> contextMatch;

    bool needsContext() const { return contextMatch && !contextMatch->isEmpty(); }
    // contextObject: the parsed context, only looked at when needsContext().
    bool matches(const Breadcrumb &breadcrumb, const QJsonValue &context) const;
};

struct SelectorSubscription
{
    QUuid id;
    QUuid owner;
    QUuid agent;
    Selector selector;
};

// Parses a Selector body; on failure returns nullopt and a serde-like message.
std::optional<Selector> parseSelector(const QJsonValue &body, QByteArray &error);
QByteArray selectorSubscriptionJson(const SelectorSubscription &subscription);

class SelectorRegistry
{
public:
    void add(const SelectorSubscription &subscription) { m_all.append(subscription); }
    QList<SelectorSubscription> forAgent(const QUuid &owner, const QUuid &agent) const;
    bool isEmpty() const { return m_all.isEmpty(); }
    // Fan-out of one write: for every agent, how many of the writer owner's selectors match.
    QHash<QUuid, int> matchCounts(const Breadcrumb &breadcrumb, const QUuid &writerOwner) const;

private:
    QList<SelectorSubscription> m_all;
};

} // namespace rcrt::sim
