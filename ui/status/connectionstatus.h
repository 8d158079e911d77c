#pragma once

#include "model/eventrecord.h"
#include "net/sseclient.h"

#include <QWidget>

#include <deque>

class QLabel;
class QTimer;

namespace rcrt::ui {

// Rolling figures the status bar shows (issue 3 item 1): events per second over the last
// second, age of the last ping, delivery-lag p95 over the last 2,000 stream events.
// Plain maths with an injected clock, so it is unit-tested without a window.
class StatusFigures
{
public:
    void addBatch(const EventBatch &batch);
    double eventsPerSecond(qint64 nowNs) const;
    // -1 when no ping was seen.
    double pingAgeSeconds(qint64 nowNs) const;
    // -1 without samples.
    double lagP95Ms() const;

private:
    std::deque<qint64> m_arrivals; // the last ~2 s of record arrivals (ns)
    std::deque<double> m_lagsMs; // the last 2,000 SSE lags
    qint64 m_lastPingNs = 0;
};

class ConnectionStatus final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionStatus)

public:
    explicit ConnectionStatus(QWidget *parent = nullptr);

    void addBatch(const EventBatch &batch);
    void setState(rcrt::SseClient::State state, int reconnects);
    void setServer(const QString &url);
    const StatusFigures &figures() const { return m_figures; }

private:
    void refresh();

    StatusFigures m_figures;
    QLabel *m_state = nullptr;
    QLabel *m_rate = nullptr;
    QLabel *m_ping = nullptr;
    QLabel *m_lag = nullptr;
    QLabel *m_reconnects = nullptr;
    QTimer *m_timer = nullptr;
    QString m_server;
};

} // namespace rcrt::ui
