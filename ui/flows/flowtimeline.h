#pragma once

#include "model/flowentities.h"
#include "ui/flows/timelinelayout.h"

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWidget>

class QPainter;

namespace rcrt {
class FlowTracker;
}

namespace rcrt::ui {

// A Gantt-style timeline of tool requests (issue 3 item 4), in the manner of Jaeger's trace view:
// one swimlane per tool, one bar per request from its creation to its first response's creation
// (server clock). A request without a response extends to "now" (its age on the console
// clock); whatever lies past the requester's timeout is drawn hatched red, for open and late
// bars alike. Errors are red.
//
// Wheel zooms around the pointer, dragging pans (and scrolls the lanes), double-click fits
// everything. Follow-now keeps "now" at the right edge at the current zoom; panning turns it
// off. Clicking a bar selects its flow and emits flowActivated. Tooltips show the tool,
// request id, state and round trip.
//
// The maths lives in TimelineLayout and packTimelineBars (unit-tested); this class keeps the
// bars in step with the FlowTracker and paints.
class FlowTimeline final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlowTimeline)

public:
    explicit FlowTimeline(FlowTracker *tracker, QWidget *parent = nullptr);
    ~FlowTimeline() override;

    const TimelineLayout &timelineLayout() const;
    QList<TimelineBar> bars() const;      // packed: lane and row assigned
    QStringList lanes() const { return m_lanes; } // the tool of each lane, in lane order
    bool followNow() const { return m_follow; }
    QByteArray selectedFlow() const { return m_selected; }
    QByteArray barAt(const QPointF &pos) const; // empty when no bar is there

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void setFollowNow(bool on);
    void fitAll();
    void setSelectedFlow(const QByteArray &breadcrumbId);

signals:
    void flowActivated(const QByteArray &breadcrumbId);
    void followNowChanged(bool on);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void reloadAll();
    void applyChanges(const FlowChanges &changes);
    void upsertBar(const QByteArray &key);
    void extendOpenBars() const;
    void onTick();
    int laneFor(const QString &tool);
    void ensurePacked() const;
    // Packs if needed, grows open bars to now and, when following, moves the view to now.
    void prepare() const;
    void updatePlotRect();
    QString toolTipFor(const QByteArray &key) const;
    void paintAxis(QPainter &p) const;
    void paintLanes(QPainter &p) const;
    void paintBars(QPainter &p) const;
    void paintNow(QPainter &p) const;

    QPointer<FlowTracker> m_tracker;
    mutable TimelineLayout m_layout;
    QHash<QByteArray, TimelineBar> m_bars;       // by request key, lane set, rows not yet packed
    mutable QList<TimelineBar> m_packed;
    mutable QList<bool> m_laneOverflowed; // its last row holds overlapping bars: no labels there
    mutable bool m_packDirty = true;
    QStringList m_lanes;
    QHash<QString, int> m_laneIndex;
    bool m_follow = true;
    QByteArray m_selected;
    QPointF m_pressPos;
    QPointF m_lastPos;
    bool m_dragging = false;
    QTimer m_tick;
};

} // namespace rcrt::ui
