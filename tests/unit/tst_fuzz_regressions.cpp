// Replays every input the fuzzers ever broke something with (tests/fuzz/regressions/<target>/)
// and the seed corpora (tests/fuzz/corpus/<target>/) through the same target code the libFuzzer
// executables run, so a fixed crash stays fixed in the gcc and asan builds too, where libFuzzer
// cannot be built. A crash fails the test by crashing it; a broken invariant fails it by name.

#include "tests/fuzz/decodertarget.h"
#include "tests/fuzz/sessiontarget.h"
#include "tests/fuzz/ssetarget.h"
#include "tests/fuzz/tooltarget.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include <iterator>

using namespace rcrt;

namespace {

using Target = QString (*)(QByteArrayView);

struct NamedTarget
{
    const char *name;
    Target run;
};

const NamedTarget kTargets[] = {
    {"sse", fuzz::runSseParser},
    {"decoder", fuzz::runDecoder},
    {"session", fuzz::runSessionReader},
    {"toolinput", fuzz::runToolInput},
};

QString fuzzDir()
{
    // A file only the source tree has: the build tree has a tests/fuzz folder too.
    const QString header = QFINDTESTDATA("fuzz/ssetarget.h");
    return header.isEmpty() ? QString() : QFileInfo(header).path();
}

} // namespace

class TstFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!fuzzDir().isEmpty(), "tests/fuzz not found");
    }

    void replay_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("path");
        int regressions = 0;
        int seeds = 0;
        for (int t = 0; t < int(std::size(kTargets)); ++t) {
            for (const char *kind : {"regressions", "corpus"}) {
                const QDir dir(fuzzDir() + u'/' + QLatin1String(kind) + u'/'
                               + QLatin1String(kTargets[t].name));
                for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
                    const QString label = QLatin1String(kind) + u'/' + QLatin1String(kTargets[t].name)
                        + u'/' + file;
                    QTest::newRow(qPrintable(label)) << t << dir.filePath(file);
                    ++(QLatin1String(kind) == u"corpus" ? seeds : regressions);
                }
            }
        }
        qInfo("%d regression inputs, %d seeds", regressions, seeds);
        // Every target has seeds: fewer means the checkout is incomplete.
        QVERIFY(seeds >= int(std::size(kTargets)));
    }

    void replay()
    {
        QFETCH(int, target);
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray input = file.readAll();
        const QString problem = kTargets[target].run(input);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
};

QTEST_GUILESS_MAIN(TstFuzzRegressions)
#include "tst_fuzz_regressions.moc"
