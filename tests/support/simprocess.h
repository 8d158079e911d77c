#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace rcrt::test {

// rcrt-sim as a child process on 127.0.0.1 with a free port. The real server, over real HTTP,
// is the peer of every integration test: nothing of our network code is mocked.
class SimProcess
{
public:
    SimProcess() = default;
    ~SimProcess();
    SimProcess(const SimProcess &) = delete;
    SimProcess &operator=(const SimProcess &) = delete;

    // Starts `rcrt-sim --port 0 <args>` and waits for its "listening on" line.
    // Returns false (with a message in error()) when it did not come up in time.
    bool start(const QStringList &args = {}, int timeoutMs = 10000);
    void stop();
    // Kills the process without a clean shutdown, like a crash.
    void kill();

    QUrl url() const { return m_url; }
    QString error() const { return m_error; }
    QString stderrText();
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_url;
    QString m_error;
};

QString simPath();
QString tapPath();
QString testDataPath(const QString &name);

// Runs rcrt-tap with args to completion; returns exit code, stdout and stderr.
struct TapResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
TapResult runTap(const QStringList &args, int timeoutMs = 30000, const QByteArray &stdinData = {});

} // namespace rcrt::test
