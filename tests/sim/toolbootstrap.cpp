#include "toolbootstrap.h"

#include "breadcrumbwriter.h"
#include "jsonwriter.h"
#include "timestamps.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rcrt::sim {
namespace {

struct ToolSpec
{
    const char *name;
    const char *title;
    const char *description;
    QJsonObject inputSchema;
    QJsonObject exampleInput;
    QJsonObject exampleOutput;
    int timeoutMs;
    const char *category;
};

QJsonObject objectSchema(std::initializer_list<std::pair<const char *, const char *>> props)
{
    QJsonObject properties;
    for (const auto &[name, type] : props)
        properties.insert(QLatin1String(name), QJsonObject{{QStringLiteral("type"), QLatin1String(type)}});
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), properties}};
}

QList<ToolSpec> toolSpecs()
{
    return {
        {"echo", "Echo Tool (Self-Contained)", "Returns the message it is given",
         objectSchema({{"message", "string"}}), QJsonObject{{QStringLiteral("message"), QStringLiteral("hello ✅")}},
         QJsonObject{{QStringLiteral("echo"), QStringLiteral("hello ✅")}}, 5000, "utility"},
        {"random", "Random Number Generator (Self-Contained)", "Generates random integers",
         objectSchema({{"min", "number"}, {"max", "number"}, {"count", "number"}}),
         QJsonObject{{QStringLiteral("min"), 1}, {QStringLiteral("max"), 10}},
         QJsonObject{{QStringLiteral("numbers"), QJsonArray{7}}}, 1000, "utility"},
        {"calculator", "Calculator Tool (Self-Contained)", "Evaluates arithmetic expressions",
         objectSchema({{"expression", "string"}}), QJsonObject{{QStringLiteral("expression"), QStringLiteral("7 + 3")}},
         QJsonObject{{QStringLiteral("result"), 10}, {QStringLiteral("expression"), QStringLiteral("7 + 3")},
                     {QStringLiteral("formatted"), QStringLiteral("7 + 3 = 10")}},
         5000, "math"},
        {"timer", "Timer Tool (Self-Contained)", "Waits for a number of seconds (0-60)",
         objectSchema({{"seconds", "number"}}), QJsonObject{{QStringLiteral("seconds"), 2}},
         QJsonObject{{QStringLiteral("waited"), 2}, {QStringLiteral("message"), QStringLiteral("Waited 2 seconds")}},
         65000, "utility"},
        {"workflow", "Workflow Orchestrator (Self-Contained)",
         "Runs steps of other tools in dependency order",
         objectSchema({{"steps", "array"}, {"returnStep", "string"}, {"continueOnError", "boolean"}}),
         QJsonObject{{QStringLiteral("steps"),
                      QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("num1")},
                                             {QStringLiteral("tool"), QStringLiteral("random")},
                                             {QStringLiteral("input"), QJsonObject{{QStringLiteral("min"), 1},
                                                                                   {QStringLiteral("max"), 10}}}}}}},
         QJsonObject{{QStringLiteral("results"), QJsonObject{}}, {QStringLiteral("executionOrder"), QJsonArray{}}},
         300000, "orchestration"},
        {"openrouter", "OpenRouter LLM Tool (Self-Contained)", "Chat completion through OpenRouter",
         objectSchema({{"messages", "array"}, {"model", "string"}, {"temperature", "number"},
                       {"max_tokens", "number"}, {"config_id", "string"}}),
         QJsonObject{{QStringLiteral("messages"),
                      QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                             {QStringLiteral("content"), QStringLiteral("Hi")}}}}},
         QJsonObject{{QStringLiteral("content"), QStringLiteral("Hello!")}}, 60000, "llm"},
    };
}

} // namespace

Identity writerIdentity(const QUuid &owner, const QUuid &agent)
{
    return Identity{owner, agent, {"curator", "emitter", "subscriber"}};
}

void publishToolBootstrap(BreadcrumbWriter &writer, const QUuid &owner)
{
    const Identity bootstrap = writerIdentity(owner, agents::kBootstrap);
    QJsonArray catalog;
    const QByteArray now = formatMillis(nowMicros());
    for (const ToolSpec &spec : toolSpecs()) {
        const QString name = QLatin1String(spec.name);
        const QJsonObject example{{QStringLiteral("description"), QStringLiteral("Typical call")},
                                  {QStringLiteral("input"), spec.exampleInput},
                                  {QStringLiteral("output"), spec.exampleOutput}};
        const QJsonObject context{
            {QStringLiteral("name"), name},
            {QStringLiteral("description"), QLatin1String(spec.description)},
            {QStringLiteral("code"), QJsonObject{{QStringLiteral("language"), QStringLiteral("typescript")},
                                                 {QStringLiteral("source"),
                                                  QStringLiteral("export async function execute(input, context) { /* simulated by rcrt-sim */ }")}}},
            {QStringLiteral("input_schema"), spec.inputSchema},
            {QStringLiteral("output_schema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}},
            {QStringLiteral("permissions"), QJsonObject{{QStringLiteral("net"), false}, {QStringLiteral("read"), false},
                                                        {QStringLiteral("write"), false}, {QStringLiteral("env"), false},
                                                        {QStringLiteral("run"), false}}},
            {QStringLiteral("limits"), QJsonObject{{QStringLiteral("timeout_ms"), spec.timeoutMs}}},
            {QStringLiteral("examples"), QJsonArray{example}},
        };
        NewBreadcrumb tool;
        tool.title = spec.title;
        tool.description = QByteArray(spec.description);
        tool.semanticVersion = QByteArray("2.0.0");
        tool.schemaName = QByteArray("tool.code.v1");
        tool.tags = {"tool", "tool:" + QByteArray(spec.name), "workspace:tools", "self-contained"};
        if (qstrcmp(spec.category, "llm") == 0)
            tool.tags.append("llm");
        tool.context = canonicalJson(context);
        tool.llmHints = canonicalJson(QJsonObject{
            {QStringLiteral("include"), QJsonArray{QStringLiteral("name"), QStringLiteral("description"),
                                                   QStringLiteral("input_schema"), QStringLiteral("output_schema"),
                                                   QStringLiteral("examples")}},
            {QStringLiteral("exclude"), QJsonArray{QStringLiteral("code"), QStringLiteral("permissions"),
                                                   QStringLiteral("limits")}}});
        writer.create(bootstrap, std::move(tool));
        catalog.append(QJsonObject{{QStringLiteral("name"), name},
                                   {QStringLiteral("description"), QLatin1String(spec.description)},
                                   {QStringLiteral("category"), QLatin1String(spec.category)},
                                   {QStringLiteral("version"), QStringLiteral("2.0.0")},
                                   {QStringLiteral("inputSchema"), spec.inputSchema},
                                   {QStringLiteral("outputSchema"), QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}},
                                   {QStringLiteral("examples"), QJsonArray{example}},
                                   {QStringLiteral("capabilities"), QJsonObject{}},
                                   {QStringLiteral("status"), QStringLiteral("active")},
                                   {QStringLiteral("lastSeen"), QString::fromLatin1(now)}});
    }
    NewBreadcrumb toolCatalog;
    toolCatalog.title = "Tool Catalog";
    toolCatalog.schemaName = QByteArray("tool.catalog.v1");
    toolCatalog.tags = {"workspace:tools", "tool:catalog"};
    toolCatalog.context = canonicalJson(QJsonObject{{QStringLiteral("tools"), catalog},
                                                    {QStringLiteral("totalTools"), catalog.size()},
                                                    {QStringLiteral("activeTools"), catalog.size()},
                                                    {QStringLiteral("lastUpdated"), QString::fromLatin1(now)}});
    writer.create(writerIdentity(owner, agents::kToolsRunner), std::move(toolCatalog));
}

} // namespace rcrt::sim
