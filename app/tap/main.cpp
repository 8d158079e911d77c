#include "app/cli/tapcommands.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("rcrt-tap"));
    QCoreApplication::setApplicationVersion(QStringLiteral(RCRT_VERSION));
    return rcrt::cli::runTap(QCoreApplication::arguments());
}
