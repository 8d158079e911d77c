#pragma once

#include "model/waitcriteria.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace rcrt {

// What one tool run produced: output on success, a message on error.
struct ToolResult
{
    bool ok = false;
    QJsonValue output;
    QString error;

    static ToolResult success(QJsonValue output) { return {true, std::move(output), {}}; }
    static ToolResult failure(QString error) { return {false, {}, std::move(error)}; }
};

// What a running tool may ask of the runner that hosts it. Tools never touch the file system,
// a shell or the network themselves: the only effects are these two calls.
//
// Callbacks are invoked on the runner's thread, and only while `guard` is alive: a run the
// runner has timed out and deleted never hears back.
class ToolContext
{
public:
    virtual ~ToolContext() = default;

    // Creates a tool.request.v1 for `tool` with `input` and context.requestId = requestId
    // (plus `extraContext` keys such as stepId), tagged tool:request + the runner's workspace +
    // `extraTags`. `acknowledged` gets an empty string when the server acknowledged the write,
    // else the error.
    virtual void requestTool(const QString &tool, const QJsonValue &input,
                             const QString &requestId, const QJsonObject &extraContext,
                             const QStringList &extraTags, QObject *guard,
                             std::function<void(QString error)> acknowledged) = 0;

    // The first breadcrumb matching `criteria`: recent history first, then whatever arrives
    // next by local bus or SSE. nullopt after timeoutMs.
    virtual void waitFor(const WaitCriteria &criteria, int timeoutMs, QObject *guard,
                         std::function<void(std::optional<QJsonObject> breadcrumb)> done) = 0;

    // The workspace tag the runner serves, e.g. "workspace:tools".
    virtual QString workspace() const = 0;
};

// One running execution. Deleting it cancels the run (timers and waits are its children or
// guarded by it). Emits finished exactly once unless deleted first.
class ToolRun : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

signals:
    void finished(const rcrt::ToolResult &result);
};

// A built-in tool: allow-listed by name, input validated against inputSchema() by the runner
// before start() is called, no shell, no file system.
class Tool
{
public:
    virtual ~Tool() = default;

    virtual QString name() const = 0;
    virtual QString description() const = 0;
    virtual QJsonObject inputSchema() const = 0;   // JSON Schema (the subset model/jsonschema checks)
    virtual QJsonObject outputSchema() const { return {}; }
    // [{"description","input","output"}], as tool.code.v1 `examples`.
    virtual QJsonArray examples() const = 0;
    // The runner's per-tool timeout.
    virtual int timeoutMs() const { return 30'000; }

    // Starts one run. The returned object (parent: `parent`) emits finished() once, never from
    // inside start(): synchronous tools emit from a zero-delay timer, so the caller can connect.
    virtual ToolRun *start(const QJsonValue &input, ToolContext &context, QObject *parent) = 0;
};

} // namespace rcrt

Q_DECLARE_METATYPE(rcrt::ToolResult)
