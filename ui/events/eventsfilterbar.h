#pragma once

#include "model/eventquery.h"

#include <QByteArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace rcrt::ui {

// The bar above the events table: query line edit (debounced), schema combo, Follow tail,
// Pause and Clear, and the parse error (red) under it. It only parses and reports; the view
// applies. An invalid query is reported and filters nothing (queryChanged with an empty query).
class EventsFilterBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsFilterBar)

public:
    static constexpr int kDebounceMs = 200;

    explicit EventsFilterBar(QWidget *parent = nullptr);

    QLineEdit *queryEdit() const { return m_query; }
    QComboBox *schemaCombo() const { return m_schema; }
    QToolButton *followButton() const { return m_follow; }
    QToolButton *pauseButton() const { return m_pause; }
    QToolButton *clearButton() const { return m_clear; }

    // Empty when the current text parses.
    QString errorText() const;
    QByteArray schemaFilter() const;

public slots:
    void setQueryText(const QString &text); // applied after the debounce, as if typed
    void applyQueryNow();
    void focusQuery();
    void addSchema(const QByteArray &schemaName); // kept sorted; no duplicates
    void clearSchemas();
    void setFollowTail(bool on); // reflects the state; no signal back
    void setPaused(bool paused, qsizetype buffered = 0);

signals:
    void queryChanged(const rcrt::EventQuery &query);
    void schemaFilterChanged(const QByteArray &schemaName);
    void followTailToggled(bool on);
    void pauseToggled(bool paused);
    void clearRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLineEdit *m_query = nullptr;
    QComboBox *m_schema = nullptr;
    QToolButton *m_follow = nullptr;
    QToolButton *m_pause = nullptr;
    QToolButton *m_clear = nullptr;
    QLabel *m_error = nullptr;
    QTimer *m_debounce = nullptr;
};

} // namespace rcrt::ui
