#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QSplitter;
class QToolButton;
class QTreeView;

namespace rcrt {
class FlowTracker;
struct FlowChanges;
} // namespace rcrt

namespace rcrt::ui {

class FlowTimeline;
class FlowTreeModel;

// The Flows view (issue 3 item 4): the flow tree above, the timeline below, in a splitter.
//
// Shares the FlowTracker the main window owns (the pending view reads the same one); the
// tracker is fed with FlowTracker::addBatch. Selecting a row highlights its bar and clicking a
// bar selects its row; double-clicking a row or clicking a bar emits breadcrumbActivated for the
// inspector. New flows are added at the bottom of the tree, which keeps them in view while it
// is scrolled to the end; small trees are shown expanded.
class FlowsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlowsView)

public:
    explicit FlowsView(FlowTracker *tracker, QWidget *parent = nullptr);
    ~FlowsView() override;

    FlowTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    FlowTimeline *timeline() const { return m_timeline; }
    QSplitter *splitter() const { return m_splitter; }

public slots:
    // Selects the flow row of a breadcrumb (a request, response or agent response) and its bar.
    void selectFlow(const QByteArray &breadcrumbId);

signals:
    void breadcrumbActivated(const QByteArray &breadcrumbId);

private:
    void onCurrentChanged();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void updateSummary();

    QPointer<FlowTracker> m_tracker;
    FlowTreeModel *m_model = nullptr;
    QTreeView *m_tree = nullptr;
    FlowTimeline *m_timeline = nullptr;
    QSplitter *m_splitter = nullptr;
    QToolButton *m_follow = nullptr;
    QLabel *m_summary = nullptr;
    bool m_treeAtBottom = true; // follow the newest flows while the user has not scrolled up
};

} // namespace rcrt::ui
