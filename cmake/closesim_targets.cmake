# How closesim's own targets are built: warnings (fatal only with CLOSESIM_WERROR), sanitizers,
# the fast-build choices, and one function per kind of target so that a new library or test area
# is one line in CMakeLists.txt.

# Everything here is set on targets, never globally: a parent project that adds closesim as a
# subdirectory keeps its own flags, and closesim's flags stay on closesim's targets.
set(closesim_warnings -Wall -Wextra -Wpedantic)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
  # GCC 12 at -O3 reports -Wrestrict inside libstdc++'s own std::string code once it is inlined
  # ("accessing 9223372036854775810 or more bytes at offset -3", GCC bugs 105329 and 105651;
  # first in sim/base/rule_id.cc and time.cc): false positives in code that is not ours, which
  # made a plain Release build with -Werror fail. -Wstringop-overflow, reported for the same
  # inlined copies, goes with it. Turned off for GCC rather than made non-fatal, so a Release
  # build prints nothing a user has to read.
  list(APPEND closesim_warnings -Wno-restrict -Wno-stringop-overflow)
endif()
if(CLOSESIM_WERROR)
  list(APPEND closesim_warnings -Werror)
endif()

# Precompiled standard and fmt headers keep a full build (twice: plain and sanitized) short on a
# two-core machine. Only with CLOSESIM_FAST_BUILD (the Makefile turns it on): a precompiled
# header is a build-speed choice, not part of what the code needs.
set(closesim_pch <algorithm> <cstdint> <functional> <map> <memory> <optional> <set> <string>
    <string_view> <vector> <fmt/format.h>)

# A library's fast-build choice: the precompiled header. The libraries share one, built once by
# closesim_base (all of them compile with the same flags); a target that wants more headers in
# it (the command line: CLI11) names them and builds its own.
function(closesim_fast_build target)
  if(NOT CLOSESIM_FAST_BUILD)
    return()
  endif()
  if(ARGN OR target STREQUAL "closesim_base")
    target_precompile_headers(${target} PRIVATE ${closesim_pch} ${ARGN})
  else()
    target_precompile_headers(${target} REUSE_FROM closesim_base)
  endif()
endfunction()

# Unity batches of up to eight sources for the libraries whose files share heavy headers (CLI11,
# nlohmann-json, the rule and report headers): each batch parses them and instantiates their
# templates once, not once per file; the command line's eleven files compile in a quarter of the
# time, which is most of what keeps the first `make run` short. Only with CLOSESIM_FAST_BUILD: a
# plain build compiles every file on its own, so a missing include still shows (the packaging
# tests build that way). A file in a batch must not define a name its batch-mates define in an
# anonymous namespace.
function(closesim_unity_batches)
  if(CLOSESIM_FAST_BUILD)
    set_target_properties(${ARGN} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()

# Options every target of the project gets, whatever it is.
function(closesim_target_defaults target)
  target_compile_options(${target} PRIVATE ${closesim_warnings})
  target_compile_features(${target} PUBLIC cxx_std_20)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  if(CLOSESIM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                           -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(CLOSESIM_FUZZ)
    # Coverage for libFuzzer in every object; only fuzz_scenario links the fuzzer's main.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  target_compile_definitions(${target} PRIVATE CLOSESIM_VERSION="${PROJECT_VERSION}")
endfunction()

# One library per box of the flow (see README, "Design"), made of every sim/<dir>/*.cc. It is
# installed and exported as closesim::<dir> (alias of the same name inside the build), so a
# consumer links the same names whether it uses find_package or add_subdirectory.
function(closesim_library name dir)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sim/${dir}/*.cc)
  set(includes $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
               $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/sim> $<INSTALL_INTERFACE:include>)
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${includes})
    target_link_libraries(${name} PUBLIC ${ARGN})
    closesim_target_defaults(${name})
    closesim_fast_build(${name})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${includes})
    target_link_libraries(${name} INTERFACE ${ARGN})
    target_compile_features(${name} INTERFACE cxx_std_20)
  endif()
  set_target_properties(${name} PROPERTIES EXPORT_NAME ${dir} OUTPUT_NAME ${name})
  add_library(closesim::${dir} ALIAS ${name})
  set_property(GLOBAL APPEND PROPERTY closesim_libraries ${name})
endfunction()
