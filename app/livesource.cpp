#include "app/livesource.h"

#include "model/jsonsplit.h"
#include "net/tlsaccessmanager.h"
#include "net/tokenprovider.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcLive, "rcrt.live")

namespace rcrt {

namespace {
constexpr int kMaxPageAttempts = 5;
constexpr int kPageRetryMs = 1000;
} // namespace

// One re-list in progress.
struct LiveSource::Backfill
{
    qint64 floorNs = 0; // stop below this server time
    int limitOnly = 0; // >0: one page of this size (initial history), no floor
    int offset = 0;
    int pages = 0;
    int seen = 0;
    int emitted = 0;
    int attempts = 0;
    QString reason;
};

LiveSource::LiveSource(QNetworkAccessManager *nam, const QUrl &baseUrl, TokenProvider *tokens,
                       HeldState held, Options options, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_rest(nam, baseUrl, tokens)
    , m_sse(std::make_unique<SseClient>(nam, baseUrl, tokens, options.sse))
    , m_held(std::move(held))
    , m_options(options)
{
    Q_ASSERT(m_held.latestVersion && m_held.serverHighWaterNs);
    connect(m_sse.get(), &SseClient::eventsReceived, this, &LiveSource::eventsReceived);
    connect(m_sse.get(), &SseClient::connected, this, &LiveSource::onConnected);
    connect(m_sse.get(), &SseClient::disconnected, this, &LiveSource::onDisconnected);
    connect(m_sse.get(), &SseClient::errorOccurred, this,
            [this](const QString &message) { emit logMessage(QStringLiteral("error: ") + message); });
    connect(m_sse.get(), &SseClient::parseError, this, [this](const QString &message) {
        emit logMessage(QStringLiteral("stream error: ") + message);
    });
    connect(m_sse.get(), &SseClient::reconnectScheduled, this, [this](int delayMs, int attempt) {
        emit logMessage(QStringLiteral("reconnecting in %1 ms (attempt %2)").arg(delayMs).arg(attempt));
    });
}

LiveSource::~LiveSource() = default;

void LiveSource::warnIfInsecure()
{
    // On every connect, so a log excerpt always shows it (issue 8, TLS opt-out).
    if (const QString warning = insecureTlsWarning(m_nam, m_sse->baseUrl()); !warning.isEmpty())
        emit logMessage(warning);
}

void LiveSource::start()
{
    emit logMessage(QStringLiteral("connecting to %1").arg(m_sse->streamUrl().toString()));
    warnIfInsecure();
    m_sse->start();
}

void LiveSource::stop()
{
    if (m_call)
        m_call->abort();
    m_backfill.reset();
    m_sse->stop();
}

void LiveSource::onConnected()
{
    emit logMessage(QStringLiteral("connected"));
    warnIfInsecure();
    if (!m_everConnected) {
        m_everConnected = true;
        if (m_options.initialHistory > 0)
            startBackfill(0, m_options.initialHistory,
                          QStringLiteral("initial history of %1").arg(m_options.initialHistory));
        return;
    }
    if (!m_gapOpen)
        return;
    m_gapOpen = false;
    const qint64 floorNs = m_gapFloorNs - m_options.backfillMarginNs;
    if (m_backfill) {
        // A re-list is already paging down from the top; items of this newer gap sit above it.
        m_backfillAgain = true;
        return;
    }
    startBackfill(floorNs, 0, QStringLiteral("reconnect"));
}

void LiveSource::onDisconnected(const QString &reason)
{
    emit logMessage(QStringLiteral("disconnected: ") + reason);
    if (!m_everConnected || m_gapOpen)
        return;
    m_gapOpen = true;
    // With nothing seen yet, the console clock stands in for the server's (the margin absorbs
    // a small skew).
    const qint64 high = m_held.serverHighWaterNs();
    m_gapFloorNs = high > 0 ? high : nowNs();
}

void LiveSource::startBackfill(qint64 floorNs, int limitOnly, const QString &reason)
{
    m_backfill = std::make_unique<Backfill>();
    m_backfill->floorNs = floorNs;
    m_backfill->limitOnly = limitOnly;
    m_backfill->reason = reason;
    emit backfillStarted(reason);
    emit logMessage(QStringLiteral("backfill started (%1)").arg(reason));
    requestPage();
}

void LiveSource::requestPage()
{
    if (!m_backfill)
        return;
    BreadcrumbListQuery query;
    query.includeContext = true;
    query.limit = m_backfill->limitOnly > 0 ? m_backfill->limitOnly : m_options.backfillPageSize;
    query.offset = m_backfill->offset;
    m_call = m_rest.listBreadcrumbs(query);
    connect(m_call, &RestCall::finished, this, &LiveSource::onPage);
}

void LiveSource::onPage(const RestResult &result)
{
    if (!m_backfill)
        return;
    Backfill &b = *m_backfill;
    if (!result.ok()) {
        if (++b.attempts < kMaxPageAttempts) {
            emit logMessage(QStringLiteral("backfill page failed (%1); retrying").arg(result.error));
            QTimer::singleShot(kPageRetryMs * b.attempts, this, &LiveSource::requestPage);
            return;
        }
        finishBackfill(result.error);
        return;
    }
    b.attempts = 0;
    QString error;
    const auto items = splitJsonArray(result.body, &error);
    if (!items) {
        finishBackfill(QStringLiteral("GET /breadcrumbs answered something that is not a JSON array: ")
                       + error);
        return;
    }
    ++b.pages;
    const qint64 arrival = nowNs();
    QList<StreamEvent> missing;
    bool reachedFloor = false;
    EnvelopeView view;
    for (const QByteArray &raw : *items) {
        if (!m_decoder.decodeView(raw, view, &error) || view.kind != Envelope::Kind::Breadcrumb) {
            emit logMessage(QStringLiteral("backfill: skipped an item: ") + error);
            continue;
        }
        ++b.seen;
        if (b.limitOnly == 0 && view.updatedAtNs < b.floorNs) {
            reachedFloor = true; // the list is updated_at DESC: the rest is older still
            break;
        }
        const QByteArrayView id(view.breadcrumbId.data(), qsizetype(view.breadcrumbId.size()));
        if (view.version > m_held.latestVersion(id))
            missing.append(StreamEvent{arrival, EventSource::Backfill, raw});
    }
    b.emitted += int(missing.size());
    if (!missing.isEmpty())
        emit eventsReceived(missing);

    const bool fullPage = items->size() == (b.limitOnly > 0 ? b.limitOnly : m_options.backfillPageSize);
    if (b.limitOnly == 0 && !reachedFloor && fullPage && b.pages < m_options.backfillMaxPages) {
        b.offset += int(items->size());
        requestPage();
        return;
    }
    finishBackfill({});
}

void LiveSource::finishBackfill(const QString &error)
{
    const auto done = std::move(m_backfill);
    ++m_backfillsDone;
    if (error.isEmpty()) {
        emit logMessage(QStringLiteral("backfill done (%1): %2 pages, %3 items seen, %4 missing added")
                            .arg(done->reason)
                            .arg(done->pages)
                            .arg(done->seen)
                            .arg(done->emitted));
        emit backfillFinished(done->pages, done->seen, done->emitted);
    } else {
        emit logMessage(QStringLiteral("backfill failed (%1): %2").arg(done->reason, error));
        emit backfillFailed(error);
        // Keep the gap open so that the next connect tries again from the same floor.
        if (done->limitOnly == 0 && !m_gapOpen) {
            m_gapOpen = true;
            m_gapFloorNs = done->floorNs + m_options.backfillMarginNs;
        }
    }
    if (m_backfillAgain) {
        m_backfillAgain = false;
        startBackfill(m_gapFloorNs - m_options.backfillMarginNs, 0, QStringLiteral("reconnect"));
    }
}

} // namespace rcrt
