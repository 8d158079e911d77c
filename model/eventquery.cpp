#include "model/eventquery.h"

#include <QCoreApplication>

namespace rcrt {

namespace {

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// `needle` is lower-case; only ASCII letters are folded, which is what ids, schemas and the
// usual tags are made of (non-ASCII bytes must match exactly).
bool containsCaseless(QByteArrayView haystack, QByteArrayView needle)
{
    if (needle.isEmpty())
        return true;
    const qsizetype last = haystack.size() - needle.size();
    for (qsizetype i = 0; i <= last; ++i) {
        qsizetype j = 0;
        while (j < needle.size() && lowerAscii(haystack[i + j]) == needle[j])
            ++j;
        if (j == needle.size())
            return true;
    }
    return false;
}

bool startsWithCaseless(QByteArrayView text, QByteArrayView prefixLower)
{
    if (prefixLower.size() > text.size())
        return false;
    for (qsizetype i = 0; i < prefixLower.size(); ++i)
        if (lowerAscii(text[i]) != prefixLower[i])
            return false;
    return true;
}

} // namespace

bool globMatch(QByteArrayView pattern, QByteArrayView text)
{
    // Greedy with one backtrack point (the last `*`): linear for the patterns people type.
    qsizetype p = 0, t = 0, starP = -1, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == lowerAscii(text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

QString EventQuery::Error::toString() const
{
    return QCoreApplication::translate("EventQuery", "column %1: %2").arg(position + 1).arg(message);
}

bool EventQuery::usesTitle() const
{
    for (const Term &term : m_terms)
        if (term.field == Field::Text)
            return true;
    return false;
}

bool EventQuery::matches(const EventRecord &record, QStringView title) const
{
    for (const Term &term : m_terms)
        if (matchTerm(term, record, title) == term.negate)
            return false;
    return true;
}

bool EventQuery::matchTerm(const Term &term, const EventRecord &record, QStringView title) const
{
    const Envelope &e = record.envelope;
    const auto compare = [&term](qint64 value) {
        switch (term.op) {
        case Op::Less: return value < term.number;
        case Op::LessEqual: return value <= term.number;
        case Op::Equal: return value == term.number;
        case Op::GreaterEqual: return value >= term.number;
        case Op::Greater: return value > term.number;
        }
        return false;
    };
    switch (term.field) {
    case Field::Schema:
        return globMatch(term.pattern, e.schemaName);
    case Field::Tag:
        for (const QByteArray &tag : e.tags)
            if (globMatch(term.pattern, tag))
                return true;
        return false;
    case Field::IdPrefix:
        return startsWithCaseless(e.breadcrumbId, term.pattern);
    case Field::Source:
        return record.first.source == term.source;
    case Field::Lag:
        return compare(lagNs(record));
    case Field::Version:
        return compare(e.version);
    case Field::Created:
        return e.version == 1;
    case Field::Updated:
        return e.version > 1;
    case Field::Text:
        if (containsCaseless(e.schemaName, term.pattern)
            || containsCaseless(e.breadcrumbId, term.pattern))
            return true;
        for (const QByteArray &tag : e.tags)
            if (containsCaseless(tag, term.pattern))
                return true;
        return !title.isEmpty() && title.contains(term.text, Qt::CaseInsensitive);
    }
    return false;
}

} // namespace rcrt
