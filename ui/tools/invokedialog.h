#pragma once

#include "app/invocationsnapshot.h"
#include "ui/tools/toolcatalog.h"

#include <QDialog>
#include <QJsonValue>
#include <QPointer>

#include <array>
#include <optional>

class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;

namespace rcrt {
class IngestEngine;
class RestCall;
class RestClient;
} // namespace rcrt

namespace rcrt::ui {

// Manual tool invocation (issue 4 item 5). Lists the built-in tools and the server's
// tool.code.v1 tools (filter box), edits the input as JSON prefilled from the tool's first
// example (else an example made from its input schema), validates it live against the input
// schema, and sends a tool.request.v1 through IngestEngine::invoke. It then shows the status,
// the response and when each step was seen, as "+N ms" from the send, updated live as the
// local-bus and SSE copies arrive.
//
// Send (Ctrl+Return) needs valid JSON, a workspace and a live connection; input failing the
// schema blocks built-ins (the console's runner would refuse it) and only warns for server
// tools. Send again re-sends the last input (a new requestId). Without a connection, or while
// replaying a session, the dialog says to connect first.
class InvokeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InvokeDialog)

public:
    enum Step { WriteAck, RequestLocal, RequestSse, ResponseLocal, ResponseSse, StepCount };

    // Not owned; rest (the GUI thread's client) lists the server's tools.
    InvokeDialog(IngestEngine *engine, RestClient *rest, QWidget *parent = nullptr);
    ~InvokeDialog() override;

    // GET /breadcrumbs?schema_name=tool.code.v1&include_context=true (when connected).
    void reloadServerTools();
    void setReplayMode(bool replaying);

    // Selects `name` (preferring `origin`) and prefills the editor from its example.
    bool selectTool(const QString &name, std::optional<ToolEntry::Origin> origin = std::nullopt);
    // Selects `tool` (added "from request" when the catalog lacks it) and puts `input` in the editor.
    void prefill(const QString &tool, const QJsonValue &input, const QString &workspace = {});
    // prefill() from a delivered tool.request.v1 payload; false (and the reason shown) when it is not one.
    bool prefillFromRequest(const QByteArray &raw);

    bool canSend() const;
    QString currentTool() const;
    QStringList problems() const { return m_problems; }
    // The editor's value when it holds valid JSON.
    std::optional<QJsonValue> input() const { return m_jsonValid ? std::optional(m_input) : std::nullopt; }
    std::optional<InvocationSnapshot> lastSnapshot() const { return m_last; }
    QString stepText(Step step) const;
    QString noticeText() const;
    QString statusText() const;

    QLineEdit *filterEdit() const { return m_filter; }
    QListView *toolList() const { return m_list; }
    QPlainTextEdit *editor() const { return m_editor; }
    QLineEdit *workspaceEdit() const { return m_workspace; }
    QPushButton *sendButton() const { return m_send; }
    QPushButton *sendAgainButton() const { return m_sendAgain; }
    QPlainTextEdit *responseView() const { return m_response; }
    ToolCatalogModel *catalog() const { return m_catalog; }

public slots:
    void send();
    void sendAgain();

signals:
    void sent(quint64 invocationId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Sent
    {
        QString tool;
        QJsonValue input;
        QString workspace;
    };

    void buildUi();
    void onToolChanged();
    void validate();
    void updateNotice();
    void updateButtons();
    void start(const Sent &request);
    void onUpdate(quint64 id, const InvocationSnapshot &snapshot);
    void showSnapshot(const InvocationSnapshot &snapshot);
    const ToolEntry *currentEntry() const;

    QPointer<IngestEngine> m_engine;
    QPointer<RestClient> m_rest;
    QPointer<RestCall> m_listCall;
    ToolCatalogModel *m_catalog = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;

    QLabel *m_notice = nullptr;
    QLineEdit *m_filter = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_catalogStatus = nullptr;
    QLabel *m_description = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    QLabel *m_problemsLabel = nullptr;
    QLineEdit *m_workspace = nullptr;
    QSpinBox *m_timeout = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_sendAgain = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_response = nullptr;
    std::array<QLabel *, StepCount> m_steps{};

    QStringList m_problems;
    bool m_jsonValid = false;
    bool m_blocking = false; // problems that forbid sending
    QJsonValue m_input;
    bool m_replaying = false;
    std::optional<Sent> m_lastSent;
    quint64 m_current = 0;
    std::optional<InvocationSnapshot> m_last;
};

} // namespace rcrt::ui
