#include "model/eventwaiter.h"

#include <QJsonDocument>

#include <string_view>

namespace rcrt {

namespace {

std::string_view view(const QByteArray &utf8)
{
    return std::string_view(utf8.constData(), size_t(utf8.size()));
}

} // namespace

EventWait::EventWait(WaitCriteria criteria, QObject *parent)
    : QObject(parent)
    , m_criteria(std::move(criteria))
{
    m_timer.setSingleShot(true);
}

EventWaiter::EventWaiter(QObject *parent, int historySize)
    : QObject(parent)
    , m_historySize(std::max(0, historySize))
{
}

EventWaiter::~EventWaiter() = default;

void EventWaiter::feed(const QList<StreamEvent> &events)
{
    for (const StreamEvent &event : events)
        feed(event);
}

void EventWaiter::feed(const StreamEvent &event)
{
    if (m_decoder.decodeView(event.raw, m_view))
        feed(event, m_view);
}

void EventWaiter::feed(const StreamEvent &event, const EnvelopeView &envelope)
{
    if (envelope.kind != Envelope::Kind::Breadcrumb)
        return;
    if (m_historySize > 0) {
        m_history.push_back(event);
        if (qsizetype(m_history.size()) > m_historySize)
            m_history.pop_front();
    }
    if (m_waits.isEmpty())
        return;

    // Decode at most once per event, and only when some waiter's prefilter passes.
    std::optional<QJsonObject> decoded;
    bool decodeFailed = false;
    const QList<QPointer<EventWait>> waits = m_waits; // a handler may add or cancel waits
    std::vector<QPointer<EventWait>> hits;
    for (const QPointer<EventWait> &w : waits) {
        if (!w || w->m_resolved || !prefilter(w->m_criteria, envelope))
            continue;
        if (!decoded && !decodeFailed) {
            const QJsonDocument doc = QJsonDocument::fromJson(event.raw);
            decodeFailed = !doc.isObject();
            if (!decodeFailed) {
                QJsonObject o = doc.object();
                if (!o.contains(QLatin1StringView("breadcrumb_id")))
                    o.insert(QStringLiteral("breadcrumb_id"), o.value(QLatin1StringView("id")));
                decoded = std::move(o);
            }
        }
        if (decoded && w->m_criteria.matches(*decoded))
            hits.push_back(w);
    }
    for (const QPointer<EventWait> &w : hits)
        if (w && !w->m_resolved)
            resolve(w, *decoded, event);
}

bool EventWaiter::prefilter(const WaitCriteria &criteria, const EnvelopeView &envelope)
{
    if (!criteria.schemaName.isEmpty()) {
        if (!envelope.hasSchema || view(criteria.schemaName.toUtf8()) != envelope.schemaName)
            return false;
    }
    for (const QString &tag : criteria.tags) {
        const QByteArray t = tag.toUtf8();
        bool found = false;
        for (std::string_view have : envelope.tags) {
            if (have == view(t)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    if ((!criteria.requestId.isEmpty() || !criteria.contextMatch.isEmpty()) && !envelope.hasContext)
        return false;
    return true;
}

std::optional<QJsonObject> EventWaiter::decodeMatching(const StreamEvent &event, const WaitCriteria &criteria)
{
    if (!m_decoder.decodeView(event.raw, m_view) || !prefilter(criteria, m_view))
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(event.raw);
    if (!doc.isObject())
        return std::nullopt;
    QJsonObject o = doc.object();
    if (!o.contains(QLatin1StringView("breadcrumb_id")))
        o.insert(QStringLiteral("breadcrumb_id"), o.value(QLatin1StringView("id")));
    if (!criteria.matches(o))
        return std::nullopt;
    return o;
}

EventWait *EventWaiter::wait(const WaitCriteria &criteria, int timeoutMs)
{
    auto *w = new EventWait(criteria, this);
    for (auto it = m_history.rbegin(); it != m_history.rend(); ++it) {
        if (auto breadcrumb = decodeMatching(*it, criteria)) {
            // Delivered from the event loop, so the caller can connect first.
            w->m_resolved = true;
            const StreamEvent event = *it;
            QMetaObject::invokeMethod(
                w,
                [w, b = *breadcrumb, event] {
                    emit w->matched(b, event);
                    w->deleteLater();
                },
                Qt::QueuedConnection);
            return w;
        }
    }
    m_waits.append(QPointer<EventWait>(w));
    connect(&w->m_timer, &QTimer::timeout, w, [this, w] {
        if (w->m_resolved)
            return;
        w->m_resolved = true;
        m_waits.removeAll(QPointer<EventWait>(w));
        const QByteArray json = QJsonDocument(w->m_criteria.toJson()).toJson(QJsonDocument::Compact);
        emit w->timedOut(QStringLiteral("Timeout waiting for event: %1").arg(QString::fromUtf8(json)));
        w->deleteLater();
    });
    connect(w, &QObject::destroyed, this, [this] { m_waits.removeAll(QPointer<EventWait>()); });
    w->m_timer.start(std::max(0, timeoutMs));
    return w;
}

void EventWaiter::resolve(EventWait *w, const QJsonObject &breadcrumb, const StreamEvent &event)
{
    w->m_resolved = true;
    w->m_timer.stop();
    m_waits.removeAll(QPointer<EventWait>(w));
    emit w->matched(breadcrumb, event);
    w->deleteLater();
}

void EventWaiter::waitFor(const WaitCriteria &criteria, int timeoutMs, QObject *guard,
                          std::function<void(std::optional<QJsonObject>)> done)
{
    EventWait *w = wait(criteria, timeoutMs);
    QPointer<QObject> g(guard);
    const bool guarded = guard != nullptr;
    auto call = [g, guarded, done](std::optional<QJsonObject> result) {
        if (guarded && !g)
            return;
        done(std::move(result));
    };
    connect(w, &EventWait::matched, w, [call](const QJsonObject &b, const StreamEvent &) { call(b); });
    connect(w, &EventWait::timedOut, w, [call](const QString &) { call(std::nullopt); });
    if (guard)
        connect(guard, &QObject::destroyed, w, [w] { w->deleteLater(); });
}

int EventWaiter::pendingCount() const
{
    int n = 0;
    for (const QPointer<EventWait> &w : m_waits)
        if (w && !w->m_resolved)
            ++n;
    return n;
}

} // namespace rcrt
