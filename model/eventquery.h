#pragma once

#include "model/eventrecord.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace rcrt {

// The events filter language: a whitespace-separated AND of terms.
//
//   schema:tool.*          schema name, glob (* and ?), anchored, case-insensitive
//   tag:workspace:tools    any tag matches the glob; everything after the first `tag:` is the
//                          value, so tags with colons need no quoting
//   id:4f1c                breadcrumb id prefix
//   source:sse             sse | backfill | local | replay (the first arrival's path)
//   lag>1s  lag<=500ms     arrival − updated_at; units ms, s, m; ops > >= < <= =
//   version>1  version:3   version comparison (`:` means `=`)
//   created  updated       version 1 / version > 1
//   -term                  negates any term, e.g. -schema:system.*
//   word  "a phrase"       free text: a case-insensitive substring of schema, a tag, the id or
//                          the title (when known)
//   key:"quoted value"     a value may be quoted to hold spaces
//
// A `word:value` whose key is not one of the above is free text, so pasting a tag such as
// `session:abc` just works.
class EventQuery
{
public:
    struct Error
    {
        qsizetype position = 0; // 0-based character offset into the query text
        QString message;

        // "column N: message", for showing under the filter bar.
        QString toString() const;
    };

    // An empty (or all-blank) text gives an empty query that matches everything.
    static std::optional<EventQuery> parse(QStringView text, Error *error = nullptr);

    bool isEmpty() const { return m_terms.isEmpty(); }
    qsizetype termCount() const { return m_terms.size(); }
    // Whether a free-text term may match the title, so a title arriving later can change the
    // outcome for a row (the proxy then re-filters that row).
    bool usesTitle() const;

    // `title` is the breadcrumb's title when known, else empty.
    bool matches(const EventRecord &record, QStringView title = {}) const;

    // The lag matched by `lag` terms: first arrival − updated_at, in ns.
    static qint64 lagNs(const EventRecord &record)
    {
        return record.first.arrivalNs - record.envelope.updatedAtNs;
    }

private:
    enum class Field : quint8 { Schema, Tag, IdPrefix, Source, Lag, Version, Created, Updated, Text };
    enum class Op : quint8 { Less, LessEqual, Equal, GreaterEqual, Greater };

    struct Term
    {
        Field field = Field::Text;
        bool negate = false;
        Op op = Op::Equal;
        qint64 number = 0;     // Lag (ns), Version
        EventSource source = EventSource::Sse;
        QByteArray pattern;    // lower-case UTF-8: glob, id prefix or free text
        QString text;          // free text, for the title (case-insensitive)
    };

    friend class EventQueryParser;
    bool matchTerm(const Term &term, const EventRecord &record, QStringView title) const;

    QList<Term> m_terms;
};

// `*` matches any run (also empty), `?` any one byte; ASCII case-insensitive; anchored at both
// ends. `pattern` must be lower-case already.
bool globMatch(QByteArrayView pattern, QByteArrayView text);

} // namespace rcrt
