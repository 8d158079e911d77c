#include "ui/tools/invokedialog.h"

#include "app/breadcrumbwriter.h"
#include "app/ingestengine.h"
#include "app/runner/toolregistry.h"
#include "model/jsonschema.h"
#include "net/restclient.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace rcrt::ui {

namespace {

QString prettyJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(compactJson(value));
}

// "line 2, column 5" for a character offset in `text`.
QString positionIn(const QString &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    const qsizetype line = text.left(offset).count(u'\n') + 1;
    const qsizetype lineStart = text.lastIndexOf(u'\n', offset - 1) + 1;
    return QObject::tr("line %1, column %2").arg(line).arg(offset - lineStart + 1);
}

QString msFrom(qint64 fromNs, qint64 ns)
{
    if (!ns || !fromNs)
        return QStringLiteral("—");
    const double ms = double(ns - fromNs) / 1e6;
    return QStringLiteral("+%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

void setTone(QLabel *label, const QString &color)
{
    label->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(color));
}

const QString kErrorColor = QStringLiteral("#b00020");
const QString kWarnColor = QStringLiteral("#9a5b00");
const QString kOkColor = QStringLiteral("#1b7f3b");

} // namespace

InvokeDialog::InvokeDialog(IngestEngine *engine, RestClient *rest, QWidget *parent)
    : QDialog(parent)
    , m_engine(engine)
    , m_rest(rest)
    , m_catalog(new ToolCatalogModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Invoke tool"));
    setObjectName(QStringLiteral("invokeDialog"));
    resize(980, 680);
    m_proxy->setSourceModel(m_catalog);
    m_proxy->setFilterRole(ToolCatalogModel::SearchTextRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    buildUi();
    if (m_engine) {
        connect(m_engine, &IngestEngine::invocationUpdated, this, &InvokeDialog::onUpdate);
        connect(m_engine, &IngestEngine::liveChanged, this, [this](bool live) {
            updateNotice();
            updateButtons();
            if (live && isVisible())
                reloadServerTools();
        });
    }
    if (m_proxy->rowCount() > 0)
        m_list->setCurrentIndex(m_proxy->index(0, 0));
    updateNotice();
    validate();
}

InvokeDialog::~InvokeDialog() = default;

void InvokeDialog::buildUi()
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("invokeNotice"));
    m_notice->setWordWrap(true);
    m_notice->setMargin(6);
    m_notice->setAutoFillBackground(true);
    QPalette notice = m_notice->palette();
    notice.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd));
    notice.setColor(QPalette::WindowText, QColor(0x66, 0x4d, 0x03));
    m_notice->setPalette(notice);

    // Left: the tools.
    auto *left = new QWidget(this);
    auto *leftColumn = new QVBoxLayout(left);
    leftColumn->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(left);
    m_filter->setObjectName(QStringLiteral("toolFilter"));
    m_filter->setPlaceholderText(tr("Filter tools…"));
    m_filter->setClearButtonEnabled(true);
    m_list = new QListView(left);
    m_list->setObjectName(QStringLiteral("toolList"));
    m_list->setModel(m_proxy);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_catalogStatus = new QLabel(left);
    m_catalogStatus->setWordWrap(true);
    leftColumn->addWidget(m_filter);
    leftColumn->addWidget(m_list, 1);
    leftColumn->addWidget(m_catalogStatus);

    // Right: input, send, result.
    auto *right = new QWidget(this);
    auto *rightColumn = new QVBoxLayout(right);
    rightColumn->setContentsMargins(0, 0, 0, 0);
    m_description = new QLabel(right);
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::PlainText);
    m_editor = new QPlainTextEdit(right);
    m_editor->setObjectName(QStringLiteral("inputEditor"));
    m_editor->setFont(mono);
    m_editor->setTabChangesFocus(true);
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_problemsLabel = new QLabel(right);
    m_problemsLabel->setObjectName(QStringLiteral("inputProblems"));
    m_problemsLabel->setWordWrap(true);
    m_problemsLabel->setTextFormat(Qt::PlainText);
    m_problemsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *options = new QHBoxLayout;
    m_workspace = new QLineEdit(QStringLiteral("workspace:tools"), right);
    m_workspace->setObjectName(QStringLiteral("workspaceEdit"));
    m_timeout = new QSpinBox(right);
    m_timeout->setRange(1, 600);
    m_timeout->setValue(60);
    m_timeout->setSuffix(tr(" s"));
    options->addWidget(new QLabel(tr("Workspace:"), right));
    options->addWidget(m_workspace, 1);
    options->addWidget(new QLabel(tr("Timeout:"), right));
    options->addWidget(m_timeout);

    auto *buttons = new QHBoxLayout;
    m_send = new QPushButton(tr("&Send"), right);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolTip(tr("Create the tool.request.v1 (Ctrl+Return)"));
    m_sendAgain = new QPushButton(tr("Send &again"), right);
    m_sendAgain->setObjectName(QStringLiteral("sendAgainButton"));
    m_sendAgain->setToolTip(tr("Send the last input once more, with a new requestId"));
    for (QPushButton *b : {m_send, m_sendAgain})
        b->setAutoDefault(false);
    m_status = new QLabel(right);
    m_status->setObjectName(QStringLiteral("invokeStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    buttons->addWidget(m_send);
    buttons->addWidget(m_sendAgain);
    buttons->addWidget(m_status, 1);

    m_response = new QPlainTextEdit(right);
    m_response->setObjectName(QStringLiteral("responseView"));
    m_response->setReadOnly(true);
    m_response->setFont(mono);
    m_response->setPlaceholderText(tr("The response appears here."));

    auto *breakdown = new QGroupBox(tr("Seen after sending"), right);
    auto *form = new QFormLayout(breakdown);
    const QStringList stepNames{tr("Write acknowledged"), tr("Request on local bus"), tr("Request on SSE"),
                                tr("Response on local bus"), tr("Response on SSE")};
    for (int i = 0; i < StepCount; ++i) {
        m_steps[size_t(i)] = new QLabel(QStringLiteral("—"), breakdown);
        m_steps[size_t(i)]->setFont(mono);
        form->addRow(stepNames.at(i) + u':', m_steps[size_t(i)]);
    }

    rightColumn->addWidget(m_description);
    rightColumn->addWidget(new QLabel(tr("Input (JSON):"), right));
    rightColumn->addWidget(m_editor, 3);
    rightColumn->addWidget(m_problemsLabel);
    rightColumn->addLayout(options);
    rightColumn->addLayout(buttons);
    rightColumn->addWidget(new QLabel(tr("Response:"), right));
    rightColumn->addWidget(m_response, 2);
    rightColumn->addWidget(breakdown);

    auto *split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({280, 700});
    auto *column = new QVBoxLayout(this);
    column->addWidget(m_notice);
    column->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &InvokeDialog::onToolChanged);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &InvokeDialog::validate);
    connect(m_workspace, &QLineEdit::textChanged, this, &InvokeDialog::updateButtons);
    connect(m_send, &QPushButton::clicked, this, &InvokeDialog::send);
    connect(m_sendAgain, &QPushButton::clicked, this, &InvokeDialog::sendAgain);
    auto *sendKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendKey, &QShortcut::activated, this, &InvokeDialog::send);
    auto *sendKeyPad = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    connect(sendKeyPad, &QShortcut::activated, this, &InvokeDialog::send);
    m_catalogStatus->setText(tr("%1 built-in tools; server tools once connected").arg(m_catalog->rowCount()));
}

void InvokeDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    updateNotice();
    updateButtons();
    if (m_catalog->serverToolCount() == 0)
        reloadServerTools();
}

void InvokeDialog::reloadServerTools()
{
    if (!m_rest || !m_engine || !m_engine->isLive() || m_listCall)
        return;
    BreadcrumbListQuery query;
    query.schemaName = QStringLiteral("tool.code.v1");
    query.includeContext = true;
    m_catalogStatus->setText(tr("Loading the server's tools…"));
    m_listCall = m_rest->listBreadcrumbs(query);
    connect(m_listCall, &RestCall::finished, this, [this](const RestResult &result) {
        const QString current = currentTool();
        const auto origin = currentEntry() ? std::optional(currentEntry()->origin) : std::nullopt;
        QString error;
        const auto tools = result.ok() ? serverToolsFromList(result.body, &error) : std::nullopt;
        if (!tools) {
            m_catalogStatus->setText(tr("Server tools not loaded: %1").arg(result.ok() ? error : result.error));
            setTone(m_catalogStatus, kErrorColor);
            return;
        }
        {
            const QSignalBlocker block(m_list->selectionModel()); // keep the editor's text
            m_catalog->setServerTools(*tools);
            const int row = m_catalog->rowOf(current, origin);
            if (row >= 0)
                m_list->setCurrentIndex(m_proxy->mapFromSource(m_catalog->index(row, 0)));
        }
        setTone(m_catalogStatus, {});
        m_catalogStatus->setText(tr("%n server tool(s) (tool.code.v1) and the built-ins", nullptr, int(tools->size())));
        validate();
    });
}

void InvokeDialog::setReplayMode(bool replaying)
{
    m_replaying = replaying;
    updateNotice();
    updateButtons();
}

const ToolEntry *InvokeDialog::currentEntry() const
{
    const QModelIndex index = m_proxy->mapToSource(m_list->currentIndex());
    return index.isValid() ? &m_catalog->entry(index.row()) : nullptr;
}

QString InvokeDialog::currentTool() const
{
    const ToolEntry *entry = currentEntry();
    return entry ? entry->name : QString();
}

bool InvokeDialog::selectTool(const QString &name, std::optional<ToolEntry::Origin> origin)
{
    const int row = m_catalog->rowOf(name, origin);
    if (row < 0)
        return false;
    m_filter->clear();
    const QModelIndex index = m_proxy->mapFromSource(m_catalog->index(row, 0));
    if (m_list->currentIndex() == index)
        onToolChanged(); // re-prefill
    else
        m_list->setCurrentIndex(index);
    return true;
}

void InvokeDialog::onToolChanged()
{
    const ToolEntry *entry = currentEntry();
    if (!entry) {
        m_description->clear();
        validate();
        return;
    }
    m_description->setText(entry->description.isEmpty()
                               ? QStringLiteral("%1 (%2)").arg(entry->name, ToolEntry::originName(entry->origin))
                               : QStringLiteral("%1 (%2): %3").arg(entry->name, ToolEntry::originName(entry->origin),
                                                                    entry->description));
    m_editor->setPlainText(prettyJson(entry->exampleInput()));
}

void InvokeDialog::prefill(const QString &tool, const QJsonValue &input, const QString &workspace)
{
    // A built-in of that name first (what this console can run), else the server's, else a
    // plain entry so any tool a request named can be sent again.
    if (m_catalog->rowOf(tool) < 0)
        m_catalog->addEntry(ToolEntry{tool, tr("Known only from the request being sent again"), {}, {},
                                      ToolEntry::Origin::Request});
    selectTool(tool, ToolEntry::Origin::Builtin);
    m_editor->setPlainText(prettyJson(input));
    if (!workspace.isEmpty())
        m_workspace->setText(workspace);
}

bool InvokeDialog::prefillFromRequest(const QByteArray &raw)
{
    QString error;
    const auto fields = toolRequestFromPayload(raw, &error);
    if (!fields) {
        m_status->setText(tr("Cannot send this again: %1").arg(error));
        setTone(m_status, kErrorColor);
        return false;
    }
    prefill(fields->tool, fields->input, fields->workspace);
    m_status->setText(tr("Prefilled from a request for %1: check the input, then Send.").arg(fields->tool));
    setTone(m_status, {});
    return true;
}

void InvokeDialog::validate()
{
    m_problems.clear();
    m_jsonValid = false;
    m_blocking = true;
    const ToolEntry *entry = currentEntry();
    const QString text = m_editor->toPlainText();
    if (text.trimmed().isEmpty()) {
        m_problems << tr("The input is empty: write a JSON value, e.g. {}");
    } else {
        QJsonParseError error;
        // Wrapped in an array so any JSON value is accepted, as the CLI does.
        const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "\n]", &error);
        if (error.error != QJsonParseError::NoError) {
            const qsizetype at = QString::fromUtf8(text.toUtf8().left(std::max(0, error.offset - 1))).size();
            m_problems << tr("Not valid JSON at %1: %2").arg(positionIn(text, at), error.errorString());
        } else if (doc.array().size() != 1) {
            m_problems << tr("Not valid JSON: one value expected, found %1").arg(doc.array().size());
        } else {
            m_jsonValid = true;
            m_input = doc.array().first();
        }
    }
    if (m_jsonValid && entry) {
        m_problems = jsonschema::validate(m_input, entry->inputSchema);
        if (entry->origin == ToolEntry::Origin::Builtin && compactJson(m_input).size() > ToolRegistry::kMaxInputBytes)
            m_problems << tr("input: %1 bytes; built-in tools take at most %2")
                              .arg(compactJson(m_input).size())
                              .arg(ToolRegistry::kMaxInputBytes);
        m_blocking = entry->origin == ToolEntry::Origin::Builtin && !m_problems.isEmpty();
    }
    if (!entry)
        m_problems.prepend(tr("Choose a tool."));

    if (m_problems.isEmpty()) {
        m_problemsLabel->setText(entry && !entry->inputSchema.isEmpty() ? tr("✓ Valid against the input schema.")
                                                                         : tr("✓ Valid JSON."));
        setTone(m_problemsLabel, kOkColor);
    } else if (!m_jsonValid || m_blocking || !entry) {
        QString message = m_problems.join(u'\n');
        if (m_jsonValid && m_blocking)
            message += u'\n' + tr("Built-in tools refuse such input: fix it to send.");
        m_problemsLabel->setText(message);
        setTone(m_problemsLabel, kErrorColor);
    } else {
        m_problemsLabel->setText(m_problems.join(u'\n') + u'\n'
                                 + tr("The server's tool may refuse this; Send is still allowed."));
        setTone(m_problemsLabel, kWarnColor);
    }
    updateButtons();
}

void InvokeDialog::updateNotice()
{
    const QString text = noticeText();
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

QString InvokeDialog::noticeText() const
{
    const bool live = m_engine && m_engine->isLive();
    if (m_replaying && !live)
        return tr("Replaying a session: sending needs a live connection. Connect first (File › Connect…), "
                  "then Send or Send again.");
    if (!live)
        return tr("Not connected: connect first (File › Connect…) to send a request. "
                  "The built-in tools are listed; the server's appear once connected.");
    return {};
}

QString InvokeDialog::statusText() const
{
    return m_status->text();
}

bool InvokeDialog::canSend() const
{
    return m_engine && m_engine->isLive() && currentEntry() && m_jsonValid && !m_blocking
        && !m_workspace->text().trimmed().isEmpty();
}

void InvokeDialog::updateButtons()
{
    m_send->setEnabled(canSend());
    m_sendAgain->setEnabled(m_lastSent && m_engine && m_engine->isLive());
    updateNotice();
}

void InvokeDialog::send()
{
    if (!canSend()) {
        if (!noticeText().isEmpty()) {
            m_status->setText(noticeText());
            setTone(m_status, kErrorColor);
        }
        return;
    }
    start(Sent{currentTool(), m_input, m_workspace->text().trimmed()});
}

void InvokeDialog::sendAgain()
{
    if (!m_lastSent)
        return;
    if (!m_engine || !m_engine->isLive()) {
        m_status->setText(noticeText());
        setTone(m_status, kErrorColor);
        return;
    }
    start(*m_lastSent);
}

void InvokeDialog::start(const Sent &request)
{
    m_lastSent = request;
    m_last.reset();
    m_response->clear();
    for (QLabel *step : m_steps)
        step->setText(QStringLiteral("—"));
    m_status->setText(tr("Sending a request for %1…").arg(request.tool));
    setTone(m_status, {});
    m_current = m_engine->invoke(request.tool, request.input, request.workspace, m_timeout->value() * 1000);
    updateButtons();
    emit sent(m_current);
}

void InvokeDialog::onUpdate(quint64 id, const InvocationSnapshot &snapshot)
{
    if (id != m_current)
        return;
    m_last = snapshot;
    showSnapshot(snapshot);
}

QString InvokeDialog::stepText(Step step) const
{
    return m_steps[size_t(step)]->text();
}

void InvokeDialog::showSnapshot(const InvocationSnapshot &s)
{
    const InvocationTimeline &t = s.timeline;
    m_steps[WriteAck]->setText(msFrom(t.sentNs, t.ackNs));
    m_steps[RequestLocal]->setText(msFrom(t.sentNs, t.requestLocalNs));
    m_steps[RequestSse]->setText(msFrom(t.sentNs, t.requestSseNs));
    m_steps[ResponseLocal]->setText(msFrom(t.sentNs, t.responseLocalNs));
    m_steps[ResponseSse]->setText(msFrom(t.sentNs, t.responseSseNs));
    if (!s.response.isEmpty())
        m_response->setPlainText(prettyJson(s.response.value(QLatin1String("context"))));

    QString text;
    QString tone;
    if (s.cancelled) {
        text = tr("Stopped waiting: %1.").arg(s.error);
        tone = kErrorColor;
    } else {
        switch (s.status) {
        case ToolInvocation::Status::Sending: text = tr("Sending a request for %1…").arg(s.tool); break;
        case ToolInvocation::Status::Waiting:
            text = tr("Waiting for the response to %1 (requestId %2)…").arg(s.tool, s.requestId);
            break;
        case ToolInvocation::Status::Success:
            text = tr("Success: %1 answered after %2.").arg(s.tool, msFrom(t.sentNs, t.responseNs()));
            tone = kOkColor;
            break;
        case ToolInvocation::Status::Error:
            text = tr("The tool answered with an error: %1").arg(s.error);
            tone = kErrorColor;
            break;
        case ToolInvocation::Status::Timeout:
            text = tr("Timeout: %1. Is a tools-runner serving %2?").arg(s.error, s.workspace);
            tone = kWarnColor;
            break;
        case ToolInvocation::Status::WriteFailed:
            text = tr("The request could not be written: %1").arg(s.error);
            tone = kErrorColor;
            break;
        }
    }
    m_status->setText(text);
    setTone(m_status, tone);
}

} // namespace rcrt::ui
