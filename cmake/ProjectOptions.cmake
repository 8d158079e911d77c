# One INTERFACE target carries warnings and Qt strictness for every project target.
add_library(rcrt_project_options INTERFACE)
target_compile_definitions(rcrt_project_options INTERFACE
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_FOREACH
  QT_USE_QSTRINGBUILDER
  QT_DISABLE_DEPRECATED_UP_TO=0x060400
  QT_MESSAGELOGCONTEXT
  RCRT_VERSION="${PROJECT_VERSION}")
target_compile_options(rcrt_project_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough>)

# -Werror in CI only (STYLE.md): local builds stay usable with a newer compiler.
option(RCRT_WERROR "Treat warnings as errors" OFF)
if(RCRT_WERROR)
  target_compile_options(rcrt_project_options INTERFACE -Werror)
endif()

# Sanitizers for the asan preset and ./test.sh --sanitize.
option(RCRT_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(RCRT_SANITIZE)
  target_compile_options(rcrt_project_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(rcrt_project_options INTERFACE -fsanitize=address,undefined)
endif()

# libFuzzer coverage for every project target (the fuzz preset, with RCRT_SANITIZE): without it
# the fuzz targets link but only their own few lines guide the fuzzer. Clang only.
option(RCRT_FUZZ_INSTRUMENT "Instrument project code for libFuzzer (clang)" OFF)
if(RCRT_FUZZ_INSTRUMENT)
  target_compile_options(rcrt_project_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
