#pragma once

#include "app/cli/tapoptions.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QPlainTextEdit;

namespace rcrt {
class EventStore;
class LiveSource;
struct EventBatch;
namespace cli {
class TapConnection;
}
} // namespace rcrt

namespace rcrt::ui {

// The console window. For now a live event log over the shared engine (EventStore fed by a
// LiveSource); the events table, flows, pending requests and charts come with the GUI issue.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Connects with the same options as rcrt-tap; false with a message when that cannot start.
    bool connectTo(const cli::TapOptions &options, QString *error);

private:
    void showBatch(const EventBatch &batch);

    QPlainTextEdit *m_log = nullptr;
    QLabel *m_status = nullptr;
    std::unique_ptr<cli::TapConnection> m_connection;
    std::unique_ptr<EventStore> m_store;
    std::unique_ptr<LiveSource> m_live;
};

} // namespace rcrt::ui
