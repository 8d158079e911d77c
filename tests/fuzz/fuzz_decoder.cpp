// libFuzzer entry point for tests/fuzz/decodertarget.h (docs/fuzzing.md).
#include "tests/fuzz/fuzzmain.h"
#include "tests/fuzz/decodertarget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return rcrt::fuzz::runTarget(rcrt::fuzz::runDecoder, data, size);
}
