#include "ui/flows/flowtimeline.h"

#include "model/flowtracker.h"
#include "ui/flows/flowstyle.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QTimeZone>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rcrt::ui {

namespace {

constexpr qint64 kMs = 1'000'000;
constexpr qint64 kDefaultSpanNs = 60'000 * kMs;
constexpr int kTickFollowingMs = 250;
constexpr int kTickIdleMs = 1000;
constexpr double kDragThresholdPx = 4;
constexpr double kGutterPx = 150;
constexpr double kAxisPx = 26;
// Open requests never end, so each needs its own row; past this many, a lane's last row is shared
// (and the lanes can be scrolled by dragging).
constexpr int kMaxRowsPerLane = 10;

} // namespace

FlowTimeline::FlowTimeline(FlowTracker *tracker, QWidget *parent)
    : QWidget(parent), m_tracker(tracker)
{
    Q_ASSERT(tracker);
    setMouseTracking(false);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_layout.viewEndNs = tracker->now();
    m_layout.viewStartNs = m_layout.viewEndNs - kDefaultSpanNs;
    // Ticks on local wall-clock boundaries (whole hours, minutes) rather than UTC ones.
    m_layout.tickOriginNs = -qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000 * kMs;

    connect(tracker, &FlowTracker::flowsChanged, this, &FlowTimeline::applyChanges);
    connect(tracker, &FlowTracker::flowsReset, this, &FlowTimeline::reloadAll);
    connect(tracker, &FlowTracker::optionsChanged, this, &FlowTimeline::reloadAll);
    connect(&m_tick, &QTimer::timeout, this, &FlowTimeline::onTick);
    m_tick.start(kTickFollowingMs);
    reloadAll();
}

FlowTimeline::~FlowTimeline() = default;

const TimelineLayout &FlowTimeline::timelineLayout() const
{
    prepare();
    return m_layout;
}

QList<TimelineBar> FlowTimeline::bars() const
{
    prepare();
    return m_packed;
}

void FlowTimeline::prepare() const
{
    ensurePacked();
    extendOpenBars();
    if (m_follow && m_tracker)
        m_layout.follow(m_tracker->now());
}

QSize FlowTimeline::sizeHint() const
{
    return {900, 320};
}

QSize FlowTimeline::minimumSizeHint() const
{
    return {360, 120};
}

void FlowTimeline::setFollowNow(bool on)
{
    if (m_follow == on)
        return;
    m_follow = on;
    m_tick.setInterval(on ? kTickFollowingMs : kTickIdleMs);
    if (on && m_tracker)
        m_layout.follow(m_tracker->now());
    update();
    emit followNowChanged(on);
}

void FlowTimeline::fitAll()
{
    prepare();
    if (m_packed.isEmpty())
        return;
    qint64 first = std::numeric_limits<qint64>::max();
    qint64 last = std::numeric_limits<qint64>::min();
    for (const TimelineBar &bar : std::as_const(m_packed)) {
        first = std::min(first, bar.startNs);
        last = std::max(last, bar.endNs);
    }
    setFollowNow(false);
    m_layout.fit(first, last);
    update();
}

void FlowTimeline::setSelectedFlow(const QByteArray &breadcrumbId)
{
    if (m_selected == breadcrumbId)
        return;
    m_selected = breadcrumbId;
    update();
}

QByteArray FlowTimeline::barAt(const QPointF &pos) const
{
    prepare();
    if (!m_layout.plot.contains(pos))
        return {};
    // Later bars paint over earlier ones: the topmost hit wins.
    for (auto it = m_packed.crbegin(); it != m_packed.crend(); ++it)
        if (m_layout.barRect(*it).adjusted(-1, -1, 1, 1).contains(pos))
            return it->key;
    return {};
}

int FlowTimeline::laneFor(const QString &tool)
{
    const QString name = tool.isEmpty() ? tr("(no tool)") : tool;
    const auto it = m_laneIndex.constFind(name);
    if (it != m_laneIndex.cend())
        return it.value();
    m_lanes.append(name);
    m_laneIndex.insert(name, int(m_lanes.size()) - 1);
    return int(m_lanes.size()) - 1;
}

void FlowTimeline::upsertBar(const QByteArray &key)
{
    const FlowRequest *r = m_tracker->request(key);
    if (!r) {
        m_bars.remove(key);
        return;
    }
    const RequestStatus st = m_tracker->requestStatus(*r);
    TimelineBar bar;
    bar.key = key;
    bar.lane = laneFor(r->tool);
    bar.startNs = r->createdNs;
    bar.open = st.roundTripMs < 0;
    bar.ageAnchorNs = pending::ageAnchorNs(*r);
    bar.endNs = bar.startNs + (bar.open ? st.ageMs : st.roundTripMs) * kMs;
    bar.timeoutAtNs = bar.startNs + st.timeoutMs * kMs;
    bar.state = st.state;
    m_bars.insert(key, bar);
}

void FlowTimeline::extendOpenBars() const
{
    if (!m_tracker)
        return;
    const qint64 now = m_tracker->now();
    for (TimelineBar &bar : m_packed)
        extendOpenBar(bar, now);
}

void FlowTimeline::reloadAll()
{
    m_bars.clear();
    m_lanes.clear();
    m_laneIndex.clear();
    if (m_tracker) {
        const QList<QByteArray> keys = m_tracker->requestKeys();
        for (const QByteArray &key : keys)
            upsertBar(key);
    }
    m_packDirty = true;
    update();
}

void FlowTimeline::applyChanges(const FlowChanges &changes)
{
    for (const QByteArray &key : changes.removed)
        m_bars.remove(key);
    // addedRequests keeps first-seen order, so lanes appear in the order tools were first used.
    for (const QByteArray &key : changes.addedRequests)
        upsertBar(key);
    for (const QByteArray &key : changes.touched)
        if (m_tracker->entityKind(key) == FlowEntity::Request)
            upsertBar(key);
    m_packDirty = true;
    update();
}

void FlowTimeline::onTick()
{
    if (!isVisible() || !m_tracker)
        return;
    // Open bars grow and a following view moves at paint time (prepare).
    update();
}

void FlowTimeline::ensurePacked() const
{
    if (!m_packDirty)
        return;
    m_packed = m_bars.values();
    m_layout.laneRows = packTimelineBars(m_packed, int(m_lanes.size()), kMaxRowsPerLane, &m_laneOverflowed);
    m_layout.clampScroll();
    m_packDirty = false;
}

void FlowTimeline::updatePlotRect()
{
    m_layout.plot = QRectF(kGutterPx, kAxisPx, std::max(1.0, width() - kGutterPx - 10), std::max(1.0, height() - kAxisPx - 2));
    m_layout.clampScroll();
}

void FlowTimeline::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updatePlotRect();
}

bool FlowTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QByteArray key = barAt(help->pos());
        if (key.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), toolTipFor(key), this);
        return true;
    }
    return QWidget::event(event);
}

QString FlowTimeline::toolTipFor(const QByteArray &key) const
{
    const FlowRequest *r = m_tracker ? m_tracker->request(key) : nullptr;
    if (!r)
        return {};
    const RequestStatus st = m_tracker->requestStatus(*r);
    QString tip = QStringLiteral("<b>%1</b>").arg(r->tool.toHtmlEscaped());
    if (!r->stepId.isEmpty())
        tip += tr(" (step %1)").arg(QString::fromUtf8(r->stepId).toHtmlEscaped());
    tip += QStringLiteral("<br>") + tr("Request id: %1").arg(QString::fromUtf8(r->correlationId).toHtmlEscaped());
    tip += QStringLiteral("<br>") + tr("State: %1").arg(pending::stateName(st.state));
    tip += QStringLiteral("<br>")
        + (st.roundTripMs >= 0 ? tr("Round trip: %1").arg(formatDurationMs(st.roundTripMs))
                               : tr("Waiting: %1 of %2").arg(formatDurationMs(st.ageMs), formatDurationMs(st.timeoutMs)));
    tip += QStringLiteral("<br>") + tr("Created: %1").arg(formatClockNs(r->createdNs));
    if (st.hints)
        tip += QStringLiteral("<br><i>%1</i>").arg(pending::hintText(st.hints, *r, m_tracker->pendingOptions()).toHtmlEscaped());
    return tip;
}

void FlowTimeline::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (steps == 0 || !m_tracker) {
        event->ignore();
        return;
    }
    // 120 units (one notch) zoom by 1.25.
    m_layout.zoom(std::pow(1.25, steps / 120.0), m_follow ? m_layout.xForTime(m_tracker->now()) : event->position().x());
    event->accept();
    update();
}

void FlowTimeline::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressPos = m_lastPos = event->position();
    m_dragging = false;
}

void FlowTimeline::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton))
        return;
    const QPointF pos = event->position();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() < kDragThresholdPx)
        return;
    if (!m_dragging) {
        m_dragging = true;
        setCursor(Qt::ClosedHandCursor);
    }
    setFollowNow(false);
    m_layout.pan(pos.x() - m_lastPos.x(), pos.y() - m_lastPos.y());
    m_lastPos = pos;
    update();
}

void FlowTimeline::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (m_dragging) {
        m_dragging = false;
        unsetCursor();
        return;
    }
    const QByteArray key = barAt(event->position());
    if (key.isEmpty())
        return;
    setSelectedFlow(key);
    emit flowActivated(key);
}

void FlowTimeline::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (barAt(event->position()).isEmpty())
        fitAll();
}

void FlowTimeline::keyPressEvent(QKeyEvent *event)
{
    const double centre = m_layout.plot.center().x();
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_layout.zoom(1.5, centre);
        break;
    case Qt::Key_Minus:
        m_layout.zoom(1 / 1.5, centre);
        break;
    case Qt::Key_Left:
        setFollowNow(false);
        m_layout.pan(m_layout.plot.width() / 5, 0);
        break;
    case Qt::Key_Right:
        setFollowNow(false);
        m_layout.pan(-m_layout.plot.width() / 5, 0);
        break;
    case Qt::Key_F:
        fitAll();
        break;
    case Qt::Key_End:
        setFollowNow(true);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    update();
}

} // namespace rcrt::ui
