#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace rcrt {

// One step of a workflow tool input: {id, tool, input, dependencies?, timeoutSeconds?}.
struct WorkflowStep
{
    QString id;
    QString tool;
    QJsonValue input;
    QStringList dependencies; // given, or found from ${id...} references when left out
    int timeoutMs = 0;
};

// The workflow tool's input, checked: ids unique and well-formed (letters, digits, _ and -, so
// they read unambiguously in ${id.path} and in request ids), dependencies exist, no cycles,
// and every ${id...} reference names a step this one (transitively) depends on, so its output
// exists by the time the step starts.
struct WorkflowPlan
{
    static constexpr int kMaxSteps = 100;
    static constexpr int kDefaultStepTimeoutMs = 60'000;
    static constexpr int kMaxStepTimeoutMs = 600'000;

    QList<WorkflowStep> steps; // input order
    bool continueOnError = false;
    QString returnStep;

    // nullopt with a message naming the step on any problem.
    static std::optional<WorkflowPlan> parse(const QJsonObject &input, QString *error);

    qsizetype indexOf(const QString &id) const;
};

// The step ids referenced as ${id}, ${id.path} or ${id[0]...} in the strings of `value`.
QSet<QString> referencedSteps(const QJsonValue &value, const QSet<QString> &stepIds);

// `value` with ${id.path} replaced in every string, reading `results` ({stepId: output}) with
// valueAtPath. A string that is exactly one ${...} takes the referenced value with its JSON
// type; otherwise the value's text is substituted (strings as they are, numbers shortest,
// objects and arrays as compact JSON). ${...} whose first name is not in `stepIds` stays as
// written. A path absent from the output is an error naming it.
std::optional<QJsonValue> interpolateStepInput(const QJsonValue &value, const QJsonObject &results,
                                               const QSet<QString> &stepIds, QString *error);

} // namespace rcrt
