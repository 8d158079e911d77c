#include "support/simprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace rcrt::test {

QString simPath()
{
    const QByteArray env = qgetenv("RCRT_SIM");
    return env.isEmpty() ? QStringLiteral(RCRT_SIM_PATH) : QString::fromLocal8Bit(env);
}

QString tapPath()
{
    const QByteArray env = qgetenv("RCRT_TAP");
    return env.isEmpty() ? QStringLiteral(RCRT_TAP_PATH) : QString::fromLocal8Bit(env);
}

QString testDataPath(const QString &name)
{
    return QStringLiteral(RCRT_TEST_DATA_DIR) + QLatin1Char('/') + name;
}

SimProcess::~SimProcess() { stop(); }

bool SimProcess::start(const QStringList &args, int timeoutMs)
{
    QStringList all{QStringLiteral("--port"), QStringLiteral("0")};
    all += args;
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(simPath(), all);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("rcrt-sim did not start: ") + m_process.errorString();
        return false;
    }
    static const QRegularExpression listening(
        QStringLiteral("^rcrt-sim listening on (http://127\\.0\\.0\\.1:\\d+)\\s*$"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!m_process.canReadLine() && !m_process.waitForReadyRead(int(deadline.remainingTime())))
            break;
        while (m_process.canReadLine()) {
            const QString line = QString::fromUtf8(m_process.readLine());
            const auto match = listening.match(line);
            if (match.hasMatch()) {
                m_url = QUrl(match.captured(1));
                return true;
            }
            m_error = QStringLiteral("unexpected first line from rcrt-sim: ") + line;
            return false;
        }
    }
    m_error = QStringLiteral("rcrt-sim did not report its port: ")
        + QString::fromUtf8(m_process.readAllStandardError());
    return false;
}

void SimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

void SimProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(3000);
}

QString SimProcess::stderrText() { return QString::fromUtf8(m_process.readAllStandardError()); }

TapResult runTap(const QStringList &args, int timeoutMs, const QByteArray &stdinData)
{
    QProcess tap;
    tap.start(tapPath(), args);
    TapResult result;
    if (!tap.waitForStarted(timeoutMs)) {
        result.err = tap.errorString().toUtf8();
        return result;
    }
    if (!stdinData.isEmpty())
        tap.write(stdinData);
    tap.closeWriteChannel();
    if (!tap.waitForFinished(timeoutMs)) {
        tap.kill();
        tap.waitForFinished(3000);
        result.err = "timed out\n" + tap.readAllStandardError();
        result.out = tap.readAllStandardOutput();
        return result;
    }
    result.exitCode = tap.exitStatus() == QProcess::NormalExit ? tap.exitCode() : -1;
    result.out = tap.readAllStandardOutput();
    result.err = tap.readAllStandardError();
    return result;
}

} // namespace rcrt::test
