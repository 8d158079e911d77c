#pragma once

#include "app/runner/tools/builtintool.h"

namespace rcrt {

// workflow {steps: [{id, tool, input, dependencies?, timeoutSeconds?}], continueOnError?,
// returnStep?, stepTimeoutSeconds?} → {results: {stepId: output}, executionOrder: [...]}, as
// the real workflow tool takes and answers it. Each step is a tool.request.v1 created through
// ToolContext::requestTool (requestId workflow-<stepId>-<ms>, context.stepId, tag
// workflow:step) and its response is awaited through ToolContext::waitFor — no polling. Steps
// start as soon as their dependencies have answered, so independent steps run in parallel.
// ${stepId.path} in string inputs is replaced from earlier outputs (see workflowplan.h).
// A failed or silent step (60 s default) fails the workflow with a message naming it, unless
// continueOnError. Deleting the run cancels every wait and callback.
class WorkflowTool final : public BuiltinTool
{
public:
    WorkflowTool();
    ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) override;

    // workflow-<stepId>-<ms>; the ms never repeat within this process, so two workflows that
    // start a step of the same id in the same millisecond cannot take each other's response.
    static QString stepRequestId(const QString &stepId);
};

} // namespace rcrt
