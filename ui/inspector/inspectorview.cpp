#include "ui/inspector/inspectorview.h"

#include "net/restclient.h"
#include "ui/inspector/historypanel.h"
#include "ui/inspector/jsonpretty.h"
#include "ui/inspector/jsontreemodel.h"
#include "ui/inspector/metadatapanel.h"
#include "ui/schemacolors.h"

#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace rcrt::ui {

InspectorView::InspectorView(RestClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_heading(new QLabel(this))
    , m_copyJson(new QToolButton(this))
    , m_copyCurl(new QToolButton(this))
    , m_tabs(new QTabWidget(this))
    , m_treeModel(new JsonTreeModel(this))
    , m_tree(new QTreeView(this))
    , m_text(new QPlainTextEdit(this))
    , m_metadata(new MetadataPanel(this))
    , m_history(new HistoryPanel(this))
    , m_fetchTimer(new QTimer(this))
{
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyJson->setText(tr("Copy JSON"));
    m_copyJson->setToolTip(tr("Copy the event's raw payload"));
    m_copyCurl->setText(tr("Copy as curl"));
    m_copyCurl->setToolTip(tr("Copy a curl command for /breadcrumbs/{id}/full; it reads the token from $RCRT_TOKEN"));

    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->resizeSection(JsonTreeModel::KeyColumn, 220);
    m_tree->header()->resizeSection(JsonTreeModel::TypeColumn, 64);

    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    m_tabs->addTab(m_tree, tr("Tree"));
    m_tabs->addTab(m_text, tr("Text"));
    m_tabs->addTab(m_metadata, tr("Details"));
    m_tabs->addTab(m_history, tr("History"));
    m_tabs->setDocumentMode(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_copyJson);
    top->addWidget(m_copyCurl);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);

    m_fetchTimer->setSingleShot(true);
    m_fetchTimer->setInterval(kFetchDelayMs);
    connect(m_fetchTimer, &QTimer::timeout, this, &InspectorView::startFetches);
    connect(m_copyJson, &QToolButton::clicked, this, &InspectorView::copyJson);
    connect(m_copyCurl, &QToolButton::clicked, this, &InspectorView::copyCurl);
    clear();
}

InspectorView::~InspectorView()
{
    abortFetches();
}

void InspectorView::setRestClient(RestClient *client)
{
    m_client = client;
    if (hasRecord())
        m_fetchTimer->start();
}

void InspectorView::setDetailLookup(DetailLookup lookup)
{
    m_detailLookup = std::move(lookup);
    m_detailShown = false;
    if (hasRecord() && !m_client)
        showRecordedDetail();
}

QString InspectorView::curlCommand(const QUrl &baseUrl, const QByteArray &breadcrumbId)
{
    const QString path = QLatin1String("/breadcrumbs/") + QString::fromLatin1(breadcrumbId) + QLatin1String("/full");
    QString target;
    if (baseUrl.isEmpty() || !baseUrl.isValid()) {
        target = QLatin1String("\"$RCRT_URL") + path + QLatin1Char('"');
    } else {
        QUrl url = RestClient::endpointUrl(baseUrl, path);
        url.setUserInfo({});
        url.setQuery(QString());
        url.setFragment(QString());
        QString text = url.toString(QUrl::FullyEncoded);
        text.replace(QLatin1Char('\''), QLatin1String("'\\''"));
        target = QLatin1Char('\'') + text + QLatin1Char('\'');
    }
    // Double quotes so the shell expands $RCRT_TOKEN; the console never writes the token itself.
    return QLatin1String("curl -sS -H \"Authorization: Bearer $RCRT_TOKEN\" ") + target;
}

QString InspectorView::curlText() const
{
    if (!hasRecord())
        return {};
    return curlCommand(m_client ? m_client->baseUrl() : QUrl(), m_record.envelope.breadcrumbId);
}

QString InspectorView::headingText() const
{
    return m_heading->text();
}

void InspectorView::copyJson()
{
    if (hasRecord())
        QGuiApplication::clipboard()->setText(QString::fromUtf8(m_record.raw));
}

void InspectorView::copyCurl()
{
    if (hasRecord())
        QGuiApplication::clipboard()->setText(curlText());
}

void InspectorView::clear()
{
    abortFetches();
    m_fetchTimer->stop();
    m_record = EventRecord();
    m_shownDetail.reset();
    m_detailShown = false;
    m_treeModel->clear();
    m_text->clear();
    m_metadata->clear();
    m_history->clear();
    m_copyJson->setEnabled(false);
    m_copyCurl->setEnabled(false);
    updateHeading();
}

void InspectorView::setRecord(const EventRecord &record)
{
    const bool sameEvent = hasRecord() && record.envelope.breadcrumbId == m_record.envelope.breadcrumbId
        && record.envelope.version == m_record.envelope.version;
    m_record = record;
    updateHeading();
    if (sameEvent)
        return; // e.g. a repeat arrival: same content, nothing to fetch again
    m_copyJson->setEnabled(true);
    m_copyCurl->setEnabled(true);
    showContext(record.context());
    m_metadata->showRecord(record);
    m_history->clear();
    abortFetches();
    ++m_generation;
    if (m_client) {
        m_metadata->setStatus(tr("Loading /full\u2026"));
        m_history->setStatus(tr("Loading /history\u2026"));
        m_fetchTimer->start();
    } else {
        m_fetchTimer->stop();
        m_metadata->setStatus(tr("Not connected: showing what the event carries."));
        m_history->setStatus(tr("Version history needs a connection to the server."));
        m_detailShown = false;
        showRecordedDetail();
    }
}

void InspectorView::refreshRecordedDetail()
{
    if (hasRecord() && !m_client)
        showRecordedDetail();
}

void InspectorView::showRecordedDetail()
{
    if (!m_detailLookup)
        return;
    const std::optional<RecordedDetail> detail = m_detailLookup(m_record.envelope.breadcrumbId);
    const bool same = m_detailShown && detail.has_value() == m_shownDetail.has_value()
        && (!detail || (detail->fetchedNs == m_shownDetail->fetchedNs && detail->body == m_shownDetail->body));
    if (same)
        return; // the cursor moved, the answer did not
    m_detailShown = true;
    m_shownDetail = detail;
    if (m_contextFromFull)
        showContext(m_record.context()); // filled from the previous detail
    m_metadata->showRecord(m_record);
    if (!detail) {
        m_metadata->setStatus(tr("Not fetched while recording: the session has no /full details of this breadcrumb "
                                 "up to the replay cursor. Showing what the event carries."));
        return;
    }
    const QString when = QDateTime::fromMSecsSinceEpoch(detail->fetchedNs / 1'000'000).toString(QStringLiteral("HH:mm:ss.zzz"));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(detail->body, &error);
    if (!doc.isObject() || doc.object().isEmpty()) {
        m_metadata->setStatus(tr("The /full answer recorded at %1 is not a JSON object (%2): showing what the event carries.")
                                  .arg(when, doc.isNull() ? error.errorString() : tr("another JSON value")),
                              true);
        return;
    }
    showFull(doc.object());
    m_metadata->setStatus(tr("Recorded /full, as fetched at %1 while recording.").arg(when));
}

void InspectorView::showContext(QByteArrayView context)
{
    m_contextFromFull = false;
    if (context.isEmpty()) {
        // A REST list item (backfill) has no context; /full fills it in if it is this version.
        m_treeModel->clear();
        m_text->setPlainText(tr("(this event carries no context)"));
        return;
    }
    QString error;
    if (!m_treeModel->setJsonText(context, &error))
        m_text->setPlainText(tr("Context is not valid JSON: %1\n\n%2").arg(error, QString::fromUtf8(context)));
    else
        m_text->setPlainText(prettyJson(context));
    m_tree->expandToDepth(0);
}

void InspectorView::updateHeading()
{
    if (!hasRecord()) {
        m_heading->setText(tr("<i>Select an event to inspect it</i>"));
        return;
    }
    const Envelope &e = m_record.envelope;
    const QString schema = e.hasSchema ? QString::fromUtf8(e.schemaName) : tr("(no schema)");
    m_heading->setText(QStringLiteral("<span style=\"color:%1\">\u25A0</span> <b>%2</b> &nbsp;v%3 \u00b7 %4 \u00b7 "
                                      "<span style=\"font-family:monospace\">%5</span>")
                           .arg(schemaFamilyColor(e.schemaName).name(), schema.toHtmlEscaped())
                           .arg(e.version)
                           .arg(e.version == 1 ? tr("created") : tr("updated"),
                                QString::fromLatin1(e.breadcrumbId).toHtmlEscaped()));
}

void InspectorView::abortFetches()
{
    for (QPointer<RestCall> *call : {&m_fullCall, &m_historyCall}) {
        if (*call) {
            disconnect(*call, nullptr, this, nullptr);
            (*call)->abort();
        }
        *call = nullptr;
    }
}

void InspectorView::startFetches()
{
    if (!m_client || !hasRecord())
        return;
    abortFetches();
    const quint64 generation = m_generation;
    const QString id = QString::fromLatin1(m_record.envelope.breadcrumbId);
    m_fullCall = m_client->getBreadcrumbFull(id);
    connect(m_fullCall, &RestCall::finished, this,
            [this, generation](const RestResult &result) { onFull(generation, result); });
    m_historyCall = m_client->getHistory(id);
    connect(m_historyCall, &RestCall::finished, this,
            [this, generation](const RestResult &result) { onHistory(generation, result); });
}

void InspectorView::onFull(quint64 generation, const RestResult &result)
{
    if (generation != m_generation)
        return;
    const QByteArray id = m_record.envelope.breadcrumbId;
    if (result.isNotFound()) {
        m_metadata->setStatus(tr("Deleted on the server (404): showing what the event carries."), true);
        emit metadataLoaded(id, false);
        return;
    }
    const QJsonObject full = QJsonDocument::fromJson(result.body).object();
    if (!result.ok() || full.isEmpty()) {
        m_metadata->setStatus(result.ok() ? tr("Unexpected /full answer") : result.error, true);
        emit metadataLoaded(id, false);
        return;
    }
    emit fullFetched(id, m_record.envelope.version, result.body);
    showFull(full);
    emit metadataLoaded(id, true);
}

void InspectorView::showFull(const QJsonObject &full)
{
    m_metadata->showFull(full, m_record.envelope.version);
    if (m_record.context().isEmpty() && full.value(QLatin1String("version")).toInt() == m_record.envelope.version) {
        const QJsonValue context = full.value(QLatin1String("context"));
        m_treeModel->setJson(context);
        m_text->setPlainText(JsonTreeModel::prettyText(context));
        m_tree->expandToDepth(0);
        m_contextFromFull = true;
    }
}

void InspectorView::onHistory(quint64 generation, const RestResult &result)
{
    if (generation != m_generation)
        return;
    const QByteArray id = m_record.envelope.breadcrumbId;
    if (!result.ok()) {
        m_history->clear();
        m_history->setStatus(result.error, true);
        emit historyLoaded(id, false);
        return;
    }
    emit historyLoaded(id, m_history->setHistoryJson(result.body, m_record.envelope.version));
}

} // namespace rcrt::ui
