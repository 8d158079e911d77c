#include "model/simdjsonsupport.h"

#include <algorithm>
#include <cstring>

namespace rcrt::json {

QString errorText(simdjson::error_code code)
{
    return QStringLiteral("malformed JSON: %1").arg(QLatin1String(simdjson::error_message(code)));
}

const char *PaddedBuffer::load(QByteArrayView text)
{
    const size_t needed = size_t(text.size()) + simdjson::SIMDJSON_PADDING;
    if (needed > m_capacity) {
        m_capacity = std::max(needed, m_capacity * 2);
        m_data = std::make_unique_for_overwrite<char[]>(m_capacity);
    }
    if (!text.isEmpty())
        std::memcpy(m_data.get(), text.data(), size_t(text.size()));
    // simdjson never needs these bytes to be zero, but reading uninitialised memory would
    // upset sanitizers and valgrind.
    std::memset(m_data.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
    return m_data.get();
}

} // namespace rcrt::json
