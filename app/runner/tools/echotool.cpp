#include "app/runner/tools/echotool.h"

namespace rcrt {

EchoTool::EchoTool()
    : BuiltinTool({
        QStringLiteral("echo"),
        QStringLiteral("Returns the message it was given (built into RCRT Console)"),
        R"({"type":"object","required":["message"],"properties":{
            "message":{"type":"string","description":"Text to send back"}}})",
        R"({"type":"object","properties":{
            "message":{"type":"string","description":"The input message, unchanged"}}})",
        R"([{"description":"Echo a greeting","input":{"message":"Hello"},
             "output":{"message":"Hello"}}])",
    })
{
}

ToolRun *EchoTool::start(const QJsonValue &input, ToolContext &, QObject *parent)
{
    const QJsonValue message = input.toObject().value(u"message");
    if (!message.isString())
        return finishSoon(ToolResult::failure(QStringLiteral("input.message must be a string")),
                          parent);
    return finishSoon(ToolResult::success(QJsonObject{{QStringLiteral("message"), message}}),
                      parent);
}

} // namespace rcrt
