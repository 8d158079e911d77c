// jsonschema: each supported keyword accepts and rejects with a path-prefixed message; hostile
// schemas and inputs (deep nesting, nested alternatives, invalid patterns, huge arrays) end
// with a problem, never a crash or a hang; defaults and editor examples.
#include "model/jsonschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <limits>

using namespace rcrt;
using namespace Qt::StringLiterals;

namespace {

QJsonObject obj(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(json), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json);
    return doc.object();
}

QJsonValue val(const char *json)
{
    // Wrap so scalars parse too.
    const QByteArray wrapped = QByteArray("{\"v\":") + json + "}";
    return obj(wrapped.constData()).value(u"v");
}

QStringList check(const char *value, const char *schema)
{
    return jsonschema::validate(val(value), obj(schema));
}

} // namespace

class TstJsonSchema : public QObject
{
    Q_OBJECT

private slots:
    void keywords_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("problem"); // empty: valid

        const auto row = [](const char *name, const char *value, const char *schema,
                            const char *problem) {
            QTest::newRow(name) << QString::fromUtf8(value) << QString::fromUtf8(schema)
                                << QString::fromUtf8(problem);
        };
        row("type ok", "\"a\"", R"({"type":"string"})", "");
        row("type bad", "1", R"({"type":"string"})", "input: must be string (got integer)");
        row("integer ok", "3", R"({"type":"integer"})", "");
        row("integer 3.0 ok", "3.0", R"({"type":"integer"})", "");
        row("integer bad", "1.5", R"({"type":"integer"})", "input: must be integer (got number)");
        row("number accepts integer", "2", R"({"type":"number"})", "");
        row("type list", "null", R"({"type":["string","null"]})", "");
        row("type list bad", "true", R"({"type":["string","null"]})",
            "input: must be string or null (got boolean)");
        row("unknown type name", "1", R"({"type":"decimal"})", "");
        row("required", R"({"a":1})", R"({"type":"object","required":["a","b"]})",
            "input: missing required property \"b\"");
        row("property type", R"({"count":"x"})",
            R"({"properties":{"count":{"type":"integer"}}})",
            "input.count: must be integer (got string)");
        row("additional false", R"({"a":1,"zz":2})",
            R"({"properties":{"a":{}},"additionalProperties":false})",
            "input.zz: is not an allowed property (allowed: a)");
        row("additional schema", R"({"a":1,"zz":"s"})",
            R"({"properties":{"a":{}},"additionalProperties":{"type":"number"}})",
            "input.zz: must be number (got string)");
        row("odd key path", R"({"a b":1})", R"({"additionalProperties":{"type":"string"}})",
            "input[\"a b\"]: must be string (got integer)");
        row("items", R"([1,"x",3])", R"({"items":{"type":"integer"}})",
            "input[1]: must be integer (got string)");
        row("tuple items", R"([1,"x"])", R"({"items":[{"type":"integer"},{"type":"integer"}]})",
            "input[1]: must be integer (got string)");
        row("enum", "\"c\"", R"({"enum":["a","b"]})", "input: must be one of \"a\", \"b\" (got \"c\")");
        row("enum ok", "2", R"({"enum":[1,2]})", "");
        row("const", "2", R"({"const":1})", "input: must be 1");
        row("const object ok", R"({"x":[1]})", R"({"const":{"x":[1]}})", "");
        row("minimum", "-1", R"({"minimum":0})", "input: must be ≥ 0");
        row("maximum", "101", R"({"maximum":100})", "input: must be ≤ 100");
        row("maximum edge ok", "100", R"({"maximum":100})", "");
        row("exclusiveMinimum", "0", R"({"exclusiveMinimum":0})", "input: must be > 0");
        row("exclusiveMaximum", "5", R"({"exclusiveMaximum":5})", "input: must be < 5");
        row("draft4 exclusive", "5", R"({"maximum":5,"exclusiveMaximum":true})", "input: must be < 5");
        row("minLength", "\"ab\"", R"({"minLength":3})", "input: must be at least 3 characters long (is 2)");
        row("maxLength code points", "\"😀😀\"", R"({"maxLength":2})", "");
        row("maxLength", "\"abc\"", R"({"maxLength":2})", "input: must be at most 2 characters long (is 3)");
        row("minItems", "[]", R"({"minItems":1})", "input: must have at least 1 items (has 0)");
        row("maxItems", "[1,2,3]", R"({"maxItems":2})", "input: must have at most 2 items (has 3)");
        row("pattern", "\"a.b\"", R"({"pattern":"^[a-z]+$"})", "input: must match the pattern ^[a-z]+$");
        row("pattern unanchored", "\"xx1\"", R"({"pattern":"[0-9]"})", "");
        row("invalid pattern", "\"a\"", "{\"pattern\":\"(\"}", nullptr);
        row("anyOf ok", "1", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})", "");
        row("anyOf bad", "true", R"({"anyOf":[{"type":"string"},{"type":"integer"}]})",
            "input: matches none of the allowed alternatives (input: must be string (got boolean); "
            "input: must be integer (got boolean))");
        row("oneOf two", "1", R"({"oneOf":[{"type":"number"},{"type":"integer"}]})",
            "input: must match exactly one alternative (matches 2)");
        row("oneOf ok", "1.5", R"({"oneOf":[{"type":"number"},{"type":"integer"}]})", "");
        row("allOf", "5", R"({"allOf":[{"minimum":0},{"maximum":3}]})", "input: must be ≤ 3");
        row("not", "1", R"({"not":{"type":"integer"}})", "input: must not match the schema given in \"not\"");
        row("unknown keywords ignored", "1", "{\"$ref\":\"#/x\",\"format\":\"email\",\"foo\":1}" /* no raw string: moc misreads '#' in one */, "");
        row("nested path", R"({"steps":[{"id":1}]})",
            R"({"properties":{"steps":{"items":{"properties":{"id":{"type":"string"}}}}}})",
            "input.steps[0].id: must be string (got integer)");
    }

    void keywords()
    {
        QFETCH(QString, value);
        QFETCH(QString, schema);
        QFETCH(QString, problem);
        const QStringList problems
            = check(value.toUtf8().constData(), schema.toUtf8().constData());
        if (QTest::currentDataTag() == QByteArray("invalid pattern")) {
            QCOMPARE(problems.size(), 1);
            QVERIFY2(problems.first().contains(u"not a valid regular expression"),
                     qPrintable(problems.first()));
            return;
        }
        if (problem.isEmpty())
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u" | ")));
        else
            QCOMPARE(problems, QStringList{problem});
    }

    void multipleProblemsAllListed()
    {
        const QStringList problems = check(R"({"count":5000,"min":"a"})",
            R"({"type":"object","required":["max"],"properties":{"count":{"type":"integer",
            "maximum":1000},"min":{"type":"integer"}}})");
        QCOMPARE(problems.size(), 3);
        QVERIFY(problems.contains(u"input: missing required property \"max\""_s));
        QVERIFY(problems.contains(u"input.count: must be ≤ 1000"_s));
        QVERIFY(problems.contains(u"input.min: must be integer (got string)"_s));
    }

    void rootNameIsUsed()
    {
        QCOMPARE(jsonschema::validate(QJsonValue(1), obj(R"({"type":"string"})"), u"steps[0].input"_s),
                 QStringList{u"steps[0].input: must be string (got integer)"_s});
    }

    void nonFiniteNumbersRejected()
    {
        // Not from JSON text, but a tool may be handed values built in code.
        const QJsonObject schema = obj(R"({"type":"number"})");
        QCOMPARE(jsonschema::validate(std::numeric_limits<double>::infinity(), schema),
                 QStringList{u"input: must be a finite number"_s});
        QCOMPARE(jsonschema::validate(std::numeric_limits<double>::quiet_NaN(), schema),
                 QStringList{u"input: must be a finite number"_s});
        QVERIFY(!jsonschema::validate(1e308, obj(R"({"type":"integer","maximum":1e300})")).isEmpty());
    }

    void deepInputStopsAtDepthLimit()
    {
        // 500 nested arrays, each level checked by a recursive items schema chain.
        QByteArray json;
        for (int i = 0; i < 500; ++i)
            json += '[';
        for (int i = 0; i < 500; ++i)
            json += ']';
        QJsonObject schema;
        for (int i = 0; i < 200; ++i)
            schema = QJsonObject{{u"type"_s, u"array"_s}, {u"items"_s, schema}};
        const QStringList problems = jsonschema::validate(val(json.constData()), schema);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().endsWith(u"nested deeper than 64 levels"_s),
                 qPrintable(problems.first()));
    }

    void nestedAlternativesAreBounded()
    {
        // anyOf of two failing branches nested 40 deep would be 2^40 checks without a budget.
        QJsonObject schema{{u"type"_s, u"string"_s}};
        for (int i = 0; i < 40; ++i)
            schema = QJsonObject{{u"anyOf"_s, QJsonArray{schema, schema}}};
        const QStringList problems = jsonschema::validate(QJsonValue(1), schema);
        QVERIFY(!problems.isEmpty());
        QCOMPARE(problems.first(), u"input: too complex to check (over 200000 schema steps)"_s);
        // The same shape with a passing branch first is cheap and passes.
        QJsonObject easy{{u"type"_s, u"integer"_s}};
        for (int i = 0; i < 40; ++i)
            easy = QJsonObject{{u"anyOf"_s, QJsonArray{easy, schema}}};
        QVERIFY(jsonschema::validate(QJsonValue(1), easy).isEmpty());
    }

    void manyProblemsAreCapped()
    {
        QJsonArray big;
        for (int i = 0; i < 100'000; ++i)
            big.append(i);
        const QStringList problems = jsonschema::validate(big, obj(R"({"items":{"type":"string"}})"));
        QCOMPARE(problems.size(), jsonschema::kMaxProblems + 1);
        QCOMPARE(problems.last(), u"(checking stopped after 50 problems)"_s);
    }

    void defaultsFillOnlyMissing()
    {
        const QJsonObject schema = obj(R"({"properties":{"min":{"default":0},"max":{"default":100},
            "opts":{"properties":{"deep":{"default":true}}},
            "list":{"items":{"properties":{"x":{"default":1}}}}}})");
        const QJsonValue filled = jsonschema::withDefaults(
            val(R"({"max":10,"opts":{},"list":[{},{"x":5}]})"), schema);
        QCOMPARE(filled, val(R"({"min":0,"max":10,"opts":{"deep":true},"list":[{"x":1},{"x":5}]})"));
        // A missing root takes the root default; no default stays undefined.
        QCOMPARE(jsonschema::withDefaults(QJsonValue::Undefined, obj(R"({"default":3})")), QJsonValue(3));
        QVERIFY(jsonschema::withDefaults(QJsonValue::Undefined, obj("{}")).isUndefined());
    }

    void exampleForEditors()
    {
        const QJsonObject schema = obj(R"({"type":"object","required":["message","n","tags","kind"],
            "properties":{"message":{"type":"string","minLength":2},
              "n":{"type":"integer","exclusiveMinimum":3},"count":{"type":"integer","default":1},
              "optional":{"type":"string"},"tags":{"type":"array","minItems":2,"items":{"type":"boolean"}},
              "kind":{"enum":["a","b"]}}})");
        const QJsonValue example = jsonschema::exampleFor(schema);
        QCOMPARE(example, val(R"({"message":"xx","n":4,"count":1,"tags":[false,false],"kind":"a"})"));
        QVERIFY2(jsonschema::validate(example, schema).isEmpty(),
                 qPrintable(jsonschema::validate(example, schema).join(u" | ")));
        QCOMPARE(jsonschema::exampleFor(obj(R"({"type":"number","maximum":-5})")), QJsonValue(-5));
        QCOMPARE(jsonschema::exampleFor(obj(R"({"type":["null","integer"],"minimum":2})")), QJsonValue(2));
        QCOMPARE(jsonschema::exampleFor(obj(R"({"examples":[{"a":1}]})")), val(R"({"a":1})"));
        QCOMPARE(jsonschema::exampleFor(obj(R"({"oneOf":[{"const":7}]})")), QJsonValue(7));
        QCOMPARE(jsonschema::exampleFor(obj("{}")), QJsonValue(QJsonValue::Null));
    }

    void exampleForDeepSchemaTerminates()
    {
        QJsonObject schema{{u"type"_s, u"string"_s}};
        for (int i = 0; i < 500; ++i)
            schema = QJsonObject{{u"type"_s, u"object"_s}, {u"required"_s, QJsonArray{u"a"_s}},
                                 {u"properties"_s, QJsonObject{{u"a"_s, schema}}}};
        QVERIFY(jsonschema::exampleFor(schema).isObject());
    }
};

QTEST_GUILESS_MAIN(TstJsonSchema)
#include "tst_jsonschema.moc"
