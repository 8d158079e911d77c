#include "ui/status/connectionstatus.h"

#include "model/percentiles.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <vector>

namespace rcrt::ui {

namespace {
constexpr qint64 kSecondNs = 1'000'000'000;
constexpr size_t kLagWindow = 2000;
} // namespace

void StatusFigures::addBatch(const EventBatch &batch)
{
    for (const EventRecord &r : batch.records) {
        m_arrivals.push_back(r.first.arrivalNs);
        if (r.first.source == EventSource::Sse) {
            m_lagsMs.push_back(double(r.first.arrivalNs - r.envelope.updatedAtNs) / 1e6);
            if (m_lagsMs.size() > kLagWindow)
                m_lagsMs.pop_front();
        }
    }
    for (const PingRecord &p : batch.pings)
        m_lastPingNs = std::max(m_lastPingNs, p.arrivalNs);
    // Keep two seconds of arrivals: enough for the rate, bounded at any rate.
    if (!m_arrivals.empty()) {
        const qint64 newest = m_arrivals.back();
        while (!m_arrivals.empty() && m_arrivals.front() < newest - 2 * kSecondNs)
            m_arrivals.pop_front();
    }
}

double StatusFigures::eventsPerSecond(qint64 nowNs) const
{
    const auto first = std::lower_bound(m_arrivals.begin(), m_arrivals.end(), nowNs - kSecondNs);
    return double(std::distance(first, m_arrivals.end()));
}

double StatusFigures::pingAgeSeconds(qint64 nowNs) const
{
    return m_lastPingNs == 0 ? -1 : double(nowNs - m_lastPingNs) / 1e9;
}

double StatusFigures::lagP95Ms() const
{
    if (m_lagsMs.empty())
        return -1;
    std::vector<float> window(m_lagsMs.begin(), m_lagsMs.end());
    return exactPercentiles(window).p95;
}

ConnectionStatus::ConnectionStatus(QWidget *parent)
    : QWidget(parent)
    , m_state(new QLabel(tr("Not connected"), this))
    , m_rate(new QLabel(this))
    , m_ping(new QLabel(this))
    , m_lag(new QLabel(this))
    , m_reconnects(new QLabel(this))
    , m_timer(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(18);
    layout->addWidget(m_state, 1);
    for (QLabel *label : {m_rate, m_ping, m_lag, m_reconnects})
        layout->addWidget(label);
    m_ping->setToolTip(tr("Time since the last ping; the server pings every 5 s"));
    m_lag->setToolTip(tr("95th percentile of arrival − updated_at over the last 2,000 stream events"));
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ConnectionStatus::refresh);
    m_timer->start();
    refresh();
}

void ConnectionStatus::addBatch(const EventBatch &batch) { m_figures.addBatch(batch); }

void ConnectionStatus::setServer(const QString &url) { m_server = url; }

void ConnectionStatus::setState(SseClient::State state, int reconnects)
{
    QString text;
    QString colour;
    switch (state) {
    case SseClient::State::Idle: text = tr("Not connected"); break;
    case SseClient::State::Connecting: text = tr("Connecting to %1…").arg(m_server); colour = QStringLiteral("#b7791f"); break;
    case SseClient::State::Open: text = tr("Live: %1").arg(m_server); colour = QStringLiteral("#2f855a"); break;
    case SseClient::State::Reconnecting: text = tr("Reconnecting to %1…").arg(m_server); colour = QStringLiteral("#c05621"); break;
    case SseClient::State::Stopped: text = tr("Disconnected"); colour = QStringLiteral("#718096"); break;
    }
    m_state->setText(colour.isEmpty() ? text : QStringLiteral("<b style='color:%1'>●</b> %2").arg(colour, text.toHtmlEscaped()));
    m_reconnects->setText(tr("%n reconnect(s)", nullptr, reconnects));
}

void ConnectionStatus::refresh()
{
    const qint64 now = nowNs();
    m_rate->setText(tr("%1 events/s").arg(m_figures.eventsPerSecond(now), 0, 'f', 0));
    const double age = m_figures.pingAgeSeconds(now);
    m_ping->setText(age < 0 ? tr("no ping yet") : tr("last ping %1 s ago").arg(age, 0, 'f', 0));
    m_ping->setStyleSheet(age > 15 ? QStringLiteral("color: #c0392b") : QString());
    const double p95 = m_figures.lagP95Ms();
    m_lag->setText(p95 < 0 ? tr("lag p95 –") : tr("lag p95 %1 ms").arg(p95, 0, 'f', 1));
}

} // namespace rcrt::ui
