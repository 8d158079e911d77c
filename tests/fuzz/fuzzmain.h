#pragma once

// The libFuzzer side of a target: a QCoreApplication for the code that needs one (QtSql loads
// its driver as a plugin), Qt's warnings silenced (damaged inputs make thousands of them), and
// an abort when the target reports a broken invariant, so libFuzzer keeps the input.
// Include once per fuzz executable; fuzz_<name>.cpp defines LLVMFuzzerTestOneInput.

#include <QByteArrayView>
#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace rcrt::fuzz {

inline void quietMessages(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
        std::abort();
    }
}

inline int runTarget(QString (*target)(QByteArrayView), const std::uint8_t *data, std::size_t size)
{
    const QString problem = target(QByteArrayView(data, qsizetype(size)));
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "fuzz invariant broken: %s\n", qPrintable(problem));
        std::abort();
    }
    return 0;
}

} // namespace rcrt::fuzz

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Reachable through QCoreApplication::instance() until exit, so not a leak.
    new QCoreApplication(*argc, *argv);
    qInstallMessageHandler(rcrt::fuzz::quietMessages);
    return 0;
}
