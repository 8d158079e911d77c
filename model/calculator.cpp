#include "model/calculator.h"

#include <QLocale>
#include <QStringList>

#include <cmath>
#include <numbers>
#include <vector>

namespace rcrt {

namespace {

using namespace Qt::StringLiterals;

struct CalcError
{
    QString message;
};

class Parser
{
public:
    explicit Parser(QStringView text) : m_s(text) {}

    double parseAll()
    {
        skipSpaces();
        if (atEnd())
            throw CalcError{u"empty expression"_s};
        const double v = expression();
        skipSpaces();
        if (!atEnd())
            throw CalcError{u"unexpected '%1' at position %2"_s.arg(m_s[m_pos]).arg(m_pos + 1)};
        return v;
    }

private:
    // Nesting guard: parentheses, unary signs, exponent chains and function arguments.
    struct Deeper
    {
        explicit Deeper(Parser &p) : parser(p)
        {
            if (++parser.m_depth > Calculation::kMaxDepth)
                throw CalcError{u"expression nests deeper than %1 levels"_s.arg(
                    Calculation::kMaxDepth)};
        }
        ~Deeper() { --parser.m_depth; }
        Deeper(const Deeper &) = delete;
        Deeper &operator=(const Deeper &) = delete;
        Parser &parser;
    };

    static bool isAsciiDigit(QChar c) { return c >= u'0' && c <= u'9'; }
    bool atEnd() const { return m_pos >= m_s.size(); }
    void skipSpaces()
    {
        while (!atEnd() && m_s[m_pos].isSpace())
            ++m_pos;
    }
    // Consumes `token` (after spaces) when it is next.
    bool take(QStringView token)
    {
        skipSpaces();
        if (m_s.sliced(m_pos).startsWith(token)) {
            m_pos += token.size();
            return true;
        }
        return false;
    }

    static double finite(double v, const QString &what, qsizetype pos)
    {
        if (std::isnan(v))
            throw CalcError{u"%1 at position %2 is not a real number"_s.arg(what).arg(pos + 1)};
        if (std::isinf(v))
            throw CalcError{u"%1 at position %2 is too large (overflow)"_s.arg(what).arg(pos + 1)};
        return v;
    }

    double expression()
    {
        double v = term();
        for (;;) {
            const qsizetype at = (skipSpaces(), m_pos);
            if (take(u"+"))
                v = finite(v + term(), u"the sum"_s, at);
            else if (take(u"-") || take(u"−"))
                v = finite(v - term(), u"the difference"_s, at);
            else
                return v;
        }
    }

    double term()
    {
        double v = unary();
        for (;;) {
            const qsizetype at = (skipSpaces(), m_pos);
            if (take(u"*") || take(u"×")) {
                v = finite(v * unary(), u"the product"_s, at);
            } else if (take(u"/") || take(u"÷")) {
                const double d = unary();
                if (d == 0)
                    throw CalcError{u"division by zero at position %1"_s.arg(at + 1)};
                v = finite(v / d, u"the quotient"_s, at);
            } else if (take(u"%")) {
                const double d = unary();
                if (d == 0)
                    throw CalcError{u"division by zero (modulo) at position %1"_s.arg(at + 1)};
                v = finite(std::fmod(v, d), u"the remainder"_s, at);
            } else {
                return v;
            }
        }
    }

    double unary()
    {
        if (take(u"-") || take(u"−")) {
            const Deeper guard(*this);
            return -unary();
        }
        if (take(u"+")) {
            const Deeper guard(*this);
            return unary();
        }
        return power();
    }

    double power()
    {
        const double base = primary();
        const qsizetype at = (skipSpaces(), m_pos);
        if (take(u"**") || take(u"^")) {
            const Deeper guard(*this);
            const double exponent = unary(); // right-associative; allows 2^-1
            return finite(std::pow(base, exponent), u"the power"_s, at);
        }
        return base;
    }

    double primary()
    {
        skipSpaces();
        if (atEnd())
            throw CalcError{u"unexpected end of expression"_s};
        const qsizetype start = m_pos;
        const QChar c = m_s[m_pos];
        if (c == u'(') {
            const Deeper guard(*this);
            ++m_pos;
            const double v = expression();
            if (!take(u")"))
                throw CalcError{u"missing ')' for '(' at position %1"_s.arg(start + 1)};
            return v;
        }
        if (isAsciiDigit(c) || c == u'.')
            return number();
        if (c.isLetter() || c == u'_')
            return identifier();
        throw CalcError{u"unexpected '%1' at position %2"_s.arg(c).arg(start + 1)};
    }

    double number()
    {
        const qsizetype start = m_pos;
        auto digits = [this] {
            qsizetype n = 0;
            while (!atEnd() && isAsciiDigit(m_s[m_pos])) {
                ++m_pos;
                ++n;
            }
            return n;
        };
        qsizetype n = digits();
        if (!atEnd() && m_s[m_pos] == u'.') {
            ++m_pos;
            n += digits();
        }
        if (n == 0)
            throw CalcError{u"unexpected '.' at position %1"_s.arg(start + 1)};
        // An exponent only when digits follow, so "2e" stays "2" then the identifier "e".
        if (!atEnd() && (m_s[m_pos] == u'e' || m_s[m_pos] == u'E')) {
            qsizetype look = m_pos + 1;
            if (look < m_s.size() && (m_s[look] == u'+' || m_s[look] == u'-'))
                ++look;
            if (look < m_s.size() && isAsciiDigit(m_s[look])) {
                m_pos = look;
                digits();
            }
        }
        const QStringView literal = m_s.sliced(start, m_pos - start);
        bool ok = false;
        const double v = literal.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            throw CalcError{u"number %1 at position %2 is too large"_s.arg(literal).arg(start + 1)};
        return v;
    }

    double identifier()
    {
        const qsizetype start = m_pos;
        while (!atEnd() && (m_s[m_pos].isLetterOrNumber() || m_s[m_pos] == u'_'))
            ++m_pos;
        const QStringView word = m_s.sliced(start, m_pos - start);
        const QString name = word.toString().toLower();
        const bool call = take(u"(");

        if (name == u"pi" || name == u"e") {
            if (call)
                throw CalcError{u"%1 at position %2 is a constant, not a function"_s.arg(name)
                                    .arg(start + 1)};
            return name == u"pi" ? std::numbers::pi : std::numbers::e;
        }
        static const QStringList functions{u"sqrt"_s, u"abs"_s, u"min"_s, u"max"_s,
                                           u"round"_s, u"floor"_s, u"ceil"_s};
        if (!functions.contains(name))
            throw CalcError{u"unknown identifier '%1' at position %2 (known: pi, e, %3)"_s
                                .arg(word)
                                .arg(start + 1)
                                .arg(functions.join(u", "_s))};
        if (!call)
            throw CalcError{u"%1 at position %2 needs arguments in parentheses, e.g. %1(2)"_s
                                .arg(name).arg(start + 1)};

        const Deeper guard(*this);
        std::vector<double> args;
        if (!take(u")")) {
            do {
                args.push_back(expression());
            } while (take(u","));
            if (!take(u")"))
                throw CalcError{u"missing ')' after the arguments of %1 at position %2"_s
                                    .arg(name).arg(start + 1)};
        }
        const bool variadic = name == u"min" || name == u"max";
        if (variadic ? args.empty() : args.size() != 1)
            throw CalcError{u"%1 at position %2 takes %3 (got %4)"_s.arg(name)
                                .arg(start + 1)
                                .arg(variadic ? u"at least 1 argument"_s : u"1 argument"_s)
                                .arg(args.size())};
        const double x = args.front();
        if (name == u"sqrt") {
            if (x < 0)
                throw CalcError{u"sqrt of a negative number at position %1"_s.arg(start + 1)};
            return std::sqrt(x);
        }
        if (name == u"abs")
            return std::fabs(x);
        if (name == u"round")
            return std::round(x);
        if (name == u"floor")
            return std::floor(x);
        if (name == u"ceil")
            return std::ceil(x);
        double best = x;
        for (double a : args)
            best = name == u"min" ? std::min(best, a) : std::max(best, a);
        return best;
    }

    QStringView m_s;
    qsizetype m_pos = 0;
    int m_depth = 0;
};

} // namespace

Calculation Calculation::evaluate(const QString &expression)
{
    Calculation result;
    if (expression.size() > kMaxLength) {
        result.error = u"expression is %1 characters long; the limit is %2"_s
                           .arg(expression.size())
                           .arg(kMaxLength);
        return result;
    }
    try {
        result.value = Parser(expression).parseAll();
        if (result.value == 0)
            result.value = 0; // no "-0" in output
        result.ok = true;
    } catch (const CalcError &e) {
        result.error = e.message;
    }
    return result;
}

QString Calculation::format(double value)
{
    return QString::number(value == 0 ? 0.0 : value, 'g', QLocale::FloatingPointShortest);
}

} // namespace rcrt
