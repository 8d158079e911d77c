#include "app/cli/tapstream.h"

#include "app/cli/interrupt.h"
#include "app/localwiring.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace rcrt::cli {

namespace {

EventStore::Options tapStoreOptions()
{
    EventStore::Options options;
    options.maxEvents = 500'000; // dedupe memory for a long run; the terminal or file keeps the rest
    options.batchIntervalMs = 20;
    return options;
}

LiveSourceOptions liveOptionsWithHistory(int history)
{
    LiveSourceOptions options;
    options.initialHistory = history;
    return options;
}

} // namespace

TapStream::TapStream(TapConnection &connection, const TapOptions &options, int history,
                     const QString &command, int *exitCode)
    : store(tapStoreOptions())
    , live(&connection.nam(), options.url, &connection.tokens(), heldStateOf(store), liveOptionsWithHistory(history))
{
    QObject::connect(&live, &LiveSource::eventsReceived, &store, &EventStore::ingestBatch);
    QObject::connect(&live, &LiveSource::logMessage, &store, [](const QString &message) {
        QTextStream(stderr) << "# " << message << '\n';
    });
    QObject::connect(&live.sse(), &SseClient::stateChanged, &store, [this, command, exitCode](SseClient::State state) {
        if (state != SseClient::State::Stopped || m_stopping)
            return;
        QTextStream(stderr) << "rcrt-tap " << command << ": stream stopped: " << live.sse().stopReason() << '\n';
        *exitCode = 1;
        QCoreApplication::quit();
    });
}

void TapStream::run(double durationS)
{
    if (durationS > 0)
        QTimer::singleShot(qint64(durationS * 1000), &store, [] { QCoreApplication::quit(); });
    quitEventLoopOnInterrupt();
    live.start();
    QCoreApplication::exec();
    m_stopping = true;
    live.stop();
    store.flush();
}

} // namespace rcrt::cli
