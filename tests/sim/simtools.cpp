#include "simtools.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace rcrt::sim {
namespace {

class ExpressionParser
{
public:
    explicit ExpressionParser(const QString &text) : m_text(text) {}

    std::optional<double> parse(QString &error)
    {
        const auto value = sum();
        skipSpaces();
        if (!value || m_pos != m_text.size()) {
            error = QStringLiteral("Invalid expression: %1").arg(m_text);
            return std::nullopt;
        }
        return value;
    }

private:
    void skipSpaces()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }
    bool take(QChar c)
    {
        skipSpaces();
        if (m_pos < m_text.size() && m_text.at(m_pos) == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    std::optional<double> sum()
    {
        auto left = product();
        while (left) {
            if (take(QLatin1Char('+'))) {
                const auto right = product();
                left = right ? std::optional(*left + *right) : std::nullopt;
            } else if (take(QLatin1Char('-'))) {
                const auto right = product();
                left = right ? std::optional(*left - *right) : std::nullopt;
            } else {
                break;
            }
        }
        return left;
    }
    std::optional<double> product()
    {
        auto left = unary();
        while (left) {
            if (take(QLatin1Char('*'))) {
                const auto right = unary();
                left = right ? std::optional(*left * *right) : std::nullopt;
            } else if (take(QLatin1Char('/'))) {
                const auto right = unary();
                left = right ? std::optional(*left / *right) : std::nullopt;
            } else if (take(QLatin1Char('%'))) {
                const auto right = unary();
                left = right ? std::optional(std::fmod(*left, *right)) : std::nullopt;
            } else {
                break;
            }
        }
        return left;
    }
    std::optional<double> unary()
    {
        if (take(QLatin1Char('-'))) {
            const auto v = unary();
            return v ? std::optional(-*v) : std::nullopt;
        }
        if (take(QLatin1Char('('))) {
            const auto v = sum();
            return v && take(QLatin1Char(')')) ? v : std::nullopt;
        }
        skipSpaces();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == QLatin1Char('.')))
            ++m_pos;
        bool ok = false;
        const double v = m_text.mid(start, m_pos - start).toDouble(&ok);
        return ok ? std::optional(v) : std::nullopt;
    }

    QString m_text;
    qsizetype m_pos = 0;
};

QJsonValue numberValue(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15)
        return QJsonValue(qint64(v));
    return QJsonValue(v);
}

QString formatNumber(double v)
{
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9e15)
        return QString::number(qint64(v));
    return QString::number(v, 'g', 12);
}

} // namespace

std::optional<double> evaluateExpression(const QString &expression, QString &error)
{
    return ExpressionParser(expression).parse(error);
}

bool isLlmTool(const QString &tool)
{
    return tool == QStringLiteral("openrouter") || tool == QStringLiteral("ollama_local")
        || tool == QStringLiteral("venice");
}

bool runBuiltinToolKnown(const QString &tool)
{
    static const QStringList known{QStringLiteral("echo"), QStringLiteral("random"), QStringLiteral("calculator"),
                                   QStringLiteral("timer"), QStringLiteral("workflow")};
    return known.contains(tool) || isLlmTool(tool);
}

int executionTimeMs(const QString &tool, const QJsonValue &input, FastRandom &random)
{
    if (isLlmTool(tool))
        return int(random.between(1500, 3500));
    if (tool == QStringLiteral("timer"))
        return int(qBound(0.0, input.toObject().value(QStringLiteral("seconds")).toDouble(), 60.0) * 1000)
            + int(random.between(5, 20));
    return int(random.between(80, 250));
}

std::optional<ToolOutcome> runBuiltinTool(const QString &tool, const QJsonValue &input,
                                          FastRandom &random)
{
    const QJsonObject in = input.toObject();
    if (tool == QStringLiteral("echo"))
        return ToolOutcome{true, QJsonObject{{QStringLiteral("echo"), in.value(QStringLiteral("message"))}}, {}};
    if (tool == QStringLiteral("random")) {
        const qint64 lo = qint64(in.value(QStringLiteral("min")).toDouble(1));
        const qint64 hi = qint64(in.value(QStringLiteral("max")).toDouble(100));
        const int count = qBound(1, in.value(QStringLiteral("count")).toInt(1), 1000);
        if (hi < lo)
            return ToolOutcome{false, {}, QStringLiteral("min must be less than or equal to max")};
        QJsonArray numbers;
        for (int i = 0; i < count; ++i)
            numbers.append(random.between(lo, hi));
        return ToolOutcome{true, QJsonObject{{QStringLiteral("numbers"), numbers}}, {}};
    }
    if (tool == QStringLiteral("calculator")) {
        const QString expression = in.value(QStringLiteral("expression")).toString();
        QString error;
        const auto result = evaluateExpression(expression, error);
        if (!result)
            return ToolOutcome{false, {}, error};
        return ToolOutcome{true,
                           QJsonObject{{QStringLiteral("result"), numberValue(*result)},
                                       {QStringLiteral("expression"), expression},
                                       {QStringLiteral("formatted"),
                                        QString(expression + QStringLiteral(" = ") + formatNumber(*result))}},
                           {}};
    }
    if (tool == QStringLiteral("timer")) {
        const double seconds = qBound(0.0, in.value(QStringLiteral("seconds")).toDouble(), 60.0);
        return ToolOutcome{true,
                           QJsonObject{{QStringLiteral("waited"), numberValue(seconds)},
                                       {QStringLiteral("message"),
                                        QStringLiteral("Waited %1 seconds").arg(formatNumber(seconds))}},
                           {}};
    }
    if (isLlmTool(tool)) {
        // The content is the JSON the default chat agent expects from its LLM (§6 step 5).
        const QJsonObject plan{
            {QStringLiteral("action"), QStringLiteral("create")},
            {QStringLiteral("breadcrumb"),
             QJsonObject{{QStringLiteral("schema_name"), QStringLiteral("agent.response.v1")},
                         {QStringLiteral("title"), QStringLiteral("Chat Response")},
                         {QStringLiteral("tags"), QJsonArray{QStringLiteral("agent:response"),
                                                             QStringLiteral("chat:output")}},
                         {QStringLiteral("context"),
                          QJsonObject{{QStringLiteral("message"),
                                       QStringLiteral("Running a workflow… ✅")},
                                      {QStringLiteral("tool_requests"),
                                       QJsonArray{QJsonObject{{QStringLiteral("tool"), QStringLiteral("workflow")}}}}}}}}};
        const int prompt = int(random.between(800, 2000));
        const int completion = int(random.between(60, 200));
        return ToolOutcome{
            true,
            QJsonObject{{QStringLiteral("content"),
                         QString::fromUtf8(QJsonDocument(plan).toJson(QJsonDocument::Compact))},
                        {QStringLiteral("model"), QStringLiteral("google/gemini-2.5-flash")},
                        {QStringLiteral("usage"),
                         QJsonObject{{QStringLiteral("prompt_tokens"), prompt},
                                     {QStringLiteral("completion_tokens"), completion},
                                     {QStringLiteral("total_tokens"), prompt + completion}}},
                        {QStringLiteral("cost_estimate"), (prompt * 0.3 + completion * 2.5) / 1e6}},
            {}};
    }
    return std::nullopt;
}

} // namespace rcrt::sim
