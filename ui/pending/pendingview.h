#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QSpinBox;
class QTableView;

namespace rcrt {
class FlowTracker;
}

namespace rcrt::ui {

class PendingFilterProxy;
class PendingModel;

// Pending tool requests (issue 3 item 5): a table of requests with age, countdown, state and
// hint; a "Show answered" toggle (off: open requests and recent problems only); the requester's
// timeout; and a count line ("2 pending · 1 timed out · 1 error in 10 min").
//
// Shares the main window's FlowTracker (fed with FlowTracker::addBatch). Double-clicking a row
// emits breadcrumbActivated with the request's breadcrumb id.
class PendingView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PendingView)

public:
    explicit PendingView(FlowTracker *tracker, QWidget *parent = nullptr);
    ~PendingView() override;

    PendingModel *model() const { return m_model; }
    PendingFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QString countText() const;

    bool showAnswered() const;

public slots:
    void setShowAnswered(bool on);
    void setTimeoutSeconds(int seconds);

signals:
    void breadcrumbActivated(const QByteArray &breadcrumbId);

private:
    void updateCounts();

    QPointer<FlowTracker> m_tracker;
    PendingModel *m_model = nullptr;
    PendingFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_showAnswered = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_counts = nullptr;
    QTimer m_countsTimer; // the count line is refreshed at most 4 times a second
};

} // namespace rcrt::ui
