#pragma once

#include "app/runner/tool.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonObject>

namespace rcrt {

// A built-in tool whose description, schemas and examples are data, written as JSON text in
// its source (parsed once; a malformed literal is a programming error and aborts). Subclasses
// only implement start().
class BuiltinTool : public Tool
{
public:
    struct Spec
    {
        QString name;
        QString description;
        QByteArrayView inputSchema;
        QByteArrayView outputSchema;
        QByteArrayView examples; // [{"description","input","output"}]
        int timeoutMs = 5'000;
    };

    QString name() const override { return m_name; }
    QString description() const override { return m_description; }
    QJsonObject inputSchema() const override { return m_inputSchema; }
    QJsonObject outputSchema() const override { return m_outputSchema; }
    QJsonArray examples() const override { return m_examples; }
    int timeoutMs() const override { return m_timeoutMs; }

protected:
    explicit BuiltinTool(const Spec &spec);

    QJsonObject m_inputSchema; // subclasses may refine it in their constructor

private:
    QString m_name;
    QString m_description;
    QJsonObject m_outputSchema;
    QJsonArray m_examples;
    int m_timeoutMs;
};

// A run that is already decided (the synchronous tools): emits `result` from a zero-delay
// timer, never from inside Tool::start(), so the caller can connect first.
ToolRun *finishSoon(ToolResult result, QObject *parent);

} // namespace rcrt
