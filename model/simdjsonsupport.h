#pragma once

// Internal to rcrt_model: simdjson is a private dependency, so only model/*.cpp include this.
//
// We use simdjson's DOM API: in the Debian build only DOM parsing is dispatched at run time to
// the CPU's best kernel (AVX2/AVX-512); the On-Demand API would be compiled for the baseline
// x86-64 "fallback" kernel here and measured 3x slower, fully validating as well.

#include <QByteArrayView>
#include <QString>

#include <simdjson.h>

#include <memory>

namespace rcrt::json {

// "malformed JSON: <simdjson's message>"
QString errorText(simdjson::error_code code);

// A reusable input buffer with the readable padding simdjson requires after the text.
class PaddedBuffer
{
public:
    // Copies `text` in and returns the start; valid until the next call.
    const char *load(QByteArrayView text);

private:
    std::unique_ptr<char[]> m_data;
    size_t m_capacity = 0;
};

} // namespace rcrt::json
