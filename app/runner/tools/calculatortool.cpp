#include "app/runner/tools/calculatortool.h"

#include "model/calculator.h"

namespace rcrt {

CalculatorTool::CalculatorTool()
    : BuiltinTool({
        QStringLiteral("calculator"),
        QStringLiteral("Evaluates arithmetic: + - * / % ^, parentheses, sqrt abs min max round "
                       "floor ceil, pi and e (built into RCRT Console)"),
        R"({"type":"object","required":["expression"],"properties":{
            "expression":{"type":"string","minLength":1,"maxLength":1000,
                          "description":"Arithmetic expression, e.g. (2 + 3) * 4"}}})",
        R"({"type":"object","properties":{
            "result":{"type":"number","description":"The value"},
            "formatted":{"type":"string","description":"expression = result"},
            "expression":{"type":"string","description":"The expression, trimmed"}}})",
        R"([{"description":"Add two numbers","input":{"expression":"7 + 3"},
             "output":{"result":10,"formatted":"7 + 3 = 10","expression":"7 + 3"}},
            {"description":"Functions and precedence","input":{"expression":"sqrt(16) + 2 ^ 3 * 2"},
             "output":{"result":20,"formatted":"sqrt(16) + 2 ^ 3 * 2 = 20",
                       "expression":"sqrt(16) + 2 ^ 3 * 2"}}])",
    })
{
}

ToolRun *CalculatorTool::start(const QJsonValue &input, ToolContext &, QObject *parent)
{
    const QString expression = input.toObject().value(u"expression").toString().trimmed();
    const Calculation c = Calculation::evaluate(expression);
    if (!c.ok)
        return finishSoon(ToolResult::failure(c.error), parent);
    return finishSoon(ToolResult::success(QJsonObject{
                          {QStringLiteral("result"), c.value},
                          {QStringLiteral("formatted"),
                           QString(expression + QStringLiteral(" = ")
                                   + Calculation::format(c.value))},
                          {QStringLiteral("expression"), expression}}),
                      parent);
}

} // namespace rcrt
