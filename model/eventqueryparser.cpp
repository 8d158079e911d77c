// The parser half of EventQuery: text → terms, or the first error with its position.
#include "model/eventquery.h"

#include <QCoreApplication>

#include <cmath>

namespace rcrt {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("EventQuery", text);
}

struct ParseFailure
{
    qsizetype position;
    QString message;
};

} // namespace

class EventQueryParser
{
public:
    using Term = EventQuery::Term;
    using Field = EventQuery::Field;
    using Op = EventQuery::Op;

    explicit EventQueryParser(QStringView text) : m_text(text) {}

    // Fills `query`; on failure returns the error.
    std::optional<ParseFailure> run(EventQuery &query)
    {
        while (true) {
            while (m_pos < m_text.size() && m_text[m_pos].isSpace())
                ++m_pos;
            if (m_pos >= m_text.size())
                return std::nullopt;
            if (auto failure = parseTerm(query))
                return failure;
        }
    }

private:
    std::optional<ParseFailure> parseTerm(EventQuery &query)
    {
        Term term;
        const qsizetype termStart = m_pos;
        if (m_text[m_pos] == u'-') {
            ++m_pos;
            if (m_pos >= m_text.size() || m_text[m_pos].isSpace())
                return ParseFailure{termStart, tr("a lone '-': put the term to negate right after it")};
            term.negate = true;
        }
        if (m_text[m_pos] == u'"') {
            QString phrase;
            if (auto failure = readQuoted(phrase))
                return failure;
            if (phrase.isEmpty())
                return ParseFailure{termStart, tr("empty quoted phrase")};
            setText(term, phrase);
            query.m_terms.append(term);
            return std::nullopt;
        }

        const qsizetype wordStart = m_pos;
        while (m_pos < m_text.size() && !m_text[m_pos].isSpace() && m_text[m_pos] != u'"')
            ++m_pos;
        QString word = m_text.mid(wordStart, m_pos - wordStart).toString();
        if (m_pos < m_text.size() && m_text[m_pos] == u'"') {
            if (!word.endsWith(u':'))
                return ParseFailure{m_pos, tr("unexpected '\"': quote a whole phrase or a value after 'key:'")};
            QString value;
            if (auto failure = readQuoted(value))
                return failure;
            word += value;
        }

        if (auto failure = interpret(term, word, wordStart))
            return failure;
        query.m_terms.append(term);
        return std::nullopt;
    }

    std::optional<ParseFailure> readQuoted(QString &out)
    {
        const qsizetype quote = m_pos++;
        const qsizetype close = m_text.indexOf(u'"', m_pos);
        if (close < 0)
            return ParseFailure{quote, tr("unterminated quote")};
        out = m_text.mid(m_pos, close - m_pos).toString();
        m_pos = close + 1;
        if (m_pos < m_text.size() && !m_text[m_pos].isSpace())
            return ParseFailure{m_pos, tr("expected a space after the closing quote")};
        return std::nullopt;
    }

    static void setText(Term &term, const QString &text)
    {
        term.field = Field::Text;
        term.text = text;
        term.pattern = text.toLower().toUtf8();
    }

    std::optional<ParseFailure> interpret(Term &term, const QString &word, qsizetype at)
    {
        const QString lower = word.toLower();
        if (lower == u"created" || lower == u"updated") {
            term.field = lower == u"created" ? Field::Created : Field::Updated;
            return std::nullopt;
        }
        struct Comparable
        {
            QStringView key;
            Field field;
        };
        for (const Comparable &c : {Comparable{u"lag", Field::Lag}, Comparable{u"version", Field::Version}}) {
            if (lower.startsWith(c.key) && lower.size() > c.key.size()
                && QStringView(u"<>=:").contains(lower[c.key.size()])) {
                term.field = c.field;
                return parseComparison(term, QStringView(lower).mid(c.key.size()), at + c.key.size());
            }
        }
        const qsizetype colon = lower.indexOf(u':');
        if (colon > 0) {
            const QStringView key = QStringView(lower).left(colon);
            const QString value = word.mid(colon + 1);
            const qsizetype valueAt = at + colon + 1;
            const bool known = key == u"schema" || key == u"tag" || key == u"id" || key == u"source";
            if (known && value.isEmpty())
                return ParseFailure{valueAt, tr("'%1:' needs a value").arg(key.toString())};
            if (key == u"schema" || key == u"tag" || key == u"id") {
                term.field = key == u"schema" ? Field::Schema
                    : key == u"tag"           ? Field::Tag
                                              : Field::IdPrefix;
                term.pattern = value.toLower().toUtf8();
                return std::nullopt;
            }
            if (key == u"source")
                return parseSource(term, value.toLower(), valueAt);
        }
        setText(term, word);
        return std::nullopt;
    }

    static std::optional<ParseFailure> parseSource(Term &term, const QString &value, qsizetype at)
    {
        term.field = Field::Source;
        if (value == u"sse")
            term.source = EventSource::Sse;
        else if (value == u"backfill")
            term.source = EventSource::Backfill;
        else if (value == u"local")
            term.source = EventSource::Local;
        else if (value == u"replay")
            term.source = EventSource::Replay;
        else
            return ParseFailure{at, tr("unknown source '%1': use sse, backfill, local or replay").arg(value)};
        return std::nullopt;
    }

    // `rest` starts at the operator, e.g. ">=1.5s".
    static std::optional<ParseFailure> parseComparison(Term &term, QStringView rest, qsizetype at)
    {
        qsizetype i = 0;
        if (rest.startsWith(u">=")) {
            term.op = Op::GreaterEqual;
            i = 2;
        } else if (rest.startsWith(u"<=")) {
            term.op = Op::LessEqual;
            i = 2;
        } else {
            term.op = rest[0] == u'>' ? Op::Greater : rest[0] == u'<' ? Op::Less : Op::Equal;
            i = 1;
        }
        const qsizetype numberStart = i;
        if (i < rest.size() && rest[i] == u'-')
            ++i;
        while (i < rest.size() && (rest[i].isDigit() || rest[i] == u'.'))
            ++i;
        bool ok = false;
        const double number = rest.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return ParseFailure{at + numberStart, tr("expected a number")};
        const QStringView unit = rest.mid(i);

        if (term.field == Field::Version) {
            if (!unit.isEmpty() || number != std::floor(number) || std::abs(number) > 2147483647.0)
                return ParseFailure{at + numberStart, tr("version needs a whole number")};
            term.number = qint64(number);
            return std::nullopt;
        }
        double scale = 0;
        if (unit == u"ms")
            scale = 1e6;
        else if (unit == u"s")
            scale = 1e9;
        else if (unit == u"m")
            scale = 60e9;
        else if (unit.isEmpty())
            return ParseFailure{at + i, tr("lag needs a unit: ms, s or m")};
        else
            return ParseFailure{at + i, tr("unknown unit '%1': use ms, s or m").arg(unit.toString())};
        const double ns = number * scale;
        if (std::abs(ns) > 9.0e18)
            return ParseFailure{at + numberStart, tr("lag out of range")};
        term.number = qint64(std::llround(ns));
        return std::nullopt;
    }

    QStringView m_text;
    qsizetype m_pos = 0;
};

std::optional<EventQuery> EventQuery::parse(QStringView text, Error *error)
{
    EventQuery query;
    EventQueryParser parser(text);
    if (auto failure = parser.run(query)) {
        if (error)
            *error = Error{failure->position, failure->message};
        return std::nullopt;
    }
    return query;
}

} // namespace rcrt
