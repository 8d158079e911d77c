#pragma once

#include "app/runner/tool.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace rcrt {

// The allow-list of tools a runner may execute. A name that is not registered is refused;
// there is no fallback to code from breadcrumbs, a shell or the file system (issue 8 item 5).
class ToolRegistry
{
public:
    // Serialized input above this size is refused before validation (the server's own body
    // limit is 2 MiB; a tool input has no business being near it).
    static constexpr qsizetype kMaxInputBytes = 256 * 1024;

    ToolRegistry() = default;
    ToolRegistry(ToolRegistry &&) noexcept = default;
    ToolRegistry &operator=(ToolRegistry &&) noexcept = default;

    // echo, random, calculator, timer, workflow.
    static ToolRegistry builtins();

    // Adds `tool`, replacing a tool of the same name.
    void add(std::unique_ptr<Tool> tool);

    // nullptr when `name` is not allow-listed.
    Tool *find(const QString &name) const;
    QStringList names() const; // sorted

    // Empty when `input` may be handed to `name`'s start(): the tool is allow-listed, the
    // input is within kMaxInputBytes and valid against its input schema. Otherwise one
    // message for a tool.response.v1 error, e.g. "invalid input for random:
    // input.count: must be ≤ 1000".
    QString checkRequest(const QString &name, const QJsonValue &input) const;

    // One tool as a tool.catalog.v1 `tools` entry: name, description, category, version,
    // inputSchema, outputSchema, examples, timeoutMs, status.
    static QJsonObject catalogEntry(const Tool &tool);
    QJsonArray catalogEntries() const; // sorted by name

private:
    std::vector<std::unique_ptr<Tool>> m_tools;
};

} // namespace rcrt
