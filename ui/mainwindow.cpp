#include "ui/mainwindow.h"

#include "app/cli/eventformat.h"
#include "app/cli/tapconnection.h"
#include "app/livesource.h"
#include "model/eventstore.h"

#include <QFontDatabase>
#include <QLabel>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QStatusBar>

namespace rcrt::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_log(new QPlainTextEdit(this))
    , m_status(new QLabel(tr("Not connected"), this))
{
    setWindowTitle(tr("RCRT Console"));
    resize(1200, 800);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(10000); // a bounded view; the store keeps the events
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    setCentralWidget(m_log);
    statusBar()->addWidget(m_status, 1);
}

MainWindow::~MainWindow() = default;

bool MainWindow::connectTo(const cli::TapOptions &options, QString *error)
{
    m_connection = cli::TapConnection::open(options, error);
    if (!m_connection)
        return false;
    m_store = std::make_unique<EventStore>();
    HeldState held;
    held.latestVersion = [store = m_store.get()](QByteArrayView id) { return store->latestVersion(id); };
    held.serverHighWaterNs = [store = m_store.get()] {
        return std::max(store->maxUpdatedAtNs(), store->lastPingTsNs());
    };
    LiveSourceOptions liveOptions;
    liveOptions.initialHistory = 1000; // the GUI opens with recent history (issue: engine, item 7)
    m_live = std::make_unique<LiveSource>(&m_connection->nam(), options.url, &m_connection->tokens(),
                                          held, liveOptions);
    connect(m_live.get(), &LiveSource::eventsReceived, m_store.get(), &EventStore::ingestBatch);
    connect(m_store.get(), &EventStore::batchReady, this, &MainWindow::showBatch);
    connect(m_live.get(), &LiveSource::logMessage, this, [this](const QString &message) {
        m_log->appendPlainText(QStringLiteral("# ") + message);
    });
    connect(&m_live->sse(), &SseClient::stateChanged, this, [this, url = options.url](SseClient::State state) {
        const QString name = QString::fromLatin1(QMetaEnum::fromType<SseClient::State>().valueToKey(int(state)));
        m_status->setText(tr("%1 — %2, %3 reconnects").arg(url.toString(), name).arg(m_live->sse().reconnectCount()));
    });
    setWindowTitle(tr("RCRT Console — %1").arg(options.url.toString()));
    m_live->start();
    return true;
}

void MainWindow::showBatch(const EventBatch &batch)
{
    QByteArray text;
    for (const EventRecord &record : batch.records)
        text += cli::formatEventLine(record, record.first, false);
    if (!text.isEmpty())
        m_log->appendPlainText(QString::fromUtf8(text).trimmed());
}

} // namespace rcrt::ui
