#pragma once

#include "jsonwriter.h"

#include <QByteArray>
#include <QVarLengthArray>

#include <algorithm>

namespace rcrt::sim {

// Builds one compact JSON object whose keys come out in JSONB order (shorter first, then
// bytewise), the order contexts have when the real server reads them back from Postgres.
// Values are raw JSON; cheap enough for the load workload's hot path.
class JsonbObject
{
public:
    JsonbObject &raw(const char *key, QByteArray json)
    {
        m_fields.append({QByteArrayView(key), std::move(json)});
        return *this;
    }
    JsonbObject &str(const char *key, QByteArrayView utf8)
    {
        QByteArray json;
        json.reserve(utf8.size() + 2);
        appendJsonString(json, utf8);
        return raw(key, std::move(json));
    }
    JsonbObject &num(const char *key, qint64 value) { return raw(key, QByteArray::number(value)); }
    JsonbObject &real(const char *key, double value)
    {
        QByteArray json;
        appendJsonNumber(json, value);
        return raw(key, std::move(json));
    }
    JsonbObject &boolean(const char *key, bool value) { return raw(key, value ? "true" : "false"); }

    QByteArray build()
    {
        std::sort(m_fields.begin(), m_fields.end(), [](const Field &a, const Field &b) {
            return a.key.size() != b.key.size() ? a.key.size() < b.key.size()
                                                : std::lexicographical_compare(a.key.begin(), a.key.end(),
                                                                               b.key.begin(), b.key.end());
        });
        QByteArray out;
        qsizetype size = 2;
        for (const Field &f : m_fields)
            size += f.key.size() + f.value.size() + 4;
        out.reserve(size);
        out.append('{');
        for (qsizetype i = 0; i < m_fields.size(); ++i) {
            if (i)
                out.append(',');
            out.append('"').append(m_fields[i].key.data(), m_fields[i].key.size()).append("\":");
            out.append(m_fields[i].value);
        }
        out.append('}');
        return out;
    }

private:
    struct Field
    {
        QByteArrayView key; // keys are string literals
        QByteArray value;
    };
    QVarLengthArray<Field, 12> m_fields;
};

} // namespace rcrt::sim
