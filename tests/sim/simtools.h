#pragma once

#include "fastrandom.h"

#include <QJsonValue>
#include <QString>

#include <optional>

namespace rcrt::sim {

// The built-in tools the simulated tools-runner can execute in place of Deno (the workflow
// tool lives in SimWorkflow because it waits on other requests).
struct ToolOutcome
{
    bool ok = true;
    QJsonValue output;
    QString error;
};

bool isLlmTool(const QString &tool);
// echo, random, calculator, timer, workflow and the LLM tools.
bool runBuiltinToolKnown(const QString &tool);
// Nullopt when the runner has no implementation (the runtime's "not loaded" error path).
std::optional<ToolOutcome> runBuiltinTool(const QString &tool, const QJsonValue &input,
                                          FastRandom &random);
// How long the simulated execution holds a slot: 80-250 ms for small tools, seconds for an LLM
// (which makes slot starvation reproducible), the requested wait for `timer`.
int executionTimeMs(const QString &tool, const QJsonValue &input, FastRandom &random);

// "7 + 3" style arithmetic for the calculator tool.
std::optional<double> evaluateExpression(const QString &expression, QString &error);

} // namespace rcrt::sim
