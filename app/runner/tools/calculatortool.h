#pragma once

#include "app/runner/tools/builtintool.h"

namespace rcrt {

// calculator {expression} → {result, formatted: "7 + 3 = 10", expression}, through the safe
// parser in model/calculator.h (never evaluates code).
class CalculatorTool final : public BuiltinTool
{
public:
    CalculatorTool();
    ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) override;
};

} // namespace rcrt
