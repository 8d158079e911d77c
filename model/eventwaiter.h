#pragma once

#include "model/decoder.h"
#include "model/streamevent.h"
#include "model/waitcriteria.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

namespace rcrt {

class EventWaiter;

// One pending wait. Emits exactly one of matched() or timedOut(), never from inside
// EventWaiter::wait() (a match found in the history is delivered from the event loop), then
// deletes itself later. Deleting it earlier cancels the wait.
class EventWait final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventWait)

public:
    const WaitCriteria &criteria() const { return m_criteria; }
    bool isResolved() const { return m_resolved; }

signals:
    // `breadcrumb` is the decoded payload (SSE event or REST item; `breadcrumb_id` is always
    // set, also for REST items that carry only `id`), `event` the delivery that matched.
    void matched(const QJsonObject &breadcrumb, const rcrt::StreamEvent &event);
    // "Timeout waiting for event: <criteria JSON>", as the EventBridge words it.
    void timedOut(const QString &message);

private:
    friend class EventWaiter;
    EventWait(WaitCriteria criteria, QObject *parent);

    WaitCriteria m_criteria;
    QTimer m_timer;
    bool m_resolved = false;
};

// The wait API (rcrt-protocol.md §5.3, the EventBridge done right). Fed every StreamEvent from
// every source (SSE, backfill, local bus); keeps the last `historySize` breadcrumb events;
// wait() looks through that history newest first, then waits for whatever arrives next. One
// event resolves every waiter it matches.
//
// Cheap when nobody waits: feed() only reads the envelope (simdjson, no allocation once warm)
// to tell breadcrumbs from pings and keeps the raw bytes (shared, not copied). JSON is decoded
// only for events that pass a waiter's schema and tag prefilter.
//
// Single-threaded: use it on the thread that feeds it.
class EventWaiter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventWaiter)

public:
    static constexpr int kDefaultTimeoutMs = 60'000;

    explicit EventWaiter(QObject *parent = nullptr, int historySize = 100);
    ~EventWaiter() override;

    void feed(const StreamEvent &event);
    void feed(const QList<StreamEvent> &events);
    // For a caller that already read the envelope (LocalNode decodes once for all consumers).
    void feed(const StreamEvent &event, const EnvelopeView &envelope);

    // The handle is a child of this waiter; connect to it right away.
    EventWait *wait(const WaitCriteria &criteria, int timeoutMs = kDefaultTimeoutMs);

    // Callback form: `done` gets the breadcrumb, or nullopt on timeout; it is called once, and
    // only while `guard` (may be null) is alive.
    void waitFor(const WaitCriteria &criteria, int timeoutMs, QObject *guard,
                 std::function<void(std::optional<QJsonObject> breadcrumb)> done);

    int pendingCount() const;
    qsizetype historyCount() const { return qsizetype(m_history.size()); }

private:
    static bool prefilter(const WaitCriteria &criteria, const EnvelopeView &envelope);
    std::optional<QJsonObject> decodeMatching(const StreamEvent &event, const WaitCriteria &criteria);
    void resolve(EventWait *wait, const QJsonObject &breadcrumb, const StreamEvent &event);

    int m_historySize;
    std::deque<StreamEvent> m_history; // breadcrumb events only, oldest first
    QList<QPointer<EventWait>> m_waits;
    Decoder m_decoder;
    EnvelopeView m_view;
};

} // namespace rcrt
