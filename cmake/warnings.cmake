# Warnings for the project's own code (dependencies are included as SYSTEM headers).
add_library(dlbook_warnings INTERFACE)
target_compile_options(dlbook_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local
                       -Wno-unused-parameter -Wno-maybe-uninitialized)
