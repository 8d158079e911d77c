#pragma once

#include "model/eventrecord.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <functional>
#include <optional>

class QJsonObject;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTimer;
class QToolButton;
class QTreeView;

namespace rcrt {
class RestCall;
class RestClient;
struct RestResult;
} // namespace rcrt

namespace rcrt::ui {

class HistoryPanel;
class JsonTreeModel;
class MetadataPanel;

// The inspector (issue 3 item 3) for one selected event: its context as a JSON tree and as
// text (wire key order, exact numbers), the `/full` metadata, the version history with a diff
// between any two versions, and "Copy JSON" (the raw payload) / "Copy as curl" (a command that
// reads the token from $RCRT_TOKEN; the real token is never put in it).
//
// /full and /history are fetched asynchronously a moment after the selection settles (so
// arrowing through the table does not fire a request per row); stale answers are dropped.
// With a null RestClient it shows what the event carries, and in a replay the `/full` answer
// the session recorded (a DetailLookup), or says that none was fetched while recording.
class InspectorView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorView)

public:
    static constexpr int kFetchDelayMs = 150;

    // A `/full` answer kept in a session file, and when the console fetched it.
    struct RecordedDetail
    {
        qint64 fetchedNs = 0; // console clock, ns since the epoch
        QByteArray body;      // the answer, verbatim
    };
    // Replay: the recorded detail of a breadcrumb at the replay cursor, nullopt when none was
    // fetched by then.
    using DetailLookup = std::function<std::optional<RecordedDetail>(const QByteArray &breadcrumbId)>;

    explicit InspectorView(RestClient *client, QWidget *parent = nullptr);
    // No client yet (set one with setRestClient()).
    explicit InspectorView(QWidget *parent = nullptr) : InspectorView(nullptr, parent) {}
    ~InspectorView() override;

    void setRestClient(RestClient *client);
    // Where details come from without a RestClient (a replay); empty: nowhere.
    void setDetailLookup(DetailLookup lookup);

    bool hasRecord() const { return m_record.isValid(); }
    const EventRecord &record() const { return m_record; }
    QByteArray jsonText() const { return m_record.raw; }
    QString curlText() const;
    // `curl -sS -H "Authorization: Bearer $RCRT_TOKEN" '<base>/breadcrumbs/<id>/full'`; user
    // info and query are stripped from the base; an empty base becomes "$RCRT_URL".
    static QString curlCommand(const QUrl &baseUrl, const QByteArray &breadcrumbId);

    QTabWidget *tabs() const { return m_tabs; }
    JsonTreeModel *treeModel() const { return m_treeModel; }
    QTreeView *treeView() const { return m_tree; }
    QPlainTextEdit *textView() const { return m_text; }
    MetadataPanel *metadataPanel() const { return m_metadata; }
    HistoryPanel *historyPanel() const { return m_history; }
    QString headingText() const;

public slots:
    void setRecord(const rcrt::EventRecord &record);
    void showRecord(const rcrt::EventRecord &record) { setRecord(record); }
    void clear();
    void copyJson();
    void copyCurl();
    // Asks the DetailLookup again (the replay cursor moved); the Details tab changes only when
    // the answer does.
    void refreshRecordedDetail();

signals:
    void metadataLoaded(const QByteArray &breadcrumbId, bool ok);
    void historyLoaded(const QByteArray &breadcrumbId, bool ok);
    // A /full answer as fetched, for a recording of the session (issue 5 item 1).
    void fullFetched(const QByteArray &breadcrumbId, qint32 version, const QByteArray &body);

private:
    void showContext(QByteArrayView context);
    void updateHeading();
    void startFetches();
    void abortFetches();
    void onFull(quint64 generation, const RestResult &result);
    void onHistory(quint64 generation, const RestResult &result);
    void showFull(const QJsonObject &full);
    void showRecordedDetail();

    QPointer<RestClient> m_client;
    DetailLookup m_detailLookup;
    std::optional<RecordedDetail> m_shownDetail; // what the Details tab shows from the lookup
    bool m_detailShown = false;                  // the lookup was asked for this record
    EventRecord m_record;
    bool m_contextFromFull = false;
    quint64 m_generation = 0;
    QPointer<RestCall> m_fullCall;
    QPointer<RestCall> m_historyCall;

    QLabel *m_heading = nullptr;
    QToolButton *m_copyJson = nullptr;
    QToolButton *m_copyCurl = nullptr;
    QTabWidget *m_tabs = nullptr;
    JsonTreeModel *m_treeModel = nullptr;
    QTreeView *m_tree = nullptr;
    QPlainTextEdit *m_text = nullptr;
    MetadataPanel *m_metadata = nullptr;
    HistoryPanel *m_history = nullptr;
    QTimer *m_fetchTimer = nullptr;
};

} // namespace rcrt::ui
