# Every dependency comes from a Debian package (see tools/deps.sh); nothing is downloaded.
find_package(xtl REQUIRED)
find_package(xsimd REQUIRED)
set(XTENSOR_USE_XSIMD ON)
find_package(xtensor REQUIRED)
find_package(xtensor-blas REQUIRED)
find_package(OpenBLAS REQUIRED CONFIG)   # Debian: /usr/lib/x86_64-linux-gnu/cmake/openblas
find_package(ZLIB REQUIRED)
find_package(PNG REQUIRED)       # reading a user's image (io/image.hpp)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(Threads REQUIRED)

# OpenBLAS, chosen explicitly (not whichever libblas.so the alternatives system points at).
add_library(dlbook_openblas INTERFACE)
target_include_directories(dlbook_openblas SYSTEM INTERFACE ${OpenBLAS_INCLUDE_DIRS})
target_link_libraries(dlbook_openblas INTERFACE ${OpenBLAS_LIBRARIES} Threads::Threads)

# Release builds: -O3 -march=native through xtensor::optimize; xsimd vectorisation; no fast-math
# (the divergence check needs std::isnan).
add_library(dlbook_xtensor INTERFACE)
target_link_libraries(dlbook_xtensor INTERFACE xtensor xtensor-blas xsimd)
target_compile_definitions(dlbook_xtensor INTERFACE XTENSOR_USE_XSIMD)
# -fno-math-errno lets std::sqrt vectorise (no errno to set); it changes no result. A target
# may ask for another Release optimisation level with its DLBOOK_RELEASE_OPT property (the
# tests build at -O1): it has to come from here, as options a target gets through the
# libraries it links come after its own on the command line.
target_compile_options(dlbook_xtensor INTERFACE
  "$<$<CONFIG:Release>:$<IF:$<BOOL:$<TARGET_PROPERTY:DLBOOK_RELEASE_OPT>>,$<TARGET_PROPERTY:DLBOOK_RELEASE_OPT>,-O3>>"
  $<$<CONFIG:Release>:-march=native> -fno-math-errno)
