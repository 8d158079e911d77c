// The workflow tool of SimRunner: like bootstrap-breadcrumbs/tools-self-contained/workflow.json
// it creates one tool.request.v1 per step (parallel within a dependency level), waits for the
// response tagged request:<requestId> for up to 60 s, interpolates ${step.path} references
// and answers with {results, executionOrder}. It holds its runner slot the whole time.
#include "simrunner.h"

#include "breadcrumbwriter.h"
#include "jsonwriter.h"
#include "simlog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTimer>

namespace rcrt::sim {
namespace {

constexpr int kStepTimeoutMs = 60000;

QJsonValue resolvePath(const QJsonObject &results, const QString &path)
{
    static const QRegularExpression token(QStringLiteral("([^.\\[\\]]+)|\\[(\\d+)\\]"));
    QJsonValue current = results;
    auto it = token.globalMatch(path);
    while (it.hasNext()) {
        const auto m = it.next();
        if (!m.captured(1).isEmpty())
            current = current.toObject().value(m.captured(1));
        else
            current = current.toArray().at(m.captured(2).toInt());
    }
    return current;
}

QString plainText(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    return QString::fromUtf8(canonicalJson(value));
}

QJsonValue interpolate(const QJsonValue &value, const QJsonObject &results)
{
    static const QRegularExpression placeholder(QStringLiteral("\\$\\{([^}]+)\\}"));
    if (value.isString()) {
        const QString text = value.toString();
        const auto whole = placeholder.match(text);
        if (whole.hasMatch() && whole.capturedStart() == 0 && whole.capturedLength() == text.size())
            return resolvePath(results, whole.captured(1));
        QString out = text;
        auto it = placeholder.globalMatch(text);
        qsizetype shift = 0;
        while (it.hasNext()) {
            const auto m = it.next();
            const QString replacement = plainText(resolvePath(results, m.captured(1)));
            out.replace(m.capturedStart() + shift, m.capturedLength(), replacement);
            shift += replacement.size() - m.capturedLength();
        }
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            out.append(interpolate(item, results));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            out.insert(it.key(), interpolate(it.value(), results));
        return out;
    }
    return value;
}

} // namespace

struct SimRunner::WorkflowRun
{
    Job job;
    qint64 startedMs = 0;
    QJsonArray steps;
    bool continueOnError = false;
    QString returnStep;
    QSet<QString> started;
    QSet<QString> finished;
    QJsonObject results;
    QJsonObject errors;
    QJsonArray executionOrder;
};

void SimRunner::startWorkflow(const Job &job, qint64 startedMs)
{
    auto run = std::make_shared<WorkflowRun>();
    run->job = job;
    run->startedMs = startedMs;
    const QJsonObject input = job.input.toObject();
    run->steps = input.value(QStringLiteral("steps")).toArray();
    run->continueOnError = input.value(QStringLiteral("continueOnError")).toBool();
    run->returnStep = input.value(QStringLiteral("returnStep")).toString();
    const int runId = m_nextRunId++;
    m_workflows.insert(runId, run);
    if (run->steps.isEmpty()) {
        QTimer::singleShot(10, this, [this, runId] {
            endWorkflow(runId, false, QStringLiteral("Workflow requires a non-empty steps array"));
        });
        return;
    }
    // The Deno process needs a moment before its first request.
    QTimer::singleShot(int(m_random.between(20, 60)), this, [this, runId] { advanceWorkflow(runId); });
}

void SimRunner::advanceWorkflow(int runId)
{
    const auto run = m_workflows.value(runId);
    if (!run)
        return;
    if (run->finished.size() == run->steps.size()) {
        endWorkflow(runId, true, {});
        return;
    }
    int launched = 0;
    for (const QJsonValue &stepValue : std::as_const(run->steps)) {
        const QJsonObject step = stepValue.toObject();
        const QString stepId = step.value(QStringLiteral("id")).toString();
        if (run->started.contains(stepId))
            continue;
        bool ready = true;
        const QJsonArray deps = step.value(QStringLiteral("dependencies")).toArray();
        for (const QJsonValue &dep : deps)
            ready = ready && run->finished.contains(dep.toString());
        if (!ready)
            continue;
        run->started.insert(stepId);
        ++launched;
        const QString requestId = QStringLiteral("workflow-%1-%2").arg(stepId).arg(QDateTime::currentMSecsSinceEpoch());
        m_waitingSteps.insert(requestId, {runId, stepId});
        NewBreadcrumb request;
        request.title = "Workflow step: " + stepId.toUtf8();
        request.schemaName = QByteArray("tool.request.v1");
        request.tags = {"tool:request", "workflow:step", "workspace:tools"};
        request.context = canonicalJson(QJsonObject{
            {QStringLiteral("tool"), step.value(QStringLiteral("tool"))},
            {QStringLiteral("input"), interpolate(step.value(QStringLiteral("input")), run->results)},
            {QStringLiteral("stepId"), stepId},
            {QStringLiteral("requestId"), requestId}});
        m_writer.create(m_identity, std::move(request));
        QTimer::singleShot(kStepTimeoutMs, this, [this, requestId] {
            const auto waiting = m_waitingSteps.take(requestId);
            if (waiting.first != 0)
                stepFinished(waiting.first, waiting.second, false, {},
                             QStringLiteral("Timeout waiting for step %1 after %2ms")
                                 .arg(waiting.second)
                                 .arg(kStepTimeoutMs));
        });
    }
    if (launched == 0 && run->started.size() == run->finished.size())
        endWorkflow(runId, false, QStringLiteral("Workflow has unsatisfiable dependencies"));
}

void SimRunner::onStepResponse(const QString &requestId, const QJsonObject &context)
{
    const auto waiting = m_waitingSteps.take(requestId);
    const bool ok = context.value(QStringLiteral("status")).toString() == QStringLiteral("success");
    const QJsonValue output = context.value(QStringLiteral("output"));
    const QString error = context.value(QStringLiteral("error")).toString();
    // The real tool polls the list every 100 ms: it notices a response up to 100 ms later.
    QTimer::singleShot(int(m_random.between(5, 100)), this, [this, waiting, ok, output, error] {
        stepFinished(waiting.first, waiting.second, ok, output, error);
    });
}

void SimRunner::stepFinished(int runId, const QString &stepId, bool ok, const QJsonValue &output,
                             const QString &error)
{
    const auto run = m_workflows.value(runId);
    if (!run)
        return;
    run->finished.insert(stepId);
    run->executionOrder.append(stepId);
    if (ok) {
        run->results.insert(stepId, output);
    } else {
        run->errors.insert(stepId, error);
        if (!run->continueOnError) {
            endWorkflow(runId, false, QStringLiteral("Step %1 failed: %2").arg(stepId, error));
            return;
        }
    }
    advanceWorkflow(runId);
}

void SimRunner::endWorkflow(int runId, bool ok, const QString &error)
{
    const auto run = m_workflows.take(runId);
    if (!run)
        return;
    for (auto it = m_waitingSteps.begin(); it != m_waitingSteps.end();)
        it = it->first == runId ? m_waitingSteps.erase(it) : std::next(it);
    if (ok) {
        QJsonObject output{{QStringLiteral("results"), run->results},
                           {QStringLiteral("executionOrder"), run->executionOrder}};
        if (!run->errors.isEmpty())
            output.insert(QStringLiteral("errors"), run->errors);
        const QJsonValue result = run->returnStep.isEmpty() ? QJsonValue(output)
                                                            : run->results.value(run->returnStep);
        const qint64 elapsed = QDateTime::currentMSecsSinceEpoch() - run->startedMs;
        respondSuccess(run->job, result, elapsed, int(elapsed));
    } else {
        qCInfo(lcRunner) << "workflow" << run->job.correlation << "failed:" << error;
        respondExceptionError(run->job, error);
    }
    releaseSlot();
}

} // namespace rcrt::sim
