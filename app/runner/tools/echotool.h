#pragma once

#include "app/runner/tools/builtintool.h"

namespace rcrt {

// echo {message} → {message}: the round trip with nothing in the way.
class EchoTool final : public BuiltinTool
{
public:
    EchoTool();
    ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) override;
};

} // namespace rcrt
