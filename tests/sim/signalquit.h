#pragma once

#include <QObject>

class QSocketNotifier;

namespace rcrt::sim {

// SIGTERM/SIGINT quit the event loop cleanly (self-pipe: the handler only writes a byte).
class SignalQuit final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalQuit)

public:
    explicit SignalQuit(QObject *parent = nullptr);
    ~SignalQuit() override;

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace rcrt::sim
