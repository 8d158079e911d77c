#include "ui/replay/replaybar.h"

#include "app/replayengine.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

namespace rcrt::ui {

namespace {
constexpr qint64 kMsNs = 1'000'000;
} // namespace

ReplayBar::ReplayBar(ReplayEngine *engine, QWidget *parent) : QWidget(parent), m_engine(engine)
{
    setObjectName(QStringLiteral("replayBar"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    const auto button = [this, layout](QStyle::StandardPixmap icon, const QString &tip) {
        auto *b = new QToolButton(this);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        b->setAutoRaise(true);
        layout->addWidget(b);
        return b;
    };
    m_start = button(QStyle::SP_MediaSkipBackward, tr("To the start (Home)"));
    m_back = button(QStyle::SP_MediaSeekBackward, tr("Step back one event (Left)"));
    m_play = button(QStyle::SP_MediaPlay, tr("Play / pause (Space)"));
    m_forward = button(QStyle::SP_MediaSeekForward, tr("Step to the next event (Right)"));
    m_end = button(QStyle::SP_MediaSkipForward, tr("To the end (End)"));

    m_speed = new QComboBox(this);
    m_speed->setToolTip(tr("Replay speed: recorded arrival gaps divided by this"));
    for (double s : speeds())
        m_speed->addItem(speedText(s), s);
    m_speed->setCurrentIndex(int(speeds().indexOf(1.0)));
    m_speed->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(m_speed);

    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setToolTip(tr("Timeline: drag to seek (recorded arrival time)"));
    m_slider->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(m_slider, 1);
    m_time = new QLabel(this);
    m_time->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_time);

    connect(m_start, &QToolButton::clicked, engine, &ReplayEngine::seekToStart);
    connect(m_back, &QToolButton::clicked, engine, &ReplayEngine::stepBack);
    connect(m_play, &QToolButton::clicked, engine, &ReplayEngine::togglePlay);
    connect(m_forward, &QToolButton::clicked, engine, &ReplayEngine::stepForward);
    connect(m_end, &QToolButton::clicked, engine, &ReplayEngine::seekToEnd);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_engine->setSpeed(m_speed->itemData(index).toDouble()); });
    connect(m_slider, &QSlider::valueChanged, this, &ReplayBar::onSliderMoved);
    connect(engine, &ReplayEngine::cursorMoved, this, &ReplayBar::refresh);
    connect(engine, &ReplayEngine::loaded, this, &ReplayBar::refresh);
    connect(engine, &ReplayEngine::playingChanged, this, &ReplayBar::refresh);
    connect(engine, &ReplayEngine::speedChanged, this, [this](double speed) {
        const QSignalBlocker blocker(m_speed);
        m_speed->setCurrentIndex(m_speed->findData(speed));
        refresh();
    });
    refresh();
}

ReplayBar::~ReplayBar() = default;

QList<double> ReplayBar::speeds()
{
    return {0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 0.0};
}

QString ReplayBar::speedText(double speed)
{
    if (speed <= 0)
        return tr("As fast as possible");
    return QStringLiteral("%1\u00d7").arg(QLocale().toString(speed, 'g', 3));
}

QString ReplayBar::durationText(qint64 ns)
{
    const qint64 ms = std::max<qint64>(0, ns / kMsNs);
    return QStringLiteral("%1:%2:%3.%4")
        .arg(ms / 3'600'000, 2, 10, QLatin1Char('0'))
        .arg(ms / 60'000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

QString ReplayBar::positionText() const
{
    const ReplaySession *s = m_engine ? m_engine->session() : nullptr;
    if (!s)
        return {};
    const QLocale locale;
    return tr("%1 / %2 \u00b7 %3 \u00b7 %4 / %5 events")
        .arg(durationText(m_engine->cursor() == 0 ? 0 : m_engine->cursorTimeNs() - s->firstArrivalNs()),
             durationText(s->lastArrivalNs() - s->firstArrivalNs()), speedText(m_engine->speed()),
             locale.toString(m_engine->cursor()), locale.toString(s->eventCount()));
}

void ReplayBar::refresh()
{
    const ReplaySession *s = m_engine ? m_engine->session() : nullptr;
    setEnabled(s != nullptr);
    const bool playing = m_engine && m_engine->isPlaying();
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_play->setText(playing ? tr("Pause") : tr("Play"));
    {
        const QSignalBlocker blocker(m_slider);
        if (s) {
            const qint64 spanMs = (s->lastArrivalNs() - s->firstArrivalNs()) / kMsNs;
            // One step per event when the session is shorter (in ms) than it has events.
            m_slider->setRange(0, int(std::min<qint64>(std::max(spanMs, s->eventCount()), 1 << 30)));
            m_slider->setValue(int(m_engine->cursor() == 0 ? 0
                                       : double(m_engine->cursorTimeNs() - s->firstArrivalNs())
                                             / double(std::max<qint64>(1, s->lastArrivalNs() - s->firstArrivalNs()))
                                             * m_slider->maximum()));
        } else {
            m_slider->setRange(0, 0);
        }
    }
    const QString text = positionText();
    m_time->setText(text);
    emit positionTextChanged(text);
}

void ReplayBar::onSliderMoved(int value)
{
    const ReplaySession *s = m_engine ? m_engine->session() : nullptr;
    if (!s || m_slider->maximum() <= 0)
        return;
    if (value == 0)
        return m_engine->seek(0);
    const double fraction = double(value) / m_slider->maximum();
    m_engine->seekToTime(s->firstArrivalNs() + qint64(fraction * double(s->lastArrivalNs() - s->firstArrivalNs())));
}

} // namespace rcrt::ui
