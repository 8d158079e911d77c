#include "app/runner/tools/workflowtool.h"

#include "app/runner/tools/workflowplan.h"
#include "model/waitcriteria.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QPointer>

#include <atomic>

namespace rcrt {

namespace {

using namespace Qt::StringLiterals;

QString errorText(const QJsonValue &error)
{
    if (error.isString())
        return error.toString();
    if (error.isObject())
        return QString::fromUtf8(QJsonDocument(error.toObject()).toJson(QJsonDocument::Compact));
    if (error.isArray())
        return QString::fromUtf8(QJsonDocument(error.toArray()).toJson(QJsonDocument::Compact));
    return u"no error message"_s;
}

class WorkflowRun final : public ToolRun
{
public:
    WorkflowRun(WorkflowPlan plan, ToolContext &context, QObject *parent)
        : ToolRun(parent), m_plan(std::move(plan)), m_context(context),
          m_state(m_plan.steps.size(), State::Pending), m_live(new QObject(this))
    {
        for (const WorkflowStep &s : m_plan.steps)
            m_ids.insert(s.id);
        // Start after start() has returned, so the caller can connect to finished().
        QMetaObject::invokeMethod(m_live, [this] { advance(); }, Qt::QueuedConnection);
    }

private:
    enum class State { Pending, Running, Succeeded, Failed };

    // Launches every step whose dependencies have succeeded, until nothing changes; re-entrant
    // calls (a context that answers synchronously) only ask the outer loop to go round again.
    void advance()
    {
        if (m_advancing) {
            m_again = true;
            return;
        }
        m_advancing = true;
        do {
            m_again = false;
            for (qsizetype i = 0; i < m_plan.steps.size() && !m_done; ++i) {
                if (m_state[i] != State::Pending)
                    continue;
                bool ready = true;
                QString failedDependency;
                for (const QString &dep : m_plan.steps[i].dependencies) {
                    const State s = m_state[m_plan.indexOf(dep)];
                    ready = ready && s == State::Succeeded;
                    if (s == State::Failed && failedDependency.isEmpty())
                        failedDependency = dep;
                }
                if (!failedDependency.isEmpty())
                    stepFailed(i, u"dependency \"%1\" failed"_s.arg(failedDependency));
                else if (ready)
                    launch(i);
            }
        } while (m_again && !m_done);
        m_advancing = false;
        if (!m_done && !m_state.contains(State::Pending) && !m_state.contains(State::Running))
            finishAll();
    }

    void launch(qsizetype i)
    {
        const WorkflowStep &step = m_plan.steps[i];
        QString problem;
        const std::optional<QJsonValue> input
            = interpolateStepInput(step.input, m_results, m_ids, &problem);
        if (!input) {
            stepFailed(i, problem);
            return;
        }
        m_state[i] = State::Running;
        const QString requestId = WorkflowTool::stepRequestId(step.id);
        const int timeout = step.timeoutMs;
        m_context.requestTool(
            step.tool, *input, requestId, QJsonObject{{u"stepId"_s, step.id}},
            QStringList{u"workflow:step"_s}, m_live,
            [this, i, requestId, timeout](const QString &error) {
                if (m_done)
                    return;
                if (!error.isEmpty()) {
                    stepFailed(i, u"the request could not be written: "_s + error);
                    return;
                }
                m_context.waitFor(WaitCriteria::responseTo(requestId), timeout, m_live,
                                  [this, i, requestId, timeout](std::optional<QJsonObject> response) {
                                      if (!m_done)
                                          answered(i, requestId, timeout, response);
                                  });
            });
    }

    void answered(qsizetype i, const QString &requestId, int timeoutMs,
                  const std::optional<QJsonObject> &response)
    {
        if (!response) {
            stepFailed(i, u"no response to %1 within %2 s"_s.arg(requestId).arg(timeoutMs / 1000.0));
            return;
        }
        const QJsonObject context = response->value(u"context").toObject();
        const QString status = context.value(u"status").toString();
        if (status != u"success") {
            stepFailed(i, status == u"error"
                              ? errorText(context.value(u"error"))
                              : u"the response has status %1"_s.arg(
                                    QString::fromUtf8(QJsonDocument(QJsonArray{context.value(u"status")})
                                                          .toJson(QJsonDocument::Compact))));
            return;
        }
        const QJsonValue output = context.value(u"output");
        m_results.insert(m_plan.steps[i].id, output.isUndefined() ? QJsonValue() : output);
        m_order.append(m_plan.steps[i].id);
        m_state[i] = State::Succeeded;
        advance();
    }

    void stepFailed(qsizetype i, const QString &error)
    {
        const WorkflowStep &step = m_plan.steps[i];
        m_state[i] = State::Failed;
        if (!m_plan.continueOnError) {
            finish(ToolResult::failure(
                u"step \"%1\" (%2) failed: %3"_s.arg(step.id, step.tool, error)));
            return;
        }
        m_errors.insert(step.id, error);
        m_order.append(step.id);
        advance();
    }

    void finishAll()
    {
        if (!m_plan.returnStep.isEmpty()) {
            if (!m_results.contains(m_plan.returnStep)) {
                finish(ToolResult::failure(u"returnStep \"%1\" failed: %2"_s.arg(
                    m_plan.returnStep, m_errors.value(m_plan.returnStep).toString())));
                return;
            }
            finish(ToolResult::success(m_results.value(m_plan.returnStep)));
            return;
        }
        QJsonObject output{{u"results"_s, m_results}, {u"executionOrder"_s, m_order}};
        if (!m_errors.isEmpty())
            output.insert(u"errors"_s, m_errors);
        finish(ToolResult::success(output));
    }

    // Cancels what is still in flight and reports from the event loop, so no caller up the
    // stack touches a run its owner deleted on finished().
    void finish(ToolResult result)
    {
        m_done = true;
        delete m_live; // guards every outstanding request and wait
        m_live = nullptr;
        QMetaObject::invokeMethod(
            this, [this, result = std::move(result)] { emit finished(result); },
            Qt::QueuedConnection);
    }

    WorkflowPlan m_plan;
    ToolContext &m_context;
    QList<State> m_state;
    QObject *m_live;
    QSet<QString> m_ids;
    QJsonObject m_results;
    QJsonArray m_order;
    QJsonObject m_errors;
    bool m_done = false;
    bool m_advancing = false;
    bool m_again = false;
};

} // namespace

WorkflowTool::WorkflowTool()
    : BuiltinTool({
        QStringLiteral("workflow"),
        QStringLiteral("Runs tool steps with dependencies, in parallel where they allow, and "
                       "${stepId.path} interpolation of earlier outputs (built into RCRT Console)"),
        R"j({"type":"object","required":["steps"],"properties":{
            "steps":{"type":"array","minItems":1,"maxItems":100,"description":"The steps",
              "items":{"type":"object","required":["id","tool","input"],"properties":{
                "id":{"type":"string","pattern":"^[A-Za-z0-9_-]{1,64}$","examples":["step1"],
                      "description":"Unique step id (letters, digits, _ and -)"},
                "tool":{"type":"string","minLength":1,"maxLength":200,
                        "description":"Tool to request"},
                "input":{"type":"object",
                         "description":"Tool input; ${stepId.path} reads an earlier output"},
                "dependencies":{"type":"array","maxItems":100,"items":{"type":"string"},
                  "description":"Step ids to wait for (default: the steps the input refers to)"},
                "timeoutSeconds":{"type":"number","exclusiveMinimum":0,"maximum":600,
                  "description":"How long to wait for this step's response"}}}},
            "continueOnError":{"type":"boolean","default":false,
              "description":"Keep going after a failed step; its dependents fail too"},
            "returnStep":{"type":"string","description":"Answer with this step's output only"},
            "stepTimeoutSeconds":{"type":"number","exclusiveMinimum":0,"maximum":600,
              "default":60,"description":"Default wait for each step's response"}}})j",
        R"j({"type":"object","properties":{
            "results":{"type":"object","description":"Output of each step by id"},
            "executionOrder":{"type":"array","items":{"type":"string"},
                              "description":"Step ids in the order they finished"},
            "errors":{"type":"object","description":"With continueOnError: error by step id"}}})j",
        R"j([{"description":"Two random numbers, then their sum",
             "input":{"steps":[
               {"id":"num1","tool":"random","input":{"min":1,"max":10}},
               {"id":"num2","tool":"random","input":{"min":1,"max":10}},
               {"id":"sum","tool":"calculator",
                "input":{"expression":"${num1.numbers[0]} + ${num2.numbers[0]}"},
                "dependencies":["num1","num2"]}]},
             "output":{"results":{"num1":{"numbers":[7]},"num2":{"numbers":[3]},
                                  "sum":{"result":10,"formatted":"7 + 3 = 10","expression":"7 + 3"}},
                       "executionOrder":["num1","num2","sum"]}},
            {"description":"Independent steps run in parallel",
             "input":{"steps":[{"id":"wait","tool":"timer","input":{"seconds":1}},
                               {"id":"say","tool":"echo","input":{"message":"Parallel"}}]},
             "output":{"results":{"say":{"message":"Parallel"},"wait":{"waited_ms":1001,"waited":1}},
                       "executionOrder":["say","wait"]}}])j",
        600'000,
    })
{
}

ToolRun *WorkflowTool::start(const QJsonValue &input, ToolContext &context, QObject *parent)
{
    QString error;
    std::optional<WorkflowPlan> plan = WorkflowPlan::parse(input.toObject(), &error);
    if (!plan)
        return finishSoon(ToolResult::failure(error), parent);
    return new WorkflowRun(std::move(*plan), context, parent);
}

QString WorkflowTool::stepRequestId(const QString &stepId)
{
    static std::atomic<qint64> lastMs{0};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 previous = lastMs.load();
    qint64 ms = 0;
    do {
        ms = std::max(now, previous + 1);
    } while (!lastMs.compare_exchange_weak(previous, ms));
    return u"workflow-%1-%2"_s.arg(stepId).arg(ms);
}

} // namespace rcrt
