# dlbook_add_chapter(<name> [SOURCES extra.cpp ...])
#
# A chapter program lives in chapters/<name>/: main.cpp, plus optionally an exercise made of
# exercise.hpp, exercise.cpp (the stub the reader edits) and solution.cpp. It builds
#   build/bin/<name>                  the chapter program
#   <name>_exercise                   library with the solution or the reader's stub
#                                     (switch: -DDLBOOK_EXERCISES=solution|mine)
#   <name>_exercise_stub              library with the untouched stub, for the stub check
function(dlbook_add_chapter name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  if(EXISTS ${dir}/solution.cpp)
    if(DLBOOK_EXERCISES STREQUAL "mine")
      set(chosen ${dir}/exercise.cpp)
    else()
      set(chosen ${dir}/solution.cpp)
    endif()
    add_library(${name}_exercise STATIC ${chosen})
    add_library(${name}_exercise_stub STATIC ${dir}/exercise.cpp)
    foreach(lib ${name}_exercise ${name}_exercise_stub)
      target_include_directories(${lib} PUBLIC ${dir})
      target_link_libraries(${lib} PUBLIC dlcore::dlcore dlcore::datasets PRIVATE dlbook_warnings)
    endforeach()
  endif()
  add_executable(${name} ${dir}/main.cpp ${ARG_SOURCES})
  # The program's own sources tell the chapter's story and call dlcore, where the work runs
  # (-O3): -O2 here builds them a fifth faster with the same results (-O2 and -O3 form the
  # same fused multiply-adds, and neither reorders floating-point sums without -ffast-math).
  set_source_files_properties(${dir}/main.cpp ${ARG_SOURCES} PROPERTIES
                              COMPILE_OPTIONS $<$<CONFIG:Release>:-O2>)
  target_link_libraries(${name} PRIVATE dlcore::dlcore dlcore::datasets dlbook_warnings)
  if(TARGET ${name}_exercise)
    target_link_libraries(${name} PRIVATE ${name}_exercise)
  endif()
  set_property(GLOBAL APPEND PROPERTY DLBOOK_CHAPTERS ${name})
endfunction()
