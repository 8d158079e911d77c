#include "ui/events/eventsfilterbar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

QToolButton *makeButton(const QString &text, const QString &toolTip, bool checkable, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(checkable);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setAutoRaise(false);
    return button;
}

} // namespace

EventsFilterBar::EventsFilterBar(QWidget *parent)
    : QWidget(parent)
    , m_query(new QLineEdit(this))
    , m_schema(new QComboBox(this))
    , m_follow(makeButton(tr("Follow tail"), tr("Keep the newest row in view (End)"), true, this))
    , m_pause(makeButton(tr("Pause"), tr("Freeze the table; new events are buffered (Space)"), true, this))
    , m_clear(makeButton(tr("Clear"), tr("Remove every row from the table"), false, this))
    , m_error(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_query->setPlaceholderText(QStringLiteral("schema:tool.* tag:workspace:tools lag>1s"));
    m_query->setClearButtonEnabled(true);
    m_query->setToolTip(tr("Filter: schema:GLOB tag:GLOB id:PREFIX source:sse lag>1s version>1 "
                           "created updated -TERM \"free text\" (Ctrl+F; Esc clears)"));
    m_query->installEventFilter(this);

    m_schema->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_schema->setMinimumContentsLength(14);
    m_schema->addItem(tr("All schemas"), QByteArray());
    m_schema->setToolTip(tr("Show one schema only"));

    m_error->setVisible(false);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d32f2f;"));

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);
    row->addWidget(m_query, 1);
    row->addWidget(m_schema);
    row->addWidget(m_follow);
    row->addWidget(m_pause);
    row->addWidget(m_clear);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addLayout(row);
    column->addWidget(m_error);

    connect(m_query, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &EventsFilterBar::applyQueryNow);
    connect(m_schema, &QComboBox::currentIndexChanged, this,
            [this] { emit schemaFilterChanged(schemaFilter()); });
    connect(m_follow, &QToolButton::toggled, this, &EventsFilterBar::followTailToggled);
    connect(m_pause, &QToolButton::toggled, this, &EventsFilterBar::pauseToggled);
    connect(m_clear, &QToolButton::clicked, this, &EventsFilterBar::clearRequested);
}

QString EventsFilterBar::errorText() const
{
    return m_error->text();
}

QByteArray EventsFilterBar::schemaFilter() const
{
    return m_schema->currentData().toByteArray();
}

void EventsFilterBar::setQueryText(const QString &text)
{
    m_query->setText(text);
}

void EventsFilterBar::applyQueryNow()
{
    m_debounce->stop();
    EventQuery::Error error;
    std::optional<EventQuery> query = EventQuery::parse(m_query->text(), &error);
    if (query) {
        m_error->clear();
        m_error->setVisible(false);
        emit queryChanged(*query);
    } else {
        m_error->setText(error.toString());
        m_error->setVisible(true);
        emit queryChanged(EventQuery());
    }
}

void EventsFilterBar::focusQuery()
{
    m_query->setFocus(Qt::ShortcutFocusReason);
    m_query->selectAll();
}

void EventsFilterBar::addSchema(const QByteArray &schemaName)
{
    if (schemaName.isEmpty() || m_schema->findData(schemaName) >= 0)
        return;
    int at = 1;
    while (at < m_schema->count() && m_schema->itemData(at).toByteArray() < schemaName)
        ++at;
    // Inserting before the current item moves the index but not the choice; no signal needed.
    const QSignalBlocker blocker(m_schema);
    m_schema->insertItem(at, QString::fromUtf8(schemaName), schemaName);
}

void EventsFilterBar::clearSchemas()
{
    const bool wasFiltering = m_schema->currentIndex() > 0;
    {
        const QSignalBlocker blocker(m_schema);
        while (m_schema->count() > 1)
            m_schema->removeItem(1);
        m_schema->setCurrentIndex(0);
    }
    if (wasFiltering)
        emit schemaFilterChanged({});
}

void EventsFilterBar::setFollowTail(bool on)
{
    const QSignalBlocker blocker(m_follow);
    m_follow->setChecked(on);
}

void EventsFilterBar::setPaused(bool paused, qsizetype buffered)
{
    const QSignalBlocker blocker(m_pause);
    m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume (%1)").arg(buffered) : tr("Pause"));
}

bool EventsFilterBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_query && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && !m_query->text().isEmpty()) {
        m_query->clear();
        applyQueryNow();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace rcrt::ui
