// Calculation: the arithmetic grammar (precedence, associativity, functions, constants) and
// every error it promises: division by zero, unknown identifiers, trailing input, limits on
// length and nesting, results that are not finite real numbers.
#include "model/calculator.h"

#include <QTest>

#include <cmath>
#include <numbers>

using rcrt::Calculation;
using namespace Qt::StringLiterals;

class TstCalculator : public QObject
{
    Q_OBJECT

private slots:
    void values_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<double>("expected");
        const auto row = [](const char *e, double v) {
            QTest::newRow(e) << QString::fromUtf8(e) << v;
        };
        row("7 + 3", 10);
        row("2 + 3 * 4", 14);
        row("(2 + 3) * 4", 20);
        row("10 - 4 - 3", 3);          // left-associative
        row("100 / 10 / 5", 2);
        row("2 ^ 3 ^ 2", 512);         // right-associative
        row("2 ** 10", 1024);
        row("-2 ^ 2", -4);             // unary minus binds looser than ^
        row("2 ^ -1", 0.5);
        row("--3", 3);
        row("+4", 4);
        row("2 - -3", 5);
        row("7 % 3", 1);
        row("-7 % 3", -1);
        row("5.5 % 2", 1.5);
        row(".5 + 5.", 5.5);
        row("1e3 + 2.5E-1", 1000.25);
        row("sqrt(16)", 4);
        row("abs(-2.5)", 2.5);
        row("min(4, 2, 8)", 2);
        row("max(4, 2, 8)", 8);
        row("max(1)", 1);
        row("round(2.5)", 3);
        row("round(-2.5)", -3);
        row("floor(-1.5)", -2);
        row("ceil(1.2)", 2);
        row("SQRT( 9 )", 3);
        row("2 * pi", 2 * std::numbers::pi);
        row("e", std::numbers::e);
        row("6 × 7 ÷ 2 − 1", 20);
        row("  \t1+1\n", 2);
        row("-0", 0);
        row("0.1 + 0.2", 0.1 + 0.2);
        row("9007199254740993", 9007199254740992.0);
        row("1e308 * 1", 1e308);
    }

    void values()
    {
        QFETCH(QString, expression);
        QFETCH(double, expected);
        const Calculation c = Calculation::evaluate(expression);
        QVERIFY2(c.ok, qPrintable(c.error));
        QCOMPARE(c.value, expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *e, const char *msg) {
            QTest::newRow(e) << QString::fromUtf8(e) << QString::fromUtf8(msg);
        };
        row("", "empty expression");
        row("   ", "empty expression");
        row("1 / 0", "division by zero at position 3");
        row("1 / (2 - 2)", "division by zero at position 3");
        row("5 % 0", "division by zero (modulo) at position 3");
        row("foo + 1", "unknown identifier 'foo' at position 1 (known: pi, e, sqrt, abs, min, max, round, floor, ceil)");
        row("x(1)", "unknown identifier 'x' at position 1 (known: pi, e, sqrt, abs, min, max, round, floor, ceil)");
        row("1 + 2 3", "unexpected '3' at position 7");
        row("2pi", "unexpected 'p' at position 2");
        row("1 +", "unexpected end of expression");
        row("(1 + 2", "missing ')' for '(' at position 1");
        row("1 + 2)", "unexpected ')' at position 6");
        row("1 ; rm -rf /", "unexpected ';' at position 3");
        row("alert('x')", "unknown identifier 'alert' at position 1 (known: pi, e, sqrt, abs, min, max, round, floor, ceil)");
        row("process.exit()", "unknown identifier 'process' at position 1 (known: pi, e, sqrt, abs, min, max, round, floor, ceil)");
        row("sqrt 4", "sqrt at position 1 needs arguments in parentheses, e.g. sqrt(2)");
        row("sqrt(1, 2)", "sqrt at position 1 takes 1 argument (got 2)");
        row("min()", "min at position 1 takes at least 1 argument (got 0)");
        row("max(1, 2", "missing ')' after the arguments of max at position 1");
        row("pi(2)", "pi at position 1 is a constant, not a function");
        row("sqrt(-1)", "sqrt of a negative number at position 1");
        row("10 ^ 400", "the power at position 4 is too large (overflow)");
        row("1e308 * 10", "the product at position 7 is too large (overflow)");
        row("1e308 + 1e308", "the sum at position 7 is too large (overflow)");
        row("0 ^ -1", "the power at position 3 is too large (overflow)");
        row("(-8) ^ (1/3)", "the power at position 6 is not a real number");
        row("1e999", "number 1e999 at position 1 is too large");
        row("1..2", "unexpected '.' at position 3");
        row(".", "unexpected '.' at position 1");
        row("٣ + 1", "unexpected '٣' at position 1");
        row("2 ** * 3", "unexpected '*' at position 6");
    }

    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(QString, error);
        const Calculation c = Calculation::evaluate(expression);
        QVERIFY2(!c.ok, qPrintable(Calculation::format(c.value)));
        QCOMPARE(c.error, error);
    }

    void lengthLimit()
    {
        QString longest = u"1"_s;
        while (longest.size() + 2 <= Calculation::kMaxLength)
            longest += u"+1"_s;
        const Calculation ok = Calculation::evaluate(longest);
        QVERIFY2(ok.ok, qPrintable(ok.error));
        QCOMPARE(ok.value, double((longest.size() + 1) / 2));

        const QString tooLong = longest + u"+1+1"_s;
        const Calculation c = Calculation::evaluate(tooLong);
        QVERIFY(!c.ok);
        QCOMPARE(c.error, u"expression is %1 characters long; the limit is 1000"_s.arg(tooLong.size()));
    }

    void nestingLimit()
    {
        const auto nested = [](int n, QStringView open, QStringView close) {
            QString s;
            for (int i = 0; i < n; ++i)
                s += open;
            s += u'1';
            for (int i = 0; i < n; ++i)
                s += close;
            return s;
        };
        QVERIFY(Calculation::evaluate(nested(60, u"(", u")")).ok);
        for (const QString &hostile : {nested(400, u"(", u")"), nested(400, u"-", u""),
                                       nested(150, u"abs(", u")"), nested(400, u"2^", u"")}) {
            const Calculation c = Calculation::evaluate(hostile);
            QVERIFY2(!c.ok, qPrintable(hostile.left(20)));
            QCOMPARE(c.error, u"expression nests deeper than 64 levels"_s);
        }
    }

    void format()
    {
        QCOMPARE(Calculation::format(10), u"10"_s);
        QCOMPARE(Calculation::format(0.1), u"0.1"_s);
        QCOMPARE(Calculation::format(-0.0), u"0"_s);
        QCOMPARE(Calculation::format(1e21), u"1e+21"_s);
        QCOMPARE(Calculation::format(2.5), u"2.5"_s);
    }
};

QTEST_GUILESS_MAIN(TstCalculator)
#include "tst_calculator.moc"
