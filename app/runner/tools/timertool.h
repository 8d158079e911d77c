#pragma once

#include "app/runner/tools/builtintool.h"

namespace rcrt {

// timer {seconds: 0–60} → {waited_ms, waited}: waits on a QTimer owned by the run (nothing
// blocks; deleting the run cancels it). `waited` is the requested seconds, as the real timer
// tool reports; `waited_ms` is measured.
class TimerTool final : public BuiltinTool
{
public:
    TimerTool();
    ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) override;
};

} // namespace rcrt
