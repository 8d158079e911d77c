#pragma once

#include <QString>

namespace rcrt {

// A safe arithmetic evaluator for the calculator tool: a recursive-descent parser over numbers
// (1, 2.5, .5, 1e3), + - * / % ^ (also ** × ÷ −), parentheses, unary minus and plus, the
// functions sqrt abs min max round floor ceil, and the constants pi and e. It never evaluates
// code: anything else is an error naming what and where (1-based character positions).
//
// Precedence, lowest first: + -, * / %, unary - +, ^ (right-associative), so -2^2 = -4 and
// 2^-1 = 0.5. Division or modulo by zero, results that are not finite real numbers (overflow,
// sqrt(-1)), trailing input, expressions over kMaxLength characters and nesting deeper than
// kMaxDepth are errors.
struct Calculation
{
    static constexpr int kMaxLength = 1000;
    static constexpr int kMaxDepth = 64;

    bool ok = false;
    double value = 0;
    QString error;

    static Calculation evaluate(const QString &expression);

    // Shortest text that reads back as `value` ("10", "0.1", "1e+21"); -0 prints as "0".
    static QString format(double value);
};

} // namespace rcrt
