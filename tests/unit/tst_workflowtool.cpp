// The workflow tool: plan checks (ids, dependencies, cycles, references), ${step.path}
// interpolation, and runs against an in-test ToolContext that plays the runner itself (it runs
// the built-ins from a ToolRegistry and answers with tool.response.v1 shapes matched by the real
// WaitCriteria). No network code of ours is involved, so none is faked.
#include "app/runner/toolregistry.h"
#include "app/runner/tools/workflowplan.h"
#include "app/runner/tools/workflowtool.h"
#include "model/calculator.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace rcrt;
using namespace Qt::StringLiterals;

namespace {

QJsonObject obj(const char *json)
{
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(QByteArray(json), &error).object();
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json);
    return o;
}

struct Request
{
    QString tool;
    QJsonValue input;
    QString requestId;
    QJsonObject extraContext;
    QStringList tags;
};

// Plays the runner: every request is acknowledged, then (unless `manual`) executed with the
// built-ins and answered. Waits see history first, then later responses, as the real wait API.
class RunnerContext final : public ToolContext
{
public:
    ToolRegistry tools = ToolRegistry::builtins();
    QList<Request> requests;
    QList<QJsonObject> responses; // history
    bool manual = false;          // the test answers with respond()
    QStringList unwritable;       // tools whose request write fails
    int deadGuards = 0;

    struct Waiter
    {
        WaitCriteria criteria;
        QPointer<QObject> guard;
        std::function<void(std::optional<QJsonObject>)> done;
        std::shared_ptr<QTimer> timer;
    };
    QList<std::shared_ptr<Waiter>> waiters;

    void requestTool(const QString &tool, const QJsonValue &input, const QString &requestId,
                     const QJsonObject &extraContext, const QStringList &extraTags,
                     QObject *guard, std::function<void(QString)> acknowledged) override
    {
        requests.append({tool, input, requestId, extraContext,
                         QStringList{u"tool:request"_s, workspace()} + extraTags});
        QPointer<QObject> g(guard);
        const bool fails = unwritable.contains(tool);
        QTimer::singleShot(0, [this, g, acknowledged, fails, tool, input, requestId] {
            if (!g)
                return;
            acknowledged(fails ? u"HTTP 503 from the server"_s : QString());
            if (!fails && !manual)
                execute(tool, input, requestId);
        });
    }

    void waitFor(const WaitCriteria &criteria, int timeoutMs, QObject *guard,
                 std::function<void(std::optional<QJsonObject>)> done) override
    {
        for (auto it = responses.crbegin(); it != responses.crend(); ++it) {
            if (criteria.matches(*it)) {
                done(*it);
                return;
            }
        }
        auto w = std::make_shared<Waiter>(Waiter{criteria, guard, std::move(done),
                                                 std::make_shared<QTimer>()});
        w->timer->setSingleShot(true);
        // A weak capture: the timer belongs to the waiter, so a strong one would be a cycle
        // that leaks every waiter answered before its timeout.
        QObject::connect(w->timer.get(), &QTimer::timeout, w->timer.get(),
                         [this, weak = std::weak_ptr<Waiter>(w)] {
            const std::shared_ptr<Waiter> waiter = weak.lock();
            if (!waiter)
                return;
            waiters.removeAll(waiter);
            if (waiter->guard)
                waiter->done(std::nullopt);
        });
        w->timer->start(timeoutMs);
        waiters.append(w);
    }

    QString workspace() const override { return u"workspace:tools"_s; }

    void respond(const QString &requestId, const QString &tool, const ToolResult &result)
    {
        QJsonObject context{{u"request_id"_s, requestId}, {u"tool"_s, tool},
                            {u"status"_s, result.ok ? u"success"_s : u"error"_s}};
        if (result.ok)
            context.insert(u"output"_s, result.output);
        else
            context.insert(u"error"_s, result.error);
        const QJsonObject response{
            {u"schema_name"_s, u"tool.response.v1"_s},
            {u"tags"_s, QJsonArray{workspace(), u"tool:response"_s, QString(u"request:"_s + requestId)}},
            {u"context"_s, context}};
        responses.append(response);
        const auto current = waiters;
        for (const auto &w : current) {
            if (!w->criteria.matches(response))
                continue;
            waiters.removeAll(w);
            if (w->guard)
                w->done(response);
            else
                ++deadGuards; // the waiter's owner is gone: it hears nothing
        }
    }

    const Request *request(const QString &stepId) const
    {
        for (const Request &r : requests)
            if (r.extraContext.value(u"stepId").toString() == stepId)
                return &r;
        return nullptr;
    }

private:
    void execute(const QString &tool, const QJsonValue &input, const QString &requestId)
    {
        const QString refused = tools.checkRequest(tool, input);
        if (!refused.isEmpty()) {
            if (tools.find(tool)) // unknown tools stay silent, as a missing runner would
                respond(requestId, tool, ToolResult::failure(refused));
            return;
        }
        ToolRun *run = tools.find(tool)->start(input, *this, &m_runs);
        QObject::connect(run, &ToolRun::finished, run,
                         [this, run, tool, requestId](const ToolResult &result) {
                             respond(requestId, tool, result);
                             run->deleteLater();
                         });
    }

    QObject m_runs;
};

} // namespace

class TstWorkflowTool : public QObject
{
    Q_OBJECT

private:
    WorkflowTool m_tool;

    static QString planError(const char *input)
    {
        QString error;
        const auto plan = WorkflowPlan::parse(obj(input), &error);
        return plan ? u"(valid)"_s : error;
    }

    ToolResult runWorkflow(RunnerContext &context, const QJsonObject &input, int timeoutMs = 10'000)
    {
        QObject parent;
        ToolRun *run = m_tool.start(input, context, &parent);
        QSignalSpy spy(run, &ToolRun::finished);
        if (spy.count() != 0 || !spy.wait(timeoutMs))
            return ToolResult::failure(u"test: no result"_s);
        QTest::qWait(0);
        if (spy.count() != 1)
            return ToolResult::failure(u"test: finished %1 times"_s.arg(spy.count()));
        return spy.first().first().value<ToolResult>();
    }

private slots:
    void initTestCase() { qRegisterMetaType<ToolResult>(); }

    void planChecks_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("error");
        const auto row = [](const char *name, const char *input, const char *error) {
            QTest::newRow(name) << QString::fromUtf8(input) << QString::fromUtf8(error);
        };
        row("no steps", R"({})", "steps must be a non-empty array of {id, tool, input}");
        row("empty steps", R"({"steps":[]})", "steps must be a non-empty array of {id, tool, input}");
        row("step not object", R"({"steps":[1]})", "steps[0] must be an object {id, tool, input}");
        row("bad id", R"({"steps":[{"id":"a.b","tool":"echo","input":{}}]})",
            "steps[0].id must be 1–64 letters, digits, _ or - (got a.b)");
        row("missing id", R"({"steps":[{"tool":"echo","input":{}}]})",
            "steps[0].id must be 1–64 letters, digits, _ or - (got null)");
        row("duplicate id", R"({"steps":[{"id":"a","tool":"echo","input":{}},
            {"id":"b","tool":"echo","input":{}},{"id":"a","tool":"echo","input":{}}]})",
            "steps[2].id \"a\" is also the id of steps[0]");
        row("no tool", R"({"steps":[{"id":"a","input":{}}]})", "step \"a\": tool must be a non-empty string");
        row("input not object", R"({"steps":[{"id":"a","tool":"echo","input":"x"}]})",
            "step \"a\": input must be an object");
        row("dependencies not array", R"({"steps":[{"id":"a","tool":"echo","input":{},"dependencies":"b"}]})",
            "step \"a\": dependencies must be an array of step ids");
        row("unknown dependency", R"({"steps":[{"id":"a","tool":"echo","input":{},"dependencies":["zz"]}]})",
            "step \"a\" depends on \"zz\", which is not a step of this workflow");
        row("self cycle", R"({"steps":[{"id":"a","tool":"echo","input":{},"dependencies":["a"]}]})",
            "dependency cycle: a → a");
        row("cycle", R"({"steps":[{"id":"x","tool":"echo","input":{}},
            {"id":"a","tool":"echo","input":{},"dependencies":["c","x"]},
            {"id":"b","tool":"echo","input":{},"dependencies":["a"]},
            {"id":"c","tool":"echo","input":{},"dependencies":["b"]}]})",
            "dependency cycle: a → c → b → a");
        row("cycle through references", R"({"steps":[
            {"id":"a","tool":"echo","input":{"message":"${b.message}"}},
            {"id":"b","tool":"echo","input":{"message":"${a.message}"}}]})",
            "dependency cycle: a → b → a");
        row("reference without dependency", R"({"steps":[{"id":"a","tool":"random","input":{}},
            {"id":"b","tool":"random","input":{}},
            {"id":"s","tool":"calculator","input":{"expression":"${a.numbers[0]}+${b.numbers[0]}"},
             "dependencies":["a"]}]})",
            "step \"s\" refers to the output of \"b\" but does not depend on it (add it to dependencies)");
        row("own output", R"({"steps":[{"id":"a","tool":"echo","input":{"message":"${a.message}"}}]})",
            "step \"a\" refers to its own output");
        row("returnStep unknown", R"({"returnStep":"zz","steps":[{"id":"a","tool":"echo","input":{}}]})",
            "returnStep \"zz\" is not a step of this workflow");
        row("step timeout", R"({"steps":[{"id":"a","tool":"echo","input":{},"timeoutSeconds":0}]})",
            "step \"a\": timeoutSeconds must be a number of seconds above 0 and at most 600");
        row("default timeout", R"({"stepTimeoutSeconds":1e9,"steps":[{"id":"a","tool":"echo","input":{}}]})",
            "stepTimeoutSeconds must be a number of seconds above 0 and at most 600");
        row("transitive reference ok", R"({"steps":[{"id":"a","tool":"echo","input":{"message":"1"}},
            {"id":"b","tool":"echo","input":{},"dependencies":["a"]},
            {"id":"c","tool":"echo","input":{"message":"${a.message}"},"dependencies":["b"]}]})",
            "(valid)");
        row("unknown name stays text", R"({"steps":[{"id":"a","tool":"echo","input":{"message":"${HOME}"}}]})",
            "(valid)");
    }

    void planChecks()
    {
        QFETCH(QString, input);
        QFETCH(QString, error);
        QCOMPARE(planError(input.toUtf8().constData()), error);
    }

    void planLimitsAndAutoDependencies()
    {
        QJsonArray steps;
        for (int i = 0; i <= WorkflowPlan::kMaxSteps; ++i)
            steps.append(QJsonObject{{u"id"_s, u"s%1"_s.arg(i)}, {u"tool"_s, u"echo"_s},
                                     {u"input"_s, QJsonObject{}}});
        QString error;
        QVERIFY(!WorkflowPlan::parse({{u"steps"_s, steps}}, &error));
        QCOMPARE(error, u"a workflow has at most 100 steps (got 101)"_s);
        QVERIFY(!ToolRegistry::builtins().checkRequest(u"workflow"_s, QJsonObject{{u"steps"_s, steps}}).isEmpty());

        const auto plan = WorkflowPlan::parse(obj(R"({"steps":[{"id":"num1","tool":"random","input":{}},
            {"id":"num2","tool":"random","input":{}},
            {"id":"sum","tool":"calculator","input":{"expression":"${num2.numbers[0]} + ${ num1.numbers[0] }"}}]})"),
            &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->steps[2].dependencies, (QStringList{u"num1"_s, u"num2"_s}));
        QCOMPARE(plan->steps[0].timeoutMs, WorkflowPlan::kDefaultStepTimeoutMs);
    }

    void interpolation()
    {
        const QJsonObject results = obj(R"({"a":{"numbers":[7,3],"ok":true,"name":"x y","none":null},
                                             "b":{"result":0.1}})");
        const QSet<QString> ids{u"a"_s, u"b"_s, u"c"_s};
        const auto apply = [&](const char *input) {
            QString error;
            const auto out = interpolateStepInput(obj(input), results, ids, &error);
            return out ? out->toObject() : QJsonObject{{u"error"_s, error}};
        };
        QCOMPARE(apply(R"({"n":"${a.numbers[0]}"})"), obj(R"({"n":7})"));
        QCOMPARE(apply(R"({"n":"${a.numbers}"})"), obj(R"({"n":[7,3]})"));
        QCOMPARE(apply(R"({"n":"${ a }"})"), obj(R"({"n":{"numbers":[7,3],"ok":true,"name":"x y","none":null}})"));
        QCOMPARE(apply(R"({"n":"${a.ok}"})"), obj(R"({"n":true})"));
        QCOMPARE(apply(R"({"n":"${a.none}"})"), obj(R"({"n":null})"));
        QCOMPARE(apply(R"({"e":"${a.numbers[0]} + ${a.numbers[1]} * ${b.result}"})"),
                 obj(R"({"e":"7 + 3 * 0.1"})"));
        QCOMPARE(apply(R"({"e":"list=${a.numbers} ok=${a.ok} none=${a.none} ${a.name}"})"),
                 obj(R"({"e":"list=[7,3] ok=true none=null x y"})"));
        QCOMPARE(apply(R"({"deep":[{"x":["${b.result}"]}],"n":5})"), obj(R"({"deep":[{"x":[0.1]}],"n":5})"));
        QCOMPARE(apply(R"({"e":"$HOME ${HOME} ${} ${a.numbers[0]}"})"), obj(R"({"e":"$HOME ${HOME} ${} 7"})"));
        QCOMPARE(apply(R"({"e":"${a.numbers[9]}"})").value(u"error").toString(),
                 u"${a.numbers[9]}: not found in the output of step \"a\" ({\"name\":\"x y\",\"none\":null,\"numbers\":[7,3],\"ok\":true})"_s);
        QCOMPARE(apply(R"({"e":"${c.x}"})").value(u"error").toString(),
                 u"${c.x}: step \"c\" has no output (it has not run or it failed)"_s);

        // Hostile nesting in a step input ends with an error, not a stack overflow.
        QJsonValue deep = u"${a.numbers[0]}"_s;
        for (int i = 0; i < 200; ++i)
            deep = QJsonObject{{u"x"_s, deep}};
        QString error;
        QVERIFY(!interpolateStepInput(deep, results, ids, &error));
        QCOMPARE(error, u"step input nests deeper than 64 levels"_s);
    }

    void theRealExampleRuns()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, m_tool.examples().at(0).toObject().value(u"input").toObject());
        QVERIFY2(r.ok, qPrintable(r.error));
        const QJsonObject results = r.output.toObject().value(u"results").toObject();
        const double a = results.value(u"num1").toObject().value(u"numbers").toArray().at(0).toDouble();
        const double b = results.value(u"num2").toObject().value(u"numbers").toArray().at(0).toDouble();
        QVERIFY(a >= 1 && a <= 10 && b >= 1 && b <= 10);
        const QString expression = Calculation::format(a) + u" + "_s + Calculation::format(b);
        QCOMPARE(results.value(u"sum").toObject(),
                 (QJsonObject{{u"result"_s, a + b},
                              {u"formatted"_s, QString(expression + u" = "_s + Calculation::format(a + b))},
                              {u"expression"_s, expression}}));
        const QJsonArray order = r.output.toObject().value(u"executionOrder").toArray();
        QCOMPARE(order.size(), 3);
        QCOMPARE(order.last(), QJsonValue(u"sum"_s));

        // The step requests look like the real workflow tool's.
        QCOMPARE(context.requests.size(), 3);
        const QRegularExpression requestId(u"^workflow-(num1|num2|sum)-\\d{13}$"_s);
        for (const Request &req : context.requests) {
            QVERIFY2(requestId.match(req.requestId).hasMatch(), qPrintable(req.requestId));
            QVERIFY(req.requestId.startsWith(u"workflow-"_s + req.extraContext.value(u"stepId").toString() + u'-'));
            QCOMPARE(req.tags, (QStringList{u"tool:request"_s, u"workspace:tools"_s, u"workflow:step"_s}));
        }
        QCOMPARE(context.request(u"sum"_s)->input, QJsonValue(QJsonObject{{u"expression"_s, expression}}));
        QCOMPARE(context.request(u"num1"_s)->tool, u"random"_s);
    }

    void stepsRunInParallelAsDependenciesAllow()
    {
        RunnerContext context;
        context.manual = true;
        QObject parent;
        ToolRun *run = m_tool.start(m_tool.examples().at(0).toObject().value(u"input"), context, &parent);
        QSignalSpy spy(run, &ToolRun::finished);
        QTRY_COMPARE(context.requests.size(), 2); // num1 and num2 at once, sum waits
        QVERIFY(context.request(u"num1"_s) && context.request(u"num2"_s));

        context.respond(context.request(u"num2"_s)->requestId, u"random"_s,
                        ToolResult::success(obj(R"({"numbers":[3]})")));
        QTest::qWait(20);
        QCOMPARE(context.requests.size(), 2); // sum still needs num1
        context.respond(context.request(u"num1"_s)->requestId, u"random"_s,
                        ToolResult::success(obj(R"({"numbers":[7]})")));
        QTRY_COMPARE(context.requests.size(), 3);
        QCOMPARE(context.request(u"sum"_s)->input, QJsonValue(obj(R"({"expression":"7 + 3"})")));
        context.respond(context.request(u"sum"_s)->requestId, u"calculator"_s,
                        ToolResult::success(obj(R"({"result":10,"formatted":"7 + 3 = 10","expression":"7 + 3"})")));
        QVERIFY(spy.wait(5'000));
        const ToolResult r = spy.first().first().value<ToolResult>();
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output, QJsonValue(obj(R"({"results":{"num1":{"numbers":[7]},"num2":{"numbers":[3]},
            "sum":{"result":10,"formatted":"7 + 3 = 10","expression":"7 + 3"}},
            "executionOrder":["num2","num1","sum"]})")));
    }

    void responseAlreadyInHistoryIsUsed()
    {
        // The runner answered before the workflow began waiting: history covers it.
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[{"id":"e","tool":"echo","input":{"message":"hi"}}]})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output, QJsonValue(obj(R"({"results":{"e":{"message":"hi"}},"executionOrder":["e"]})")));
    }

    void aFailedStepFailsTheWorkflowAndCancelsTheRest()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[
            {"id":"slow","tool":"timer","input":{"seconds":0.3}},
            {"id":"bad","tool":"calculator","input":{"expression":"1/0"}}]})"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error, u"step \"bad\" (calculator) failed: division by zero at position 2"_s);
        // The slow step's answer arrives later and finds its waiter's guard gone.
        QTRY_COMPARE_WITH_TIMEOUT(context.responses.size(), 2, 5'000);
        QCOMPARE(context.deadGuards, 1);
        QVERIFY(context.waiters.isEmpty());
    }

    void invalidStepInputIsTheStepsError()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[
            {"id":"n","tool":"random","input":{"count":5000}}]})"));
        QVERIFY(!r.ok);
        QCOMPARE(r.error, u"step \"n\" (random) failed: invalid input for random: input.count: must be ≤ 1000"_s);
    }

    void silentStepTimesOut()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[
            {"id":"ghost","tool":"no-such-tool","input":{},"timeoutSeconds":0.2}]})"));
        QVERIFY(!r.ok);
        QVERIFY2(QRegularExpression(u"^step \"ghost\" \\(no-such-tool\\) failed: no response to "
                                    u"workflow-ghost-\\d+ within 0.2 s$"_s).match(r.error).hasMatch(),
                 qPrintable(r.error));
    }

    void unwritableRequestFails()
    {
        RunnerContext context;
        context.unwritable << u"echo"_s;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[{"id":"e","tool":"echo","input":{"message":"x"}}]})"));
        QCOMPARE(r.error, u"step \"e\" (echo) failed: the request could not be written: HTTP 503 from the server"_s);
    }

    void continueOnErrorReportsEveryStep()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"continueOnError":true,"steps":[
            {"id":"bad","tool":"calculator","input":{"expression":"nope"}},
            {"id":"after","tool":"echo","input":{"message":"${bad.result}"}},
            {"id":"fine","tool":"echo","input":{"message":"ok"}}]})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        const QJsonObject out = r.output.toObject();
        QCOMPARE(out.value(u"results"), QJsonValue(obj(R"({"fine":{"message":"ok"}})")));
        QCOMPARE(out.value(u"errors").toObject().value(u"after"), QJsonValue(u"dependency \"bad\" failed"_s));
        QVERIFY(out.value(u"errors").toObject().value(u"bad").toString().startsWith(u"unknown identifier 'nope'"_s));
        QCOMPARE(out.value(u"executionOrder").toArray().size(), 3);
        QCOMPARE(context.requests.size(), 2); // "after" was never requested
    }

    void returnStepAnswersWithOneOutput()
    {
        RunnerContext context;
        ToolResult r = runWorkflow(context, obj(R"({"returnStep":"b","steps":[
            {"id":"a","tool":"calculator","input":{"expression":"6*7"}},
            {"id":"b","tool":"echo","input":{"message":"answer ${a.result}"}}]})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output, QJsonValue(obj(R"({"message":"answer 42"})")));
    }

    void nestedWorkflowRunsThroughTheContext()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[
            {"id":"inner","tool":"workflow","input":{"returnStep":"x","steps":[
                {"id":"x","tool":"calculator","input":{"expression":"2^10"}}]}},
            {"id":"outer","tool":"echo","input":{"message":"${inner.formatted}"}}]})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output.toObject().value(u"results").toObject().value(u"outer"),
                 QJsonValue(obj(R"({"message":"2^10 = 1024"})")));
    }

    void longChainCompletes()
    {
        QJsonArray steps{QJsonObject{{u"id"_s, u"s0"_s}, {u"tool"_s, u"calculator"_s},
                                     {u"input"_s, QJsonObject{{u"expression"_s, u"0"_s}}}}};
        for (int i = 1; i < WorkflowPlan::kMaxSteps; ++i)
            steps.append(QJsonObject{{u"id"_s, u"s%1"_s.arg(i)}, {u"tool"_s, u"calculator"_s},
                                     {u"input"_s, QJsonObject{{u"expression"_s, u"${s%1.result} + 1"_s.arg(i - 1)}}}});
        RunnerContext context;
        const ToolResult r = runWorkflow(context, QJsonObject{{u"steps"_s, steps}, {u"returnStep"_s, u"s99"_s}});
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output.toObject().value(u"result"), QJsonValue(99));
    }

    void deletingTheRunCancelsEverything()
    {
        RunnerContext context;
        context.manual = true;
        auto parent = std::make_unique<QObject>();
        ToolRun *run = m_tool.start(m_tool.examples().at(0).toObject().value(u"input"), context, parent.get());
        bool finished = false;
        connect(run, &ToolRun::finished, this, [&] { finished = true; });
        QTRY_COMPARE(context.requests.size(), 2);
        QCOMPARE(context.waiters.size(), 2);
        delete run;
        for (const Request &req : context.requests)
            context.respond(req.requestId, req.tool, ToolResult::success(obj(R"({"numbers":[1]})")));
        QTest::qWait(20);
        QVERIFY(!finished);
        QCOMPARE(context.deadGuards, 2); // both waits found their guard gone
        QCOMPARE(context.requests.size(), 2);        // and no further step was requested
    }

    void deletingBeforeTheFirstStepRequestsNothing()
    {
        RunnerContext context;
        ToolRun *run = m_tool.start(m_tool.examples().at(0).toObject().value(u"input"), context, nullptr);
        delete run;
        QTest::qWait(20);
        QVERIFY(context.requests.isEmpty());
    }

    void invalidPlanFailsWithoutRequests()
    {
        RunnerContext context;
        const ToolResult r = runWorkflow(context, obj(R"({"steps":[{"id":"a","tool":"echo","input":{},"dependencies":["a"]}]})"));
        QCOMPARE(r.error, u"dependency cycle: a → a"_s);
        QVERIFY(context.requests.isEmpty());
    }

    void requestIdsNeverRepeat()
    {
        QSet<QString> ids;
        for (int i = 0; i < 1000; ++i)
            ids.insert(WorkflowTool::stepRequestId(u"same"_s));
        QCOMPARE(ids.size(), 1000);
    }
};

QTEST_GUILESS_MAIN(TstWorkflowTool)
#include "tst_workflowtool.moc"
