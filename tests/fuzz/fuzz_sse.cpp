// libFuzzer entry point for tests/fuzz/ssetarget.h (docs/fuzzing.md).
#include "tests/fuzz/fuzzmain.h"
#include "tests/fuzz/ssetarget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return rcrt::fuzz::runTarget(rcrt::fuzz::runSseParser, data, size);
}
