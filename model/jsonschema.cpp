#include "model/jsonschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace rcrt::jsonschema {

namespace {

using namespace Qt::StringLiterals;

// Work done by one validate() call, shared with the sub-checks of anyOf/oneOf/not, so nested
// alternatives in a hostile schema cannot take exponential time.
constexpr int kMaxSteps = 200'000;

QString formatNumber(double d)
{
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

QString compactJson(const QJsonValue &v)
{
    QString text;
    if (v.isObject())
        text = QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    else if (v.isArray())
        text = QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    else if (v.isString())
        text = u'"' + v.toString() + u'"';
    else if (v.isDouble())
        text = formatNumber(v.toDouble());
    else if (v.isBool())
        text = v.toBool() ? u"true"_s : u"false"_s;
    else if (v.isNull())
        text = u"null"_s;
    else
        text = u"undefined"_s;
    constexpr qsizetype kShown = 60;
    return text.size() > kShown ? text.left(kShown) + u'…' : text;
}

bool isInteger(double d)
{
    return std::isfinite(d) && std::floor(d) == d;
}

QString typeOf(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return u"null"_s;
    case QJsonValue::Bool: return u"boolean"_s;
    case QJsonValue::Double: return isInteger(v.toDouble()) ? u"integer"_s : u"number"_s;
    case QJsonValue::String: return u"string"_s;
    case QJsonValue::Array: return u"array"_s;
    case QJsonValue::Object: return u"object"_s;
    case QJsonValue::Undefined: break;
    }
    return u"undefined"_s;
}

bool hasType(const QJsonValue &v, const QString &type)
{
    if (type == u"integer")
        return v.isDouble() && isInteger(v.toDouble());
    if (type == u"number")
        return v.isDouble();
    if (type == u"string")
        return v.isString();
    if (type == u"boolean")
        return v.isBool();
    if (type == u"object")
        return v.isObject();
    if (type == u"array")
        return v.isArray();
    if (type == u"null")
        return v.isNull();
    return true; // an unknown type name restricts nothing
}

QStringList typeNames(const QJsonValue &type)
{
    QStringList names;
    if (type.isString()) {
        names << type.toString();
    } else if (type.isArray()) {
        for (const QJsonValue &t : type.toArray())
            if (t.isString())
                names << t.toString();
    }
    return names;
}

qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (QChar c : s)
        if (!c.isLowSurrogate())
            ++n;
    return n;
}

bool isIdentifier(const QString &key)
{
    if (key.isEmpty() || !(key[0].isLetter() || key[0] == u'_'))
        return false;
    for (QChar c : key)
        if (!(c.isLetterOrNumber() || c == u'_' || c == u'-'))
            return false;
    return true;
}

struct Budget
{
    int steps = 0;
    bool exhausted = false;
};

class Validator
{
public:
    explicit Validator(Budget *budget) : m_budget(budget) {}

    QStringList problems;
    bool truncated = false;

    void check(const QJsonValue &v, const QJsonObject &s, const QString &path, int depth);

private:
    void add(const QString &path, const QString &message)
    {
        if (problems.size() < kMaxProblems)
            problems << path + u": "_s + message;
        else
            truncated = true;
    }
    // Stops a loop over children once the list is full; what is left is not checked.
    bool full(bool moreToCheck)
    {
        if (problems.size() < kMaxProblems)
            return false;
        truncated = truncated || moreToCheck;
        return true;
    }
    bool passes(const QJsonValue &v, const QJsonObject &s, const QString &path, int depth,
                QString *firstProblem = nullptr)
    {
        Validator sub(m_budget);
        sub.check(v, s, path, depth);
        // Bounded: nested alternatives would otherwise double the text at every level.
        constexpr qsizetype kShown = 200;
        if (firstProblem && !sub.problems.isEmpty())
            *firstProblem = sub.problems.first().size() > kShown
                                ? sub.problems.first().left(kShown) + u'…'
                                : sub.problems.first();
        return sub.problems.isEmpty() && !m_budget->exhausted;
    }
    void checkNumber(double d, const QJsonObject &s, const QString &path);
    void checkString(const QString &str, const QJsonObject &s, const QString &path);
    void checkArray(const QJsonArray &a, const QJsonObject &s, const QString &path, int depth);
    void checkObject(const QJsonObject &o, const QJsonObject &s, const QString &path, int depth);
    void checkCombinators(const QJsonValue &v, const QJsonObject &s, const QString &path,
                          int depth);

    Budget *m_budget;
};

void Validator::check(const QJsonValue &v, const QJsonObject &s, const QString &path, int depth)
{
    if (depth > kMaxDepth) {
        add(path, u"nested deeper than %1 levels"_s.arg(kMaxDepth));
        return;
    }
    if (m_budget->exhausted || ++m_budget->steps > kMaxSteps) {
        m_budget->exhausted = true; // validate() reports it once; nothing passes from now on
        return;
    }

    const QStringList types = typeNames(s.value(u"type"));
    if (!types.isEmpty()) {
        bool ok = false;
        for (const QString &t : types)
            ok = ok || hasType(v, t);
        if (!ok) {
            add(path, u"must be %1 (got %2)"_s.arg(types.join(u" or "_s), typeOf(v)));
            return; // the other keywords would only repeat the mismatch
        }
    }

    if (s.contains(u"const") && v != s.value(u"const"))
        add(path, u"must be %1"_s.arg(compactJson(s.value(u"const"))));

    if (const QJsonValue e = s.value(u"enum"); e.isArray() && !e.toArray().contains(v)) {
        QStringList allowed;
        for (const QJsonValue &item : e.toArray())
            allowed << compactJson(item);
        add(path, u"must be one of %1 (got %2)"_s.arg(allowed.join(u", "_s), compactJson(v)));
    }

    if (v.isDouble())
        checkNumber(v.toDouble(), s, path);
    else if (v.isString())
        checkString(v.toString(), s, path);
    else if (v.isArray())
        checkArray(v.toArray(), s, path, depth);
    else if (v.isObject())
        checkObject(v.toObject(), s, path, depth);

    checkCombinators(v, s, path, depth);
}

void Validator::checkNumber(double d, const QJsonObject &s, const QString &path)
{
    if (!std::isfinite(d)) {
        add(path, u"must be a finite number"_s);
        return;
    }
    if (const QJsonValue m = s.value(u"minimum"); m.isDouble()) {
        const bool exclusive = s.value(u"exclusiveMinimum").toBool(false); // draft-4 form
        if (exclusive ? d <= m.toDouble() : d < m.toDouble())
            add(path, u"must be %1 %2"_s.arg(exclusive ? u">"_s : u"≥"_s,
                                             formatNumber(m.toDouble())));
    }
    if (const QJsonValue m = s.value(u"maximum"); m.isDouble()) {
        const bool exclusive = s.value(u"exclusiveMaximum").toBool(false);
        if (exclusive ? d >= m.toDouble() : d > m.toDouble())
            add(path, u"must be %1 %2"_s.arg(exclusive ? u"<"_s : u"≤"_s,
                                             formatNumber(m.toDouble())));
    }
    if (const QJsonValue m = s.value(u"exclusiveMinimum"); m.isDouble() && d <= m.toDouble())
        add(path, u"must be > %1"_s.arg(formatNumber(m.toDouble())));
    if (const QJsonValue m = s.value(u"exclusiveMaximum"); m.isDouble() && d >= m.toDouble())
        add(path, u"must be < %1"_s.arg(formatNumber(m.toDouble())));
}

void Validator::checkString(const QString &str, const QJsonObject &s, const QString &path)
{
    const qsizetype length = codePoints(str);
    if (const QJsonValue m = s.value(u"minLength"); m.isDouble() && length < m.toDouble())
        add(path, u"must be at least %1 characters long (is %2)"_s.arg(
                      formatNumber(m.toDouble())).arg(length));
    if (const QJsonValue m = s.value(u"maxLength"); m.isDouble() && length > m.toDouble())
        add(path, u"must be at most %1 characters long (is %2)"_s.arg(
                      formatNumber(m.toDouble())).arg(length));
    if (const QJsonValue p = s.value(u"pattern"); p.isString()) {
        const QRegularExpression re(p.toString());
        if (!re.isValid())
            add(path, u"the schema's pattern %1 is not a valid regular expression (%2)"_s.arg(
                          compactJson(p), re.errorString()));
        else if (!re.match(str).hasMatch())
            add(path, u"must match the pattern %1"_s.arg(p.toString()));
    }
}

void Validator::checkArray(const QJsonArray &a, const QJsonObject &s, const QString &path,
                           int depth)
{
    if (const QJsonValue m = s.value(u"minItems"); m.isDouble() && a.size() < m.toDouble())
        add(path, u"must have at least %1 items (has %2)"_s.arg(formatNumber(m.toDouble()))
                      .arg(a.size()));
    if (const QJsonValue m = s.value(u"maxItems"); m.isDouble() && a.size() > m.toDouble()) {
        add(path, u"must have at most %1 items (has %2)"_s.arg(formatNumber(m.toDouble()))
                      .arg(a.size()));
        return; // checking thousands of surplus items only adds noise
    }
    const QJsonValue items = s.value(u"items");
    if (items.isObject()) {
        const QJsonObject itemSchema = items.toObject();
        for (qsizetype i = 0; i < a.size() && !full(true); ++i)
            check(a.at(i), itemSchema, indexPath(path, i), depth + 1);
    } else if (items.isArray()) {
        const QJsonArray tuple = items.toArray();
        for (qsizetype i = 0; i < a.size() && i < tuple.size(); ++i)
            check(a.at(i), tuple.at(i).toObject(), indexPath(path, i), depth + 1);
        if (a.size() > tuple.size() && s.value(u"additionalItems") == QJsonValue(false))
            add(path, u"must have at most %1 items (has %2)"_s.arg(tuple.size()).arg(a.size()));
    }
}

void Validator::checkObject(const QJsonObject &o, const QJsonObject &s, const QString &path,
                            int depth)
{
    for (const QJsonValue &r : s.value(u"required").toArray())
        if (r.isString() && !o.contains(r.toString()))
            add(path, u"missing required property \"%1\""_s.arg(r.toString()));

    const QJsonObject properties = s.value(u"properties").toObject();
    const QJsonValue additional = s.value(u"additionalProperties");
    for (auto it = o.begin(); it != o.end() && !full(true); ++it) {
        const QString child = childPath(path, it.key());
        if (properties.contains(it.key())) {
            check(it.value(), properties.value(it.key()).toObject(), child, depth + 1);
        } else if (additional.isBool() && !additional.toBool()) {
            QStringList known = properties.keys();
            add(child, known.isEmpty()
                           ? u"is not allowed (no properties are)"_s
                           : u"is not an allowed property (allowed: %1)"_s.arg(
                                 known.join(u", "_s)));
        } else if (additional.isObject()) {
            check(it.value(), additional.toObject(), child, depth + 1);
        }
    }
}

void Validator::checkCombinators(const QJsonValue &v, const QJsonObject &s, const QString &path,
                                 int depth)
{
    for (const QJsonValue &sub : s.value(u"allOf").toArray())
        check(v, sub.toObject(), path, depth + 1);

    if (const QJsonValue any = s.value(u"anyOf"); any.isArray() && !any.toArray().isEmpty()) {
        QStringList why;
        bool ok = false;
        for (const QJsonValue &sub : any.toArray()) {
            QString first;
            if (passes(v, sub.toObject(), path, depth + 1, &first)) {
                ok = true;
                break;
            }
            why << first;
        }
        if (!ok)
            add(path, u"matches none of the allowed alternatives (%1)"_s.arg(
                          why.join(u"; "_s)));
    }

    if (const QJsonValue one = s.value(u"oneOf"); one.isArray() && !one.toArray().isEmpty()) {
        QStringList why;
        int matched = 0;
        for (const QJsonValue &sub : one.toArray()) {
            QString first;
            if (passes(v, sub.toObject(), path, depth + 1, &first))
                ++matched;
            else
                why << first;
        }
        if (matched == 0)
            add(path, u"matches none of the allowed alternatives (%1)"_s.arg(
                          why.join(u"; "_s)));
        else if (matched > 1)
            add(path, u"must match exactly one alternative (matches %1)"_s.arg(matched));
    }

    if (const QJsonValue n = s.value(u"not"); n.isObject() && passes(v, n.toObject(), path,
                                                                       depth + 1))
        add(path, u"must not match the schema given in \"not\""_s);
}

QJsonValue fillDefaults(const QJsonValue &value, const QJsonObject &schema, int depth)
{
    if (depth > kMaxDepth)
        return value;
    if (value.isUndefined())
        return schema.value(u"default");
    if (value.isObject()) {
        QJsonObject o = value.toObject();
        const QJsonObject properties = schema.value(u"properties").toObject();
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            const QJsonObject propSchema = it.value().toObject();
            const QJsonValue filled = fillDefaults(o.value(it.key()), propSchema, depth + 1);
            if (!filled.isUndefined())
                o.insert(it.key(), filled);
        }
        return o;
    }
    if (value.isArray() && schema.value(u"items").isObject()) {
        QJsonArray a = value.toArray();
        const QJsonObject itemSchema = schema.value(u"items").toObject();
        for (qsizetype i = 0; i < a.size(); ++i)
            a[i] = fillDefaults(a.at(i), itemSchema, depth + 1);
        return a;
    }
    return value;
}

QJsonValue exampleNumber(const QJsonObject &s, bool integer)
{
    const QJsonValue min = s.value(u"minimum"), max = s.value(u"maximum");
    const QJsonValue exMin = s.value(u"exclusiveMinimum"), exMax = s.value(u"exclusiveMaximum");
    double x = 0;
    if (min.isDouble())
        x = integer ? std::ceil(min.toDouble()) : min.toDouble();
    else if (exMin.isDouble())
        x = integer ? std::floor(exMin.toDouble()) + 1 : exMin.toDouble() + 1;
    else if (max.isDouble() && max.toDouble() < 0)
        x = integer ? std::floor(max.toDouble()) : max.toDouble();
    else if (exMax.isDouble() && exMax.toDouble() <= 0)
        x = integer ? std::ceil(exMax.toDouble()) - 1 : exMax.toDouble() - 1;
    return std::isfinite(x) ? QJsonValue(x) : QJsonValue(0);
}

QJsonValue example(const QJsonObject &s, int depth)
{
    if (depth > kMaxDepth)
        return QJsonValue::Null;
    if (s.contains(u"default"))
        return s.value(u"default");
    if (const QJsonArray ex = s.value(u"examples").toArray(); !ex.isEmpty())
        return ex.first();
    if (s.contains(u"const"))
        return s.value(u"const");
    if (const QJsonArray e = s.value(u"enum").toArray(); !e.isEmpty())
        return e.first();
    for (const auto key : {u"oneOf", u"anyOf"})
        if (const QJsonArray alts = s.value(key).toArray(); !alts.isEmpty())
            return example(alts.first().toObject(), depth + 1);

    QString type;
    for (const QString &t : typeNames(s.value(u"type"))) {
        if (type.isEmpty() || type == u"null")
            type = t;
    }
    if (type.isEmpty()) {
        if (s.contains(u"properties") || s.contains(u"required"))
            type = u"object"_s;
        else if (s.contains(u"items"))
            type = u"array"_s;
    }

    if (type == u"object") {
        QJsonObject o;
        for (const QJsonValue &sub : s.value(u"allOf").toArray()) {
            const QJsonObject part = example(sub.toObject(), depth + 1).toObject();
            for (auto it = part.begin(); it != part.end(); ++it)
                o.insert(it.key(), it.value());
        }
        const QJsonObject properties = s.value(u"properties").toObject();
        const QJsonArray required = s.value(u"required").toArray();
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            const QJsonObject propSchema = it.value().toObject();
            if (required.contains(it.key()) || propSchema.contains(u"default"))
                o.insert(it.key(), example(propSchema, depth + 1));
        }
        for (const QJsonValue &r : required)
            if (r.isString() && !o.contains(r.toString()))
                o.insert(r.toString(), QJsonValue::Null);
        return o;
    }
    if (type == u"array") {
        QJsonArray a;
        const int n = std::clamp(s.value(u"minItems").toInt(0), 0, 100);
        const QJsonObject itemSchema = s.value(u"items").toObject();
        for (int i = 0; i < n; ++i)
            a.append(example(itemSchema, depth + 1));
        return a;
    }
    if (type == u"string")
        return QString(std::clamp(s.value(u"minLength").toInt(0), 0, 1000), u'x');
    if (type == u"integer" || type == u"number")
        return exampleNumber(s, type == u"integer");
    if (type == u"boolean")
        return false;
    return QJsonValue::Null;
}

} // namespace

QStringList validate(const QJsonValue &value, const QJsonObject &schema, const QString &rootName)
{
    Budget budget;
    Validator v(&budget);
    v.check(value, schema, rootName, 0);
    if (budget.exhausted)
        v.problems.prepend(u"%1: too complex to check (over %2 schema steps)"_s.arg(rootName)
                               .arg(kMaxSteps));
    if (v.truncated)
        v.problems << u"(checking stopped after %1 problems)"_s.arg(kMaxProblems);
    return v.problems;
}

QJsonValue withDefaults(const QJsonValue &value, const QJsonObject &schema)
{
    return fillDefaults(value, schema, 0);
}

QJsonValue exampleFor(const QJsonObject &schema)
{
    return example(schema, 0);
}

QString childPath(const QString &parent, const QString &key)
{
    if (isIdentifier(key))
        return parent.isEmpty() ? key : parent + u'.' + key;
    QString quoted = key;
    quoted.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return parent + u"[\""_s + quoted + u"\"]"_s;
}

QString indexPath(const QString &parent, qsizetype index)
{
    return parent + u'[' + QString::number(index) + u']';
}

} // namespace rcrt::jsonschema
