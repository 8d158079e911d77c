// rcrt-sim: an RCRT-compatible test server. main() only parses options and builds objects.
#include "signalquit.h"
#include "simlog.h"
#include "simoptions.h"
#include "simserver.h"
#include "timestamps.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rcrt-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RCRT_VERSION));

    const auto options = rcrt::sim::parseSimOptions(QCoreApplication::arguments());
    if (!options)
        return 2;
    rcrt::sim::setClockSkewMicros(options->clockSkewMs * 1000);
    QLoggingCategory::setFilterRules(options->quiet ? QStringLiteral("rcrt.sim*.debug=false\nrcrt.sim*.info=false")
                                                    : QStringLiteral("rcrt.sim*.debug=false"));
    qSetMessagePattern(QStringLiteral("rcrt-sim %{time hh:mm:ss.zzz} %{type} %{category}: %{message}"));

    rcrt::sim::SignalQuit signalQuit;
    rcrt::sim::SimServer server(*options);
    QString error;
    if (!server.start(error)) {
        std::fprintf(stderr, "rcrt-sim: cannot listen on 127.0.0.1:%u: %s\n", options->port,
                     qPrintable(error));
        return 1;
    }
    std::printf("rcrt-sim listening on http://127.0.0.1:%u\n", server.port());
    std::fflush(stdout);
    qCInfo(rcrt::sim::lcSim) << "auth" << (options->auth == rcrt::sim::AuthMode::Jwt ? "jwt" : "disabled")
                             << "owner" << options->ownerId.toString(QUuid::WithoutBraces)
                             << "seed" << options->seed;
    return QCoreApplication::exec();
}
