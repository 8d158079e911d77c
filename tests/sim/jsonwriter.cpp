#include "jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace rcrt::sim {

void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    const char *begin = utf8.data();
    const char *end = begin + utf8.size();
    const char *run = begin;
    for (const char *p = begin; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(esc, 6);
        }
        }
    }
    out.append(run, end - run);
    out.append('"');
}

void appendJsonString(QByteArray &out, const QString &text) { appendJsonString(out, text.toUtf8()); }

QByteArray jsonString(const QString &text)
{
    QByteArray out;
    appendJsonString(out, text);
    return out;
}

void appendJsonNumber(QByteArray &out, double value)
{
    if (!std::isfinite(value)) {
        out.append("null"); // serde_json writes non-finite floats as null
        return;
    }
    QByteArray text = QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
    // serde/ryu style: 1e-7 not 1e-07, 1.0 not 1.
    const qsizetype e = text.indexOf('e');
    if (e >= 0) {
        QByteArray mantissa = text.left(e);
        QByteArray exponent = text.mid(e + 1);
        bool negative = exponent.startsWith('-');
        if (exponent.startsWith('-') || exponent.startsWith('+'))
            exponent.remove(0, 1);
        while (exponent.size() > 1 && exponent.startsWith('0'))
            exponent.remove(0, 1);
        text = mantissa + 'e' + (negative ? "-" : "") + exponent;
    } else if (!text.contains('.')) {
        text.append(".0");
    }
    out.append(text);
}

void appendJsonStringArray(QByteArray &out, const QByteArrayList &utf8Items)
{
    out.append('[');
    for (qsizetype i = 0; i < utf8Items.size(); ++i) {
        if (i)
            out.append(',');
        appendJsonString(out, utf8Items.at(i));
    }
    out.append(']');
}

void appendCanonicalJson(QByteArray &out, const QJsonValue &value, KeyOrder order)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: out.append("null"); return;
    case QJsonValue::Bool: out.append(value.toBool() ? "true" : "false"); return;
    case QJsonValue::Double: {
        // Qt keeps integer literals that fit in 64 bits as integers.
        const QVariant v = value.toVariant();
        if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int)
            out.append(QByteArray::number(v.toLongLong()));
        else
            appendJsonNumber(out, value.toDouble());
        return;
    }
    case QJsonValue::String: appendJsonString(out, value.toString()); return;
    case QJsonValue::Array: {
        const QJsonArray array = value.toArray();
        out.append('[');
        bool first = true;
        for (const QJsonValue &item : array) {
            if (!first)
                out.append(',');
            first = false;
            appendCanonicalJson(out, item, order);
        }
        out.append(']');
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QList<QByteArray> keys;
        keys.reserve(object.size());
        for (auto it = object.begin(); it != object.end(); ++it)
            keys.append(it.key().toUtf8());
        if (order == KeyOrder::Jsonb) {
            std::sort(keys.begin(), keys.end(), [](const QByteArray &a, const QByteArray &b) {
                return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
        } else {
            std::sort(keys.begin(), keys.end());
        }
        out.append('{');
        bool first = true;
        for (const QByteArray &key : keys) {
            if (!first)
                out.append(',');
            first = false;
            appendJsonString(out, key);
            out.append(':');
            appendCanonicalJson(out, object.value(QString::fromUtf8(key)), order);
        }
        out.append('}');
        return;
    }
    }
}

QByteArray canonicalJson(const QJsonValue &value, KeyOrder order)
{
    QByteArray out;
    appendCanonicalJson(out, value, order);
    return out;
}

bool parseJsonValue(const QByteArray &text, QJsonValue &value, QString &error)
{
    // Wrapping in [] lets QJsonDocument accept scalars; "1,2" yields two items and is refused.
    QJsonParseError parseError;
    const QByteArray wrapped = '[' + text + ']';
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1) {
        if (text.trimmed().isEmpty())
            error = QStringLiteral("EOF while parsing a value at line 1 column %1").arg(text.size());
        else
            error = parseError.error != QJsonParseError::NoError
                ? QStringLiteral("%1 at line 1 column %2")
                      .arg(parseError.errorString())
                      .arg(qMax(0, parseError.offset - 1))
                : QStringLiteral("trailing characters at line 1 column %1").arg(text.size());
        return false;
    }
    value = doc.array().at(0);
    return true;
}

bool isTruthy(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return false;
    case QJsonValue::Bool: return value.toBool();
    case QJsonValue::Double: return value.toDouble() != 0 && !std::isnan(value.toDouble());
    case QJsonValue::String: return !value.toString().isEmpty();
    default: return true;
    }
}

} // namespace rcrt::sim
