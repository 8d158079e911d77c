#include "app/runner/tools/builtintool.h"

#include <QJsonDocument>
#include <QTimer>

namespace rcrt {

namespace {

QJsonDocument parseLiteral(const QString &tool, QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("built-in tool %s: JSON literal does not parse at %d: %s", qPrintable(tool),
               error.offset, qPrintable(error.errorString()));
    return doc;
}

} // namespace

BuiltinTool::BuiltinTool(const Spec &spec)
    : m_inputSchema(parseLiteral(spec.name, spec.inputSchema).object()),
      m_name(spec.name),
      m_description(spec.description),
      m_outputSchema(parseLiteral(spec.name, spec.outputSchema).object()),
      m_examples(parseLiteral(spec.name, spec.examples).array()),
      m_timeoutMs(spec.timeoutMs)
{
}

ToolRun *finishSoon(ToolResult result, QObject *parent)
{
    auto *run = new ToolRun(parent);
    QTimer::singleShot(0, run, [run, result = std::move(result)] { emit run->finished(result); });
    return run;
}

} // namespace rcrt
