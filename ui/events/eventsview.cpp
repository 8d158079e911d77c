#include "ui/events/eventsview.h"

#include "app/titlecache.h"
#include "ui/events/eventsfilterbar.h"
#include "ui/events/eventsfilterproxy.h"
#include "ui/events/eventsmodel.h"

#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

const QString kSettingsGroup = QStringLiteral("eventsView");
constexpr int kTitleThrottleMs = 150;
constexpr int kStatusThrottleMs = 100;

// A REST list item (backfill) carries its title; an SSE event does not (§3.4, §4.1).
QString titleInListItem(const EventRecord &record)
{
    if (record.envelope.shape != Envelope::Shape::ListItem)
        return {};
    const QJsonValue title = QJsonDocument::fromJson(record.raw).object().value(QLatin1String("title"));
    return title.isString() ? title.toString() : QString();
}

} // namespace

EventsView::EventsView(QWidget *parent)
    : QWidget(parent)
    , m_model(new EventsModel(this))
    , m_proxy(new EventsFilterProxy(this))
    , m_titles(new TitleCache(nullptr, this))
    , m_bar(new EventsFilterBar(this))
    , m_table(new QTableView(this))
    , m_status(new QLabel(this))
    , m_titleTimer(new QTimer(this))
    , m_statusTimer(new QTimer(this))
{
    m_model->setTitleCache(m_titles);
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 2);
    layout->setSpacing(4);
    layout->addWidget(m_bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    setupTable();
    restoreSettings();
    m_bar->setFollowTail(m_followTail);

    // Throttles, not debounces: under a steady stream a restarted timer would never fire.
    m_titleTimer->setSingleShot(true);
    m_titleTimer->setInterval(kTitleThrottleMs);
    connect(m_titleTimer, &QTimer::timeout, this, &EventsView::requestVisibleTitles);
    m_statusTimer->setSingleShot(true);
    m_statusTimer->setInterval(kStatusThrottleMs);
    connect(m_statusTimer, &QTimer::timeout, this, &EventsView::updateStatus);

    connect(m_bar, &EventsFilterBar::queryChanged, m_proxy, &EventsFilterProxy::setQuery);
    connect(m_bar, &EventsFilterBar::schemaFilterChanged, m_proxy, &EventsFilterProxy::setSchemaFilter);
    connect(m_bar, &EventsFilterBar::followTailToggled, this, &EventsView::setFollowTail);
    connect(m_bar, &EventsFilterBar::pauseToggled, this, &EventsView::setPaused);
    connect(m_bar, &EventsFilterBar::clearRequested, this, &EventsView::clear);
    connect(m_model, &EventsModel::schemaSeen, m_bar, &EventsFilterBar::addSchema);

    const auto rowsChanged = [this] {
        scheduleTitles();
        if (!m_statusTimer->isActive())
            m_statusTimer->start();
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, rowsChanged);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, rowsChanged);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, rowsChanged);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, rowsChanged);
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &EventsView::scheduleTitles);
    connect(m_table->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this](int action) {
        // A user scroll away from the tail stops following (as in a terminal).
        const QScrollBar *bar = m_table->verticalScrollBar();
        if (action != QAbstractSlider::SliderNoAction && bar->sliderPosition() < bar->maximum())
            setFollowTail(false);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });

    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, &EventsView::focusFilter);

    updateStatus();
}

EventsView::~EventsView()
{
    saveSettings();
}

void EventsView::setupTable()
{
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->setCornerButtonEnabled(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->installEventFilter(this);

    QHeaderView *rows = m_table->verticalHeader();
    rows->setVisible(false);
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setMinimumSectionSize(1);
    rows->setDefaultSectionSize(fontMetrics().height() + 4);

    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setSectionsMovable(true);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setSortIndicatorClearable(true);
    header->setSortIndicator(-1, Qt::AscendingOrder); // arrival order until the user sorts
    connect(header, &QHeaderView::customContextMenuRequested, this, &EventsView::showHeaderMenu);

    const QFontMetrics fm = fontMetrics();
    const auto width = [&fm](const char *sample) {
        return fm.horizontalAdvance(QString::fromUtf8(sample)) + 14;
    };
    header->resizeSection(EventsModel::ArrivalColumn, width("00:00:00.000"));
    header->resizeSection(EventsModel::UpdatedAtColumn, width("00:00:00.000"));
    header->resizeSection(EventsModel::LagColumn, width("88,888"));
    header->resizeSection(EventsModel::KindColumn, width("updated"));
    header->resizeSection(EventsModel::SchemaColumn, width("tool.response.v1__"));
    header->resizeSection(EventsModel::TitleColumn, width("A fairly long breadcrumb title"));
    header->resizeSection(EventsModel::TagsColumn, width("workspace:tools, tool:request, agent:x"));
    header->resizeSection(EventsModel::VersionColumn, width("Ver"));
    header->resizeSection(EventsModel::IdColumn, width("00000000\u2026"));
    header->resizeSection(EventsModel::SizeColumn, width("888.8 KiB"));
    header->resizeSection(EventsModel::SourceColumn, width("backfill \u00d78"));
    // Tags, the widest and most elidable column, goes last and takes the remaining width, so
    // the narrow columns stay in view in a small window (the user can move it back).
    header->moveSection(header->visualIndex(EventsModel::TagsColumn), EventsModel::ColumnCount - 1);
    m_table->setSortingEnabled(true);
}

void EventsView::setRestClient(RestClient *client)
{
    m_titles->setClient(client);
    scheduleTitles();
}

QString EventsView::statusText() const
{
    QString text = tr("%1 rows (%2 shown)").arg(m_model->rowCount()).arg(m_proxy->rowCount());
    if (m_paused)
        text += tr(" \u2014 paused, %1 new buffered").arg(bufferedRecords());
    if (m_model->evictedRows() > 0)
        text += tr(" \u2014 %1 oldest dropped (cap %2)").arg(m_model->evictedRows()).arg(m_model->maxRows());
    return text;
}

void EventsView::updateStatus()
{
    m_status->setText(statusText());
}

void EventsView::addBatch(const EventBatch &batch)
{
    if (batch.records.isEmpty() && batch.repeats.isEmpty())
        return;
    if (m_paused) {
        m_pending.records += batch.records;
        m_pending.repeats += batch.repeats;
        // Bounded like the table: rows beyond the cap would be evicted on resume anyway.
        const qsizetype cap = m_model->maxRows();
        if (m_pending.records.size() > cap + cap / 4)
            m_pending.records.remove(0, m_pending.records.size() - cap);
        if (m_pending.repeats.size() > cap)
            m_pending.repeats.remove(0, m_pending.repeats.size() - cap);
        m_bar->setPaused(true, bufferedRecords());
        if (!m_statusTimer->isActive())
            m_statusTimer->start();
        return;
    }
    m_model->addBatch(batch);
    if (m_followTail)
        m_table->scrollToBottom();
}

void EventsView::setRowSource(const EventsModel::RowSource &source, qint64 endSeq)
{
    m_pending = EventBatch();
    m_bar->clearSchemas();
    m_model->setRowSource(source, endSeq);
    if (m_followTail)
        m_table->scrollToBottom();
    updateStatus();
}

void EventsView::setSourceEnd(qint64 endSeq, const QList<qint64> &changedSeqs)
{
    m_model->setSourceEnd(endSeq, changedSeqs);
    if (m_followTail)
        m_table->scrollToBottom();
}

void EventsView::setPaused(bool paused)
{
    if (paused == m_paused) {
        m_bar->setPaused(m_paused, bufferedRecords());
        return;
    }
    m_paused = paused;
    if (!paused && (!m_pending.records.isEmpty() || !m_pending.repeats.isEmpty())) {
        const EventBatch pending = std::exchange(m_pending, EventBatch());
        m_model->addBatch(pending); // one insert for everything held back
        if (m_followTail)
            m_table->scrollToBottom();
    }
    m_bar->setPaused(m_paused, bufferedRecords());
    updateStatus();
    emit pausedChanged(m_paused);
}

void EventsView::setFollowTail(bool on)
{
    m_bar->setFollowTail(on);
    if (on)
        m_table->scrollToBottom();
    if (on == m_followTail)
        return;
    m_followTail = on;
    emit followTailChanged(on);
}

void EventsView::clear()
{
    m_pending = EventBatch();
    m_model->clear();
    m_bar->clearSchemas();
    m_bar->setPaused(m_paused, 0);
    updateStatus();
}

void EventsView::focusFilter()
{
    m_bar->focusQuery();
}

void EventsView::scheduleTitles()
{
    if (!m_titleTimer->isActive())
        m_titleTimer->start();
}

void EventsView::requestVisibleTitles()
{
    const int rows = m_proxy->rowCount();
    if (rows == 0 || m_table->isColumnHidden(EventsModel::TitleColumn))
        return;
    int top = m_table->rowAt(0);
    int bottom = m_table->rowAt(m_table->viewport()->height() - 1);
    if (top < 0)
        top = 0;
    if (bottom < 0)
        bottom = rows - 1;
    QList<QByteArray> ids;
    for (int row = top; row <= bottom; ++row) {
        const int source = m_proxy->mapToSource(m_proxy->index(row, 0)).row();
        const EventRecord &record = m_model->recordAt(source);
        const QByteArray &id = record.envelope.breadcrumbId;
        if (m_titles->title(id))
            continue;
        if (const QString title = titleInListItem(record); !title.isEmpty())
            m_titles->insert(id, title);
        else
            ids.append(id);
    }
    m_titles->requestVisible(ids);
}

void EventsView::onCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    const QModelIndex source = m_proxy->mapToSource(current);
    emit breadcrumbSelected(m_model->recordAt(source.row()));
}

bool EventsView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Space && key->modifiers() == Qt::NoModifier) {
            togglePaused();
            return true;
        }
        if (key->key() == Qt::Key_End && key->modifiers() == Qt::NoModifier) {
            setFollowTail(true);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void EventsView::showHeaderMenu(const QPoint &pos)
{
    QHeaderView *header = m_table->horizontalHeader();
    QMenu menu(this);
    int visible = 0;
    for (int column = 0; column < EventsModel::ColumnCount; ++column)
        visible += header->isSectionHidden(column) ? 0 : 1;
    for (int column = 0; column < EventsModel::ColumnCount; ++column) {
        QAction *action = menu.addAction(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        action->setEnabled(header->isSectionHidden(column) || visible > 1); // keep one column
        connect(action, &QAction::toggled, this, [this, header, column](bool shown) {
            header->setSectionHidden(column, !shown);
            saveSettings();
            scheduleTitles();
        });
    }
    menu.exec(header->mapToGlobal(pos));
}

void EventsView::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    settings.setValue(QStringLiteral("header"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("followTail"), m_followTail);
}

void EventsView::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(kSettingsGroup);
    const QByteArray header = settings.value(QStringLiteral("header")).toByteArray();
    if (!header.isEmpty()) {
        m_table->horizontalHeader()->restoreState(header);
        // Always start in arrival order: a saved sort would reshuffle a live table.
        m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    }
    m_followTail = settings.value(QStringLiteral("followTail"), true).toBool();
}

} // namespace rcrt::ui
