#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace rcrt {
class ReplayEngine;
}

namespace rcrt::ui {

// The replay controls (issue 5 item 2): play/pause, step back/forward, speed (0.1× to 100×,
// and as fast as possible), a timeline slider over the recorded arrival times, and the cursor
// time against the session's length. Keys are the main window's (Space, Left/Right, Home/End).
class ReplayBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayBar)

public:
    explicit ReplayBar(ReplayEngine *engine, QWidget *parent = nullptr);
    ~ReplayBar() override;

    // The speeds offered; 0 means as fast as possible.
    static QList<double> speeds();
    static QString speedText(double speed);
    // "00:01:23.456" from a duration in ns.
    static QString durationText(qint64 ns);

    QToolButton *playButton() const { return m_play; }
    QSlider *slider() const { return m_slider; }
    QComboBox *speedBox() const { return m_speed; }
    // "00:00:12.000 / 00:02:00.000 · 1× · 1,234 / 56,789 events"
    QString positionText() const;

public slots:
    // After a load, and whenever the cursor moves.
    void refresh();

signals:
    void positionTextChanged(const QString &text);

private:
    void onSliderMoved(int value);

    QPointer<ReplayEngine> m_engine;
    QToolButton *m_play = nullptr;
    QToolButton *m_back = nullptr;
    QToolButton *m_forward = nullptr;
    QToolButton *m_start = nullptr;
    QToolButton *m_end = nullptr;
    QComboBox *m_speed = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_time = nullptr;
};

} // namespace rcrt::ui
