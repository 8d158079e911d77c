// Built-in tools through the ToolRegistry as the runner uses them: allow-list, input size limit
// and schema validation first, then start() and one finished() per run, never from inside
// start(). Hostile inputs for each tool; the examples each tool advertises hold.
#include "app/runner/toolregistry.h"
#include "app/runner/tools/randomtool.h"
#include "model/jsonschema.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>
#include <set>

using namespace rcrt;
using namespace Qt::StringLiterals;

namespace {

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

// The built-ins other than workflow never ask the runner for anything.
class NoRequestsContext final : public ToolContext
{
public:
    int calls = 0;
    void requestTool(const QString &, const QJsonValue &, const QString &, const QJsonObject &,
                     const QStringList &, QObject *, std::function<void(QString)>) override
    {
        ++calls;
    }
    void waitFor(const WaitCriteria &, int, QObject *,
                 std::function<void(std::optional<QJsonObject>)>) override
    {
        ++calls;
    }
    QString workspace() const override { return u"workspace:tools"_s; }
};

} // namespace

class TstBuiltinTools : public QObject
{
    Q_OBJECT

private:
    ToolRegistry m_registry = ToolRegistry::builtins();
    NoRequestsContext m_context;

    // Checks the request as the runner does, then runs the tool to its single result.
    ToolResult run(const QString &tool, const QJsonValue &input)
    {
        const QString refused = m_registry.checkRequest(tool, input);
        if (!refused.isEmpty())
            return ToolResult::failure(u"refused: "_s + refused);
        QObject parent;
        ToolRun *r = m_registry.find(tool)->start(input, m_context, &parent);
        QSignalSpy spy(r, &ToolRun::finished);
        if (spy.count() != 0)
            return ToolResult::failure(u"finished inside start()"_s);
        if (!spy.wait(10'000))
            return ToolResult::failure(u"no result"_s);
        QTest::qWait(0); // a second emission would show here
        if (spy.count() != 1)
            return ToolResult::failure(u"finished %1 times"_s.arg(spy.count()));
        return spy.first().first().value<ToolResult>();
    }

private slots:
    void initTestCase() { qRegisterMetaType<ToolResult>(); }

    void allowListedBuiltins()
    {
        QCOMPARE(m_registry.names(),
                 (QStringList{u"calculator"_s, u"echo"_s, u"random"_s, u"timer"_s, u"workflow"_s}));
        QVERIFY(m_registry.find(u"shell"_s) == nullptr);
        QCOMPARE(m_registry.checkRequest(u"shell"_s, obj(R"({"cmd":"rm -rf /"})")),
                 u"tool \"shell\" is not available in this runner (allowed: calculator, echo, "
                 u"random, timer, workflow)"_s);
        QVERIFY(m_registry.checkRequest(u"Echo"_s, obj(R"({"message":"x"})")).startsWith(u"tool \"Echo\""));
    }

    void inputSizeLimit()
    {
        const QString big(ToolRegistry::kMaxInputBytes, u'a');
        const QString refused = m_registry.checkRequest(u"echo"_s, QJsonObject{{u"message"_s, big}});
        QCOMPARE(refused, u"input for echo is %1 bytes; the limit is %2"_s
                              .arg(ToolRegistry::kMaxInputBytes + 14)
                              .arg(ToolRegistry::kMaxInputBytes));
        const QString fits(ToolRegistry::kMaxInputBytes - 14, u'a');
        QCOMPARE(m_registry.checkRequest(u"echo"_s, QJsonObject{{u"message"_s, fits}}), QString());
    }

    void schemaProblemsNamePaths()
    {
        QCOMPARE(m_registry.checkRequest(u"random"_s, obj(R"({"count":5000,"min":"a"})")),
                 u"invalid input for random: input.count: must be ≤ 1000; "
                 u"input.min: must be integer (got string)"_s);
        QCOMPARE(m_registry.checkRequest(u"echo"_s, QJsonValue(u"hi"_s)),
                 u"invalid input for echo: input: must be object (got string)"_s);
        QCOMPARE(m_registry.checkRequest(u"timer"_s, obj("{}")),
                 u"invalid input for timer: input: missing required property \"seconds\""_s);
    }

    void everyToolDescribesItself()
    {
        const QJsonArray catalog = m_registry.catalogEntries();
        QCOMPARE(catalog.size(), m_registry.names().size());
        for (const QJsonValue &entry : catalog) {
            const QJsonObject e = entry.toObject();
            QVERIFY(!e.value(u"description").toString().isEmpty());
            QCOMPARE(e.value(u"inputSchema").toObject().value(u"type"), QJsonValue(u"object"_s));
            QVERIFY(!e.value(u"examples").toArray().isEmpty());
            QVERIFY(e.value(u"timeoutMs").toInt() > 0);
        }
        QCOMPARE(m_registry.find(u"timer"_s)->timeoutMs(), 65'000);
        QCOMPARE(m_registry.find(u"echo"_s)->timeoutMs(), 5'000);
        QCOMPARE(m_registry.find(u"workflow"_s)->timeoutMs(), 600'000);
    }

    // Each advertised example is valid input and (for deterministic tools) gives its output.
    void examplesHold()
    {
        for (const QString &name : m_registry.names()) {
            const Tool *tool = m_registry.find(name);
            for (const QJsonValue &ex : tool->examples()) {
                const QJsonObject example = ex.toObject();
                QVERIFY(!example.value(u"description").toString().isEmpty());
                QCOMPARE(jsonschema::validate(example.value(u"input"), tool->inputSchema()),
                         QStringList());
                QCOMPARE(jsonschema::validate(example.value(u"output"), tool->outputSchema(),
                                              u"output"_s),
                         QStringList());
                if (name == u"echo" || name == u"calculator") {
                    const ToolResult r = run(name, example.value(u"input"));
                    QVERIFY2(r.ok, qPrintable(r.error));
                    QCOMPARE(r.output, example.value(u"output"));
                }
            }
            // And the editor prefill from the schema alone is valid too.
            const QStringList prefillProblems = jsonschema::validate(
                jsonschema::exampleFor(tool->inputSchema()), tool->inputSchema());
            QVERIFY2(prefillProblems.isEmpty(),
                     qPrintable(name + u": "_s + prefillProblems.join(u"; "_s)));
        }
    }

    void echo()
    {
        const ToolResult r = run(u"echo"_s, obj(R"({"message":"héllo \u0000 ${x}"})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output, QJsonValue(obj(R"({"message":"héllo \u0000 ${x}"})")));
        QCOMPARE(run(u"echo"_s, obj(R"({"message":5})")).error,
                 u"refused: invalid input for echo: input.message: must be string (got integer)"_s);
    }

    void randomStaysInRange()
    {
        const ToolResult r = run(u"random"_s, obj(R"({"min":-3,"max":3,"count":1000})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        const QJsonArray numbers = r.output.toObject().value(u"numbers").toArray();
        QCOMPARE(numbers.size(), 1000);
        std::set<int> seen;
        for (const QJsonValue &n : numbers) {
            QVERIFY(n.toDouble() == std::floor(n.toDouble()));
            QVERIFY(n.toInt() >= -3 && n.toInt() <= 3);
            seen.insert(n.toInt());
        }
        QCOMPARE(seen.size(), size_t(7)); // 1000 draws over 7 values miss one with p < 1e-60
    }

    void randomDefaultsAndEdges()
    {
        ToolResult r = run(u"random"_s, obj("{}"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output.toObject().value(u"numbers").toArray().size(), 1);
        const double n = r.output.toObject().value(u"numbers").toArray().first().toDouble();
        QVERIFY(n >= 0 && n <= 100);

        r = run(u"random"_s, obj(R"({"min":5,"max":5,"count":3})"));
        QCOMPARE(r.output, QJsonValue(obj(R"({"numbers":[5,5,5]})")));

        // The widest range a JSON number holds exactly.
        const double limit = double(RandomTool::kLimit);
        r = run(u"random"_s, QJsonObject{{u"min"_s, -limit}, {u"max"_s, limit}, {u"count"_s, 50}});
        QVERIFY2(r.ok, qPrintable(r.error));
        for (const QJsonValue &v : r.output.toObject().value(u"numbers").toArray())
            QVERIFY(std::fabs(v.toDouble()) <= limit);
    }

    void randomHostile()
    {
        QCOMPARE(run(u"random"_s, obj(R"({"min":10,"max":1})")).error, u"min (10) must be ≤ max (1)"_s);
        QCOMPARE(run(u"random"_s, obj(R"({"count":0})")).error,
                 u"refused: invalid input for random: input.count: must be ≥ 1"_s);
        QCOMPARE(run(u"random"_s, obj(R"({"count":1.5})")).error,
                 u"refused: invalid input for random: input.count: must be integer (got number)"_s);
        QCOMPARE(run(u"random"_s, obj(R"({"max":1e300})")).error,
                 u"refused: invalid input for random: input.max: must be ≤ 9007199254740991"_s);
        QCOMPARE(run(u"random"_s, obj(R"({"min":-1e20})")).error,
                 u"refused: invalid input for random: input.min: must be ≥ -9007199254740991"_s);
        QCOMPARE(run(u"random"_s, obj(R"({"min":null})")).error,
                 u"refused: invalid input for random: input.min: must be integer (got null)"_s);
    }

    void calculator()
    {
        ToolResult r = run(u"calculator"_s, obj(R"({"expression":"  7 + 3 "})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.output, QJsonValue(obj(R"({"result":10,"formatted":"7 + 3 = 10","expression":"7 + 3"})")));
        r = run(u"calculator"_s, obj(R"({"expression":"1/3"})"));
        QCOMPARE(r.output.toObject().value(u"formatted"), QJsonValue(u"1/3 = 0.3333333333333333"_s));
    }

    void calculatorHostile()
    {
        QCOMPARE(run(u"calculator"_s, obj(R"({"expression":"1/0"})")).error,
                 u"division by zero at position 2"_s);
        QCOMPARE(run(u"calculator"_s, obj(R"({"expression":"10^999"})")).error,
                 u"the power at position 3 is too large (overflow)"_s);
        QCOMPARE(run(u"calculator"_s, obj(R"j({"expression":"require('fs')"})j")).error,
                 u"unknown identifier 'require' at position 1 (known: pi, e, sqrt, abs, min, max, "
                 u"round, floor, ceil)"_s);
        QCOMPARE(run(u"calculator"_s, obj(R"({"expression":""})")).error,
                 u"refused: invalid input for calculator: input.expression: must be at least 1 "
                 u"characters long (is 0)"_s);
        QCOMPARE(run(u"calculator"_s, obj(R"({"expression":"   "})")).error, u"empty expression"_s);
        const QString longExpression = u"1+"_s.repeated(600) + u'1';
        QCOMPARE(run(u"calculator"_s, QJsonObject{{u"expression"_s, longExpression}}).error,
                 u"refused: invalid input for calculator: input.expression: must be at most 1000 "
                 u"characters long (is 1201)"_s);
    }

    void timerWaitsWithoutBlocking()
    {
        QObject parent;
        Tool *timer = m_registry.find(u"timer"_s);
        QElapsedTimer clock;
        clock.start();
        ToolRun *r = timer->start(obj(R"({"seconds":0.2})"), m_context, &parent);
        QSignalSpy spy(r, &ToolRun::finished);
        // The event loop keeps turning while the timer waits.
        bool otherWorkRan = false;
        QTimer::singleShot(0, &parent, [&] { otherWorkRan = true; });
        QVERIFY(spy.wait(10'000));
        QVERIFY(otherWorkRan);
        const ToolResult result = spy.first().first().value<ToolResult>();
        QVERIFY2(result.ok, qPrintable(result.error));
        const double waited = result.output.toObject().value(u"waited_ms").toDouble();
        QVERIFY2(waited >= 200, qPrintable(QString::number(waited)));
        QVERIFY(clock.elapsed() >= waited);
        QCOMPARE(result.output.toObject().value(u"waited"), QJsonValue(0.2));
    }

    void timerZeroAndBounds()
    {
        const ToolResult r = run(u"timer"_s, obj(R"({"seconds":0})"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.output.toObject().value(u"waited_ms").toDouble() >= 0);
        QCOMPARE(run(u"timer"_s, obj(R"({"seconds":61})")).error,
                 u"refused: invalid input for timer: input.seconds: must be ≤ 60"_s);
        QCOMPARE(run(u"timer"_s, obj(R"({"seconds":-1})")).error,
                 u"refused: invalid input for timer: input.seconds: must be ≥ 0"_s);
        QCOMPARE(run(u"timer"_s, obj(R"({"seconds":"5"})")).error,
                 u"refused: invalid input for timer: input.seconds: must be number (got string)"_s);
    }

    void deletingATimerRunCancelsIt()
    {
        auto parent = std::make_unique<QObject>();
        ToolRun *r = m_registry.find(u"timer"_s)->start(obj(R"({"seconds":0.05})"), m_context,
                                                         parent.get());
        bool finished = false;
        connect(r, &ToolRun::finished, this, [&] { finished = true; });
        delete r;
        QTest::qWait(150);
        QVERIFY(!finished);
        QCOMPARE(parent->children().size(), 0);
    }

    void noToolAsksTheRunnerForAnything() { QCOMPARE(m_context.calls, 0); }
};

QTEST_GUILESS_MAIN(TstBuiltinTools)
#include "tst_builtintools.moc"
