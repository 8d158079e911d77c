#include "app/runner/tools/randomtool.h"

#include "model/jsonschema.h"

#include <QRandomGenerator>

namespace rcrt {

RandomTool::RandomTool()
    : BuiltinTool({
        QStringLiteral("random"),
        QStringLiteral("Random integers between min and max, inclusive (built into RCRT "
                       "Console)"),
        R"({"type":"object","properties":{
            "min":{"type":"integer","default":0,"description":"Smallest allowed number"},
            "max":{"type":"integer","default":100,"description":"Largest allowed number"},
            "count":{"type":"integer","default":1,"minimum":1,"maximum":1000,
                     "description":"How many numbers"}}})",
        R"({"type":"object","properties":{
            "numbers":{"type":"array","items":{"type":"integer"},
                       "description":"The numbers drawn; numbers[0] is the first"}}})",
        R"([{"description":"One number from 1 to 10","input":{"min":1,"max":10},
             "output":{"numbers":[7]}},
            {"description":"Three numbers from 0 to 100","input":{"min":0,"max":100,"count":3},
             "output":{"numbers":[42,73,15]}}])",
    })
{
    // ±(2^53 - 1): beyond that a JSON number cannot hold every integer.
    QJsonObject properties = m_inputSchema.value(u"properties").toObject();
    for (const QString &key : {QStringLiteral("min"), QStringLiteral("max")}) {
        QJsonObject p = properties.value(key).toObject();
        p.insert(QStringLiteral("minimum"), double(-kLimit));
        p.insert(QStringLiteral("maximum"), double(kLimit));
        properties.insert(key, p);
    }
    m_inputSchema.insert(QStringLiteral("properties"), properties);
}

ToolRun *RandomTool::start(const QJsonValue &input, ToolContext &, QObject *parent)
{
    // The runner validated the input; defaults fill what was left out.
    const QJsonObject in = jsonschema::withDefaults(input, m_inputSchema).toObject();
    const auto min = qint64(in.value(u"min").toDouble());
    const auto max = qint64(in.value(u"max").toDouble());
    const int count = in.value(u"count").toInt();
    if (min > max)
        return finishSoon(ToolResult::failure(
                              QStringLiteral("min (%1) must be ≤ max (%2)").arg(min).arg(max)),
                          parent);
    if (count < 1 || count > kMaxCount || min < -kLimit || max > kLimit)
        return finishSoon(ToolResult::failure(QStringLiteral(
                              "count must be 1–1000 and min, max within ±(2^53 - 1)")),
                          parent);
    QJsonArray numbers;
    for (int i = 0; i < count; ++i)
        numbers.append(double(QRandomGenerator::global()->bounded(min, max + 1)));
    return finishSoon(ToolResult::success(QJsonObject{{QStringLiteral("numbers"), numbers}}),
                      parent);
}

} // namespace rcrt
