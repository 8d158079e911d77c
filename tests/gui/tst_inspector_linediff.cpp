// The inspector's line diff: hand-checked cases, and a seeded property test against a plain
// LCS table (the diff must be minimal and must spell both inputs back).
#include "ui/inspector/linediff.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using rcrt::ui::DiffLine;
using rcrt::ui::diffLines;
using rcrt::ui::diffStats;
using Kind = DiffLine::Kind;

namespace {

QStringList lines(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char('|'), Qt::SkipEmptyParts);
}

// "=a -b +c" form, for readable expectations.
QString render(const QList<DiffLine> &diff)
{
    QStringList parts;
    for (const DiffLine &line : diff)
        parts.append((line.kind == Kind::Same ? QLatin1String("=") : line.kind == Kind::Removed ? QLatin1String("-") : QLatin1String("+")) + line.text);
    return parts.join(QLatin1Char(' '));
}

int lcsLength(const QStringList &a, const QStringList &b)
{
    std::vector<std::vector<int>> t(size_t(a.size() + 1), std::vector<int>(size_t(b.size() + 1), 0));
    for (qsizetype i = a.size() - 1; i >= 0; --i)
        for (qsizetype j = b.size() - 1; j >= 0; --j)
            t[size_t(i)][size_t(j)] = a[i] == b[j] ? t[size_t(i + 1)][size_t(j + 1)] + 1
                                                   : std::max(t[size_t(i + 1)][size_t(j)], t[size_t(i)][size_t(j + 1)]);
    return t[0][0];
}

void checkSpellsBoth(const QStringList &a, const QStringList &b, const QList<DiffLine> &diff)
{
    QStringList before, after;
    for (const DiffLine &line : diff) {
        if (line.kind != Kind::Added) {
            QCOMPARE(line.oldLine, int(before.size()));
            before.append(line.text);
        } else {
            QCOMPARE(line.oldLine, -1);
        }
        if (line.kind != Kind::Removed) {
            QCOMPARE(line.newLine, int(after.size()));
            after.append(line.text);
        } else {
            QCOMPARE(line.newLine, -1);
        }
    }
    QCOMPARE(before, a);
    QCOMPARE(after, b);
}

} // namespace

class TstInspectorLineDiff : public QObject
{
    Q_OBJECT

private slots:
    void cases_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QString>("expected");

        QTest::newRow("both empty") << QString() << QString() << QString();
        QTest::newRow("identical") << QStringLiteral("a|b|c") << QStringLiteral("a|b|c") << QStringLiteral("=a =b =c");
        QTest::newRow("all added") << QString() << QStringLiteral("a|b") << QStringLiteral("+a +b");
        QTest::newRow("all removed") << QStringLiteral("a|b") << QString() << QStringLiteral("-a -b");
        QTest::newRow("changed middle") << QStringLiteral("a|b|c") << QStringLiteral("a|x|c") << QStringLiteral("=a -b +x =c");
        QTest::newRow("insert") << QStringLiteral("a|c") << QStringLiteral("a|b|c") << QStringLiteral("=a +b =c");
        QTest::newRow("delete") << QStringLiteral("a|b|c") << QStringLiteral("a|c") << QStringLiteral("=a -b =c");
        QTest::newRow("two hunks") << QStringLiteral("a|b|c|d|e") << QStringLiteral("a|B|c|d|E")
                                   << QStringLiteral("=a -b +B =c =d -e +E");
        QTest::newRow("removals before additions") << QStringLiteral("x|1|2|y") << QStringLiteral("x|3|4|y")
                                                   << QStringLiteral("=x -1 -2 +3 +4 =y");
        QTest::newRow("json value change")
            << QStringLiteral("{|  \"n\": 1,|  \"s\": \"a\"|}") << QStringLiteral("{|  \"n\": 2,|  \"s\": \"a\"|}")
            << QStringLiteral("={ -  \"n\": 1, +  \"n\": 2, =  \"s\": \"a\" =}");
    }

    void cases()
    {
        QFETCH(QString, before);
        QFETCH(QString, after);
        QFETCH(QString, expected);
        const QStringList a = lines(before.toUtf8().constData());
        const QStringList b = lines(after.toUtf8().constData());
        const QList<DiffLine> diff = diffLines(a, b);
        QCOMPARE(render(diff), expected);
        checkSpellsBoth(a, b, diff);
    }

    void minimalOnRandomInputs()
    {
        QRandomGenerator random(20251107);
        for (int round = 0; round < 400; ++round) {
            QStringList a, b;
            const int n = int(random.bounded(0, 25)), m = int(random.bounded(0, 25));
            const int alphabet = int(random.bounded(1, 6)); // small alphabets: many repeats
            for (int i = 0; i < n; ++i)
                a.append(QString(QChar(u'a' + random.bounded(alphabet))));
            for (int i = 0; i < m; ++i)
                b.append(QString(QChar(u'a' + random.bounded(alphabet))));
            const QList<DiffLine> diff = diffLines(a, b);
            checkSpellsBoth(a, b, diff);
            if (QTest::currentTestFailed()) {
                qWarning() << "round" << round << a << b;
                return;
            }
            const auto stats = diffStats(diff);
            QCOMPARE(stats.same, lcsLength(a, b));
            QCOMPARE(stats.removed, n - stats.same);
            QCOMPARE(stats.added, m - stats.same);
        }
    }

    void editBoundFallsBack()
    {
        QStringList a, b;
        for (int i = 0; i < 50; ++i) {
            a.append(QStringLiteral("a%1").arg(i));
            b.append(QStringLiteral("b%1").arg(i));
        }
        a.prepend(QStringLiteral("head"));
        b.prepend(QStringLiteral("head"));
        const QList<DiffLine> diff = diffLines(a, b, 10); // 100 edits needed
        checkSpellsBoth(a, b, diff);
        const auto stats = diffStats(diff);
        QCOMPARE(stats.same, 1);
        QCOMPARE(stats.removed, 50);
        QCOMPARE(stats.added, 50);
        QCOMPARE(diff.at(1).kind, Kind::Removed);
        QCOMPARE(diff.last().kind, Kind::Added);
    }

    void largeSimilarInputs()
    {
        // 20,000 lines with a handful of edits: trimming and O(ND) keep this instant.
        QStringList a;
        for (int i = 0; i < 20000; ++i)
            a.append(QStringLiteral("line %1").arg(i));
        QStringList b = a;
        b[100] = QStringLiteral("changed");
        b.removeAt(5000);
        b.insert(15000, QStringLiteral("inserted"));
        const auto stats = diffStats(diffLines(a, b));
        QCOMPARE(stats.removed, 2);
        QCOMPARE(stats.added, 2);
        QCOMPARE(stats.same, 19998);
    }
};

QTEST_GUILESS_MAIN(TstInspectorLineDiff)
#include "tst_inspector_linediff.moc"
