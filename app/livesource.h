#pragma once

#include "model/decoder.h"
#include "model/streamevent.h"
#include "net/restclient.h"
#include "net/sseclient.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace rcrt {

class TokenProvider;

// What the live source asks of whoever keeps the events (normally the EventStore), so that a
// backfill only emits what is really missing.
struct HeldState
{
    // The newest version held for an id, 0 when none.
    std::function<int(QByteArrayView breadcrumbId)> latestVersion;
    // The newest server-clock time seen (updated_at of events, ts of pings), ns; 0 when none.
    std::function<qint64()> serverHighWaterNs;
};

struct LiveSourceOptions
{
    // Breadcrumbs to load on the first connect (newest first); 0 loads none.
    int initialHistory = 0;
    // Page size of the re-list after a reconnect.
    int backfillPageSize = 500;
    // The re-list goes this far below the newest server time seen before the gap: events are
    // published in completion order, not updated_at order (rcrt-protocol.md §3.5).
    qint64 backfillMarginNs = 5'000'000'000;
    // Safety stop for a server that keeps answering full pages.
    int backfillMaxPages = 10'000;
    SseClientOptions sse;
};

// The live RCRT connection: the SSE stream plus the REST re-list that makes it loss-free.
//
// RCRT has no replay (rcrt-protocol.md §3.6): a reconnect leaves a gap that only
// `GET /breadcrumbs` (updated_at DESC, no tiebreak) can fill. After every reconnect the source
// pages through the list from the newest item down to the server time it had reached before
// the gap (minus a margin; equal updated_at values are paged through, never cut), and emits
// every item newer than what is held as source `backfill`. The stream keeps flowing meanwhile:
// the backfill runs on its own REST calls and never holds up the read loop.
class LiveSource final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveSource)

public:
    using Options = LiveSourceOptions;

    // nam and tokens are not owned (tokens may be null for dev mode).
    LiveSource(QNetworkAccessManager *nam, const QUrl &baseUrl, TokenProvider *tokens,
               HeldState held, Options options = {}, QObject *parent = nullptr);
    ~LiveSource() override;

    void start();
    void stop();

    SseClient &sse() { return *m_sse; }
    RestClient &rest() { return m_rest; }
    bool isBackfilling() const { return m_backfill != nullptr; }
    int backfillCount() const { return m_backfillsDone; }

signals:
    // Stream events as they arrive, and backfilled items (source Backfill) in batches.
    void eventsReceived(const QList<rcrt::StreamEvent> &events);
    void backfillStarted(const QString &reason);
    // pages fetched, items seen, items emitted (missing here before).
    void backfillFinished(int pages, int seen, int emitted);
    void backfillFailed(const QString &error);
    // One line for the connection log: connects, disconnects, errors, backfills.
    void logMessage(const QString &message);

private:
    struct Backfill;
    void onConnected();
    void onDisconnected(const QString &reason);
    void warnIfInsecure();
    void startBackfill(qint64 floorNs, int limitOnly, const QString &reason);
    void requestPage();
    void onPage(const RestResult &result);
    void finishBackfill(const QString &error);

    QPointer<QNetworkAccessManager> m_nam; // for its TLS policy (warned on every connect)
    RestClient m_rest;
    std::unique_ptr<SseClient> m_sse;
    HeldState m_held;
    Options m_options;
    Decoder m_decoder;
    std::unique_ptr<Backfill> m_backfill;
    QPointer<RestCall> m_call;
    bool m_everConnected = false;
    // Server time reached before the current gap; 0 when no gap is open.
    qint64 m_gapFloorNs = 0;
    bool m_gapOpen = false;
    bool m_backfillAgain = false;
    int m_backfillsDone = 0;
};

} // namespace rcrt
