#include "app/runner/tools/workflowplan.h"

#include "model/jsonschema.h"
#include "model/waitcriteria.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>
#include <functional>

namespace rcrt {

namespace {

using namespace Qt::StringLiterals;

const QRegularExpression &referencePattern()
{
    static const QRegularExpression re(u"\\$\\{([^{}]*)\\}"_s);
    return re;
}

const QRegularExpression &idPattern()
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,64}$"_s);
    return re;
}

// "num1.numbers[0]" → "num1".
QString firstName(const QString &path)
{
    qsizetype end = 0;
    while (end < path.size() && path[end] != u'.' && path[end] != u'[')
        ++end;
    return path.left(end);
}

void collectReferences(const QJsonValue &v, const QSet<QString> &ids, QSet<QString> &out,
                       int depth)
{
    if (depth > jsonschema::kMaxDepth)
        return;
    if (v.isString()) {
        auto it = referencePattern().globalMatch(v.toString());
        while (it.hasNext()) {
            const QString name = firstName(it.next().captured(1).trimmed());
            if (ids.contains(name))
                out.insert(name);
        }
    } else if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            collectReferences(item, ids, out, depth + 1);
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            collectReferences(it.value(), ids, out, depth + 1);
    }
}

QString text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QJsonValue::Bool: return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Null:
    case QJsonValue::Undefined: break;
    }
    return u"null"_s;
}

struct Interpolator
{
    const QJsonObject &results;
    const QSet<QString> &ids;
    QString error;

    // nullopt: not a step reference, leave the text as written. Sets `error` when the step
    // output lacks the path.
    std::optional<QJsonValue> resolve(const QString &rawPath)
    {
        const QString path = rawPath.trimmed();
        const QString step = firstName(path);
        if (!ids.contains(step))
            return std::nullopt;
        if (!results.contains(step)) {
            error = u"${%1}: step \"%2\" has no output (it has not run or it failed)"_s.arg(path, step);
            return std::nullopt;
        }
        const QJsonValue v = valueAtPath(results, path);
        if (v.isUndefined()) {
            error = u"${%1}: not found in the output of step \"%2\" (%3)"_s.arg(
                path, step, text(results.value(step)).left(200));
            return std::nullopt;
        }
        return v;
    }

    QJsonValue apply(const QJsonValue &v, int depth)
    {
        if (!error.isEmpty())
            return v;
        if (depth > jsonschema::kMaxDepth) {
            error = u"step input nests deeper than %1 levels"_s.arg(jsonschema::kMaxDepth);
            return v;
        }
        if (v.isString())
            return applyToString(v.toString());
        if (v.isArray()) {
            QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i)
                a[i] = apply(a.at(i), depth + 1);
            return a;
        }
        if (v.isObject()) {
            QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                it.value() = apply(it.value(), depth + 1);
            return o;
        }
        return v;
    }

    QJsonValue applyToString(const QString &s)
    {
        auto it = referencePattern().globalMatch(s);
        if (!it.hasNext())
            return s;
        QString out;
        qsizetype last = 0;
        while (it.hasNext() && error.isEmpty()) {
            const QRegularExpressionMatch m = it.next();
            const std::optional<QJsonValue> value = resolve(m.captured(1));
            if (value && m.capturedStart() == 0 && m.capturedLength() == s.size())
                return *value; // exactly one reference: keep its JSON type
            out += QStringView(s).sliced(last, m.capturedStart() - last);
            out += value ? text(*value) : m.captured(0);
            last = m.capturedEnd();
        }
        out += QStringView(s).sliced(last);
        return out;
    }
};

// "a → b → a" for the first cycle found, or empty.
QString findCycle(const QList<WorkflowStep> &steps, const QHash<QString, qsizetype> &index)
{
    enum Colour { White, Grey, Black };
    QList<Colour> colour(steps.size(), White);
    QList<qsizetype> stack;
    QString cycle;
    std::function<bool(qsizetype)> visit = [&](qsizetype i) {
        colour[i] = Grey;
        stack.append(i);
        for (const QString &dep : steps[i].dependencies) {
            const qsizetype j = index.value(dep);
            if (colour[j] == Grey) {
                QStringList names;
                for (qsizetype k = stack.indexOf(j); k < stack.size(); ++k)
                    names << steps[stack[k]].id;
                names << steps[j].id;
                cycle = names.join(u" → "_s);
                return true;
            }
            if (colour[j] == White && visit(j))
                return true;
        }
        stack.removeLast();
        colour[i] = Black;
        return false;
    };
    for (qsizetype i = 0; i < steps.size(); ++i)
        if (colour[i] == White && visit(i))
            break;
    return cycle;
}

std::optional<int> timeoutMs(const QJsonValue &seconds, int fallback, const QString &what,
                             QString *error)
{
    if (seconds.isUndefined())
        return fallback;
    const double s = seconds.toDouble(-1);
    if (!seconds.isDouble() || !(s > 0) || s * 1000 > WorkflowPlan::kMaxStepTimeoutMs) {
        *error = u"%1 must be a number of seconds above 0 and at most %2"_s.arg(what).arg(
            WorkflowPlan::kMaxStepTimeoutMs / 1000);
        return std::nullopt;
    }
    return int(std::lround(s * 1000));
}

} // namespace

qsizetype WorkflowPlan::indexOf(const QString &id) const
{
    for (qsizetype i = 0; i < steps.size(); ++i)
        if (steps[i].id == id)
            return i;
    return -1;
}

std::optional<WorkflowPlan> WorkflowPlan::parse(const QJsonObject &input, QString *errorOut)
{
    QString scratch;
    QString &error = errorOut ? *errorOut : scratch;
    const auto fail = [&error](const QString &message) {
        error = message;
        return std::optional<WorkflowPlan>();
    };

    const QJsonArray steps = input.value(u"steps").toArray();
    if (steps.isEmpty())
        return fail(u"steps must be a non-empty array of {id, tool, input}"_s);
    if (steps.size() > kMaxSteps)
        return fail(u"a workflow has at most %1 steps (got %2)"_s.arg(kMaxSteps).arg(steps.size()));

    const std::optional<int> defaultTimeout = timeoutMs(input.value(u"stepTimeoutSeconds"),
                                                        kDefaultStepTimeoutMs,
                                                        u"stepTimeoutSeconds"_s, &error);
    if (!defaultTimeout)
        return std::nullopt;

    WorkflowPlan plan;
    plan.continueOnError = input.value(u"continueOnError").toBool(false);
    QHash<QString, qsizetype> index;
    QList<bool> explicitDeps;
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QString at = u"steps[%1]"_s.arg(i);
        const QJsonObject s = steps.at(i).toObject();
        if (!steps.at(i).isObject())
            return fail(at + u" must be an object {id, tool, input}"_s);
        WorkflowStep step;
        step.id = s.value(u"id").toString();
        if (!idPattern().match(step.id).hasMatch())
            return fail(u"%1.id must be 1–64 letters, digits, _ or - (got %2)"_s.arg(
                at, text(s.value(u"id")).left(80)));
        if (index.contains(step.id))
            return fail(u"%1.id \"%2\" is also the id of steps[%3]"_s.arg(at, step.id)
                            .arg(index.value(step.id)));
        step.tool = s.value(u"tool").toString();
        if (step.tool.isEmpty())
            return fail(u"step \"%1\": tool must be a non-empty string"_s.arg(step.id));
        if (!s.value(u"input").isObject())
            return fail(u"step \"%1\": input must be an object"_s.arg(step.id));
        step.input = s.value(u"input");
        const QJsonValue deps = s.value(u"dependencies");
        if (!deps.isUndefined() && !deps.isArray())
            return fail(u"step \"%1\": dependencies must be an array of step ids"_s.arg(step.id));
        for (const QJsonValue &d : deps.toArray()) {
            if (!d.isString())
                return fail(u"step \"%1\": dependencies must be an array of step ids"_s.arg(step.id));
            if (!step.dependencies.contains(d.toString()))
                step.dependencies << d.toString();
        }
        const std::optional<int> t = timeoutMs(s.value(u"timeoutSeconds"), *defaultTimeout,
                                               u"step \"%1\": timeoutSeconds"_s.arg(step.id),
                                               &error);
        if (!t)
            return std::nullopt;
        step.timeoutMs = *t;
        index.insert(step.id, i);
        explicitDeps << !deps.isUndefined();
        plan.steps << step;
    }

    const QSet<QString> ids(index.keyBegin(), index.keyEnd());
    QList<QSet<QString>> references;
    for (qsizetype i = 0; i < plan.steps.size(); ++i) {
        WorkflowStep &step = plan.steps[i];
        references << referencedSteps(step.input, ids);
        if (!explicitDeps[i]) { // as the real tool does: depend on what the input refers to
            QStringList found(references[i].begin(), references[i].end());
            found.removeAll(step.id);
            found.sort();
            step.dependencies = found;
        }
        for (const QString &dep : step.dependencies)
            if (!index.contains(dep))
                return fail(u"step \"%1\" depends on \"%2\", which is not a step of this workflow"_s
                                .arg(step.id, dep));
    }

    if (const QString cycle = findCycle(plan.steps, index); !cycle.isEmpty())
        return fail(u"dependency cycle: %1"_s.arg(cycle));

    for (qsizetype i = 0; i < plan.steps.size(); ++i) {
        // Everything this step waits for, directly or through its dependencies.
        QSet<QString> before;
        QStringList todo = plan.steps[i].dependencies;
        while (!todo.isEmpty()) {
            const QString d = todo.takeLast();
            if (!before.contains(d)) {
                before.insert(d);
                todo << plan.steps[index.value(d)].dependencies;
            }
        }
        QStringList missing;
        for (const QString &r : references[i])
            if (!before.contains(r))
                missing << r;
        missing.sort();
        if (missing.contains(plan.steps[i].id))
            return fail(u"step \"%1\" refers to its own output"_s.arg(plan.steps[i].id));
        if (!missing.isEmpty())
            return fail(u"step \"%1\" refers to the output of %2 but does not depend on it "
                        u"(add it to dependencies)"_s.arg(plan.steps[i].id,
                                                          u"\""_s + missing.join(u"\", \""_s) + u'"'));
    }

    const QJsonValue returnStep = input.value(u"returnStep");
    if (!returnStep.isUndefined() && !returnStep.isNull()) {
        plan.returnStep = returnStep.toString();
        if (!index.contains(plan.returnStep))
            return fail(u"returnStep \"%1\" is not a step of this workflow"_s.arg(
                text(returnStep).left(80)));
    }
    return plan;
}

QSet<QString> referencedSteps(const QJsonValue &value, const QSet<QString> &stepIds)
{
    QSet<QString> out;
    collectReferences(value, stepIds, out, 0);
    return out;
}

std::optional<QJsonValue> interpolateStepInput(const QJsonValue &value, const QJsonObject &results,
                                               const QSet<QString> &stepIds, QString *error)
{
    Interpolator interpolator{results, stepIds, {}};
    const QJsonValue out = interpolator.apply(value, 0);
    if (!interpolator.error.isEmpty()) {
        if (error)
            *error = interpolator.error;
        return std::nullopt;
    }
    return out;
}

} // namespace rcrt
