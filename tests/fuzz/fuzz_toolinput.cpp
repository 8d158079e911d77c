// libFuzzer entry point for tests/fuzz/tooltarget.h (docs/fuzzing.md).
#include "tests/fuzz/fuzzmain.h"
#include "tests/fuzz/tooltarget.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    return rcrt::fuzz::runTarget(rcrt::fuzz::runToolInput, data, size);
}
