// libFuzzer entry point for tests/fuzz/sessiontarget.h (docs/fuzzing.md).
#include "tests/fuzz/fuzzmain.h"
#include "tests/fuzz/sessiontarget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return rcrt::fuzz::runTarget(rcrt::fuzz::runSessionReader, data, size);
}
