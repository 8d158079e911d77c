#include "app/runner/toolregistry.h"

#include "app/runner/tools/calculatortool.h"
#include "app/runner/tools/echotool.h"
#include "app/runner/tools/randomtool.h"
#include "app/runner/tools/timertool.h"
#include "app/runner/tools/workflowtool.h"
#include "model/jsonschema.h"

#include <QJsonDocument>

#include <algorithm>

namespace rcrt {

ToolRegistry ToolRegistry::builtins()
{
    ToolRegistry registry;
    registry.add(std::make_unique<EchoTool>());
    registry.add(std::make_unique<RandomTool>());
    registry.add(std::make_unique<CalculatorTool>());
    registry.add(std::make_unique<TimerTool>());
    registry.add(std::make_unique<WorkflowTool>());
    return registry;
}

void ToolRegistry::add(std::unique_ptr<Tool> tool)
{
    const QString name = tool->name();
    const auto same = std::find_if(m_tools.begin(), m_tools.end(),
                                   [&](const auto &t) { return t->name() == name; });
    if (same != m_tools.end())
        *same = std::move(tool);
    else
        m_tools.push_back(std::move(tool));
}

Tool *ToolRegistry::find(const QString &name) const
{
    for (const auto &tool : m_tools)
        if (tool->name() == name)
            return tool.get();
    return nullptr;
}

QStringList ToolRegistry::names() const
{
    QStringList names;
    for (const auto &tool : m_tools)
        names << tool->name();
    names.sort();
    return names;
}

QString ToolRegistry::checkRequest(const QString &name, const QJsonValue &input) const
{
    const Tool *tool = find(name);
    if (!tool)
        return QStringLiteral("tool \"%1\" is not available in this runner (allowed: %2)")
            .arg(name.left(100), names().join(QStringLiteral(", ")));

    // Size first: validating a 100 MB input would be the attack.
    const qsizetype bytes = QJsonDocument(QJsonArray{input}).toJson(QJsonDocument::Compact).size()
                            - 2;
    if (bytes > kMaxInputBytes)
        return QStringLiteral("input for %1 is %2 bytes; the limit is %3")
            .arg(name)
            .arg(bytes)
            .arg(kMaxInputBytes);

    const QStringList problems = jsonschema::validate(input, tool->inputSchema());
    if (!problems.isEmpty())
        return QStringLiteral("invalid input for %1: %2").arg(name, problems.join(u"; "));
    return {};
}

QJsonObject ToolRegistry::catalogEntry(const Tool &tool)
{
    return {
        {QStringLiteral("name"), tool.name()},
        {QStringLiteral("description"), tool.description()},
        {QStringLiteral("category"), QStringLiteral("builtin")},
        {QStringLiteral("version"), QStringLiteral(RCRT_VERSION)},
        {QStringLiteral("inputSchema"), tool.inputSchema()},
        {QStringLiteral("outputSchema"), tool.outputSchema()},
        {QStringLiteral("examples"), tool.examples()},
        {QStringLiteral("timeoutMs"), tool.timeoutMs()},
        {QStringLiteral("status"), QStringLiteral("active")},
    };
}

QJsonArray ToolRegistry::catalogEntries() const
{
    QJsonArray entries;
    for (const QString &name : names())
        entries.append(catalogEntry(*find(name)));
    return entries;
}

} // namespace rcrt
