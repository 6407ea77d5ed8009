# Warnings for the project's own code (dependencies are included as SYSTEM headers).
# The same set under GCC and clang; -Wshadow=local and -Wmaybe-uninitialized are GCC's own.
add_library(dlbook_warnings INTERFACE)
target_compile_options(dlbook_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> -Wno-unused-parameter
                       $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
