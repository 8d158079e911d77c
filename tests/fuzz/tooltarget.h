#pragma once

// Fuzz target 4: tool-input validation. Shared by fuzz_toolinput.cpp and
// tests/unit/tst_fuzz_regressions.cpp.
//
// Input: "<tool name>\n<JSON text>". The name goes to ToolRegistry::checkRequest against the
// built-ins (so the allow-list, the size limit and each built-in's schema run); an accepted
// workflow input goes on to WorkflowPlan::parse and step interpolation, an accepted calculator
// input to the calculator. The name "schema" instead takes {"schema": S, "value": V} and runs
// jsonschema::validate, withDefaults and exampleFor on a hostile schema. The JSON text is also
// evaluated as a calculator expression.

#include "app/runner/toolregistry.h"
#include "app/runner/tools/workflowplan.h"
#include "model/calculator.h"
#include "model/jsonschema.h"

#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QString>

#include <cmath>

namespace rcrt::fuzz {

// Any JSON value, scalars included (QJsonDocument only takes an object or an array).
inline std::optional<QJsonValue> parseJsonValue(QByteArrayView text)
{
    QJsonParseError error;
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray("[" + text.toByteArray() + "]"), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().first();
}

inline QString checkCalculation(const QString &expression)
{
    const Calculation c = Calculation::evaluate(expression);
    if (!c.ok)
        return c.error.isEmpty() ? QStringLiteral("calculator refused without a message")
                                 : QString();
    if (!std::isfinite(c.value))
        return QStringLiteral("calculator returned a non-finite value");
    // format() promises text that reads back as the same value.
    const QString text = Calculation::format(c.value);
    const Calculation again = Calculation::evaluate(text);
    if (again.ok && again.value != c.value)
        return QStringLiteral("format(%1) reads back as another value").arg(text);
    return {};
}

inline QString checkWorkflow(const QJsonValue &input)
{
    QString error;
    const std::optional<WorkflowPlan> plan = WorkflowPlan::parse(input.toObject(), &error);
    if (!plan)
        return error.isEmpty() ? QStringLiteral("workflow plan refused without a message")
                               : QString();
    if (plan->steps.isEmpty() || plan->steps.size() > WorkflowPlan::kMaxSteps)
        return QStringLiteral("a plan of %1 steps was accepted").arg(plan->steps.size());
    QSet<QString> ids;
    for (const WorkflowStep &step : plan->steps)
        ids.insert(step.id);
    // Every step's output is the step's own input here: interpolation must never crash, and
    // fails only with a message.
    QJsonObject results;
    for (const WorkflowStep &step : plan->steps) {
        if (step.timeoutMs <= 0 || step.timeoutMs > WorkflowPlan::kMaxStepTimeoutMs)
            return QStringLiteral("step timeout %1 ms accepted").arg(step.timeoutMs);
        (void)referencedSteps(step.input, ids);
        QString interpolationError;
        const std::optional<QJsonValue> value =
            interpolateStepInput(step.input, results, ids, &interpolationError);
        if (!value && interpolationError.isEmpty())
            return QStringLiteral("interpolation failed without a message");
        results.insert(step.id, step.input);
    }
    return {};
}

inline QString checkSchema(const QJsonValue &input)
{
    const QJsonObject object = input.toObject();
    const QJsonObject schema = object.value(u"schema").toObject();
    const QJsonValue value = object.value(u"value");
    const QStringList problems = jsonschema::validate(value, schema);
    if (problems.size() > jsonschema::kMaxProblems + 1) // the cap, plus its "and more" line
        return QStringLiteral("%1 problems listed").arg(problems.size());
    (void)jsonschema::withDefaults(value, schema);
    (void)jsonschema::validate(jsonschema::exampleFor(schema), schema);
    return {};
}

inline const ToolRegistry &fuzzRegistry()
{
    static const ToolRegistry registry = ToolRegistry::builtins();
    return registry;
}

inline QString runToolInput(QByteArrayView input)
{
    const qsizetype newline = input.indexOf('\n');
    const QString name =
        QString::fromUtf8(newline < 0 ? input : input.first(newline));
    const QByteArrayView text = newline < 0 ? QByteArrayView() : input.sliced(newline + 1);

    if (const QString p = checkCalculation(QString::fromUtf8(text.first(std::min<qsizetype>(text.size(), 2000))));
        !p.isEmpty())
        return p;

    const std::optional<QJsonValue> value = parseJsonValue(text);
    if (!value)
        return {};
    if (name == u"schema")
        return checkSchema(*value);

    const QString refusal = fuzzRegistry().checkRequest(name, *value);
    if (!refusal.isEmpty())
        return {};
    if (!fuzzRegistry().find(name))
        return QStringLiteral("checkRequest accepted a tool that is not allow-listed");
    if (name == u"workflow")
        return checkWorkflow(*value);
    if (name == u"calculator")
        return checkCalculation(value->toObject().value(u"expression").toString());
    return {};
}

} // namespace rcrt::fuzz
