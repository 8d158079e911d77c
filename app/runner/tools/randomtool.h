#pragma once

#include "app/runner/tools/builtintool.h"

namespace rcrt {

// random {min = 0, max = 100, count = 1} → {numbers: [...]}: `count` (1–1000) integers drawn
// uniformly from [min, max], as the real random tool answers ({"numbers":[7]}).
class RandomTool final : public BuiltinTool
{
public:
    // Integers a JSON number (an IEEE double) holds exactly.
    static constexpr qint64 kLimit = (qint64(1) << 53) - 1;
    static constexpr int kMaxCount = 1000;

    RandomTool();
    ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) override;
};

} // namespace rcrt
