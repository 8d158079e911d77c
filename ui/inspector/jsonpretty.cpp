#include "ui/inspector/jsonpretty.h"

#include <QByteArray>

namespace rcrt::ui {

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The next byte that is not insignificant whitespace, or 0 at the end.
char nextSignificant(QByteArrayView json, qsizetype from)
{
    while (from < json.size() && isSpace(json[from]))
        ++from;
    return from < json.size() ? json[from] : '\0';
}

} // namespace

QString prettyJson(QByteArrayView json, int indent)
{
    QByteArray out;
    out.reserve(json.size() + json.size() / 2);
    int depth = 0;
    const auto newline = [&] {
        out += '\n';
        out.append(QByteArray(qsizetype(depth) * indent, ' '));
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            const qsizetype start = i++;
            while (i < json.size() && json[i] != '"')
                i += json[i] == '\\' ? 2 : 1;
            out.append(json.sliced(start, std::min(i, json.size() - 1) - start + 1));
            continue;
        }
        if (isSpace(c))
            continue;
        switch (c) {
        case '{':
        case '[': {
            out += c;
            const char close = c == '{' ? '}' : ']';
            if (nextSignificant(json, i + 1) == close) {
                while (json[++i] != close) { }
                out += close;
            } else {
                ++depth;
                newline();
            }
            break;
        }
        case '}':
        case ']':
            depth = std::max(0, depth - 1);
            newline();
            out += c;
            break;
        case ',':
            out += c;
            newline();
            break;
        case ':':
            out += ": ";
            break;
        default:
            out += c;
        }
    }
    return QString::fromUtf8(out);
}

} // namespace rcrt::ui
