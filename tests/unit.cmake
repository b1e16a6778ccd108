# The doctest binaries: one per area (closesim_tests), a shared main and a shared precompiled
# header. Test files are compiled without optimisation under CLOSESIM_FAST_BUILD (the libraries
# they test keep the build type's flags): the test half of a build is most of it.
set(closesim_test_flags "")
if(CLOSESIM_FAST_BUILD)
  set(closesim_test_flags -O0)
endif()

add_library(closesim_doctest_main OBJECT ${PROJECT_SOURCE_DIR}/tests/doctest_main.cc)
target_link_libraries(closesim_doctest_main PRIVATE doctest::doctest)
closesim_target_defaults(closesim_doctest_main)

if(CLOSESIM_FAST_BUILD)
  # One precompiled header for every test binary, hosted by an empty file.
  add_library(closesim_test_pch OBJECT ${PROJECT_SOURCE_DIR}/tests/test_pch.cc)
  target_link_libraries(closesim_test_pch PRIVATE doctest::doctest fmt::fmt
                        nlohmann_json::nlohmann_json)
  closesim_target_defaults(closesim_test_pch)
  target_compile_options(closesim_test_pch PRIVATE ${closesim_test_flags})
  target_compile_definitions(closesim_test_pch PRIVATE CLOSESIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_precompile_headers(closesim_test_pch PRIVATE ${closesim_pch} <doctest/doctest.h>)
endif()

# test_<area>: every tests/<area>/*.cc, linked with the libraries named after the area.
function(closesim_tests area)
  file(GLOB srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${area}/*.cc)
  if(srcs)
    add_executable(test_${area} $<TARGET_OBJECTS:closesim_doctest_main> ${srcs})
    target_link_libraries(test_${area} PRIVATE ${ARGN} doctest::doctest nlohmann_json::nlohmann_json)
    closesim_target_defaults(test_${area})
    target_compile_options(test_${area} PRIVATE ${closesim_test_flags})
    if(CLOSESIM_FAST_BUILD)
      target_precompile_headers(test_${area} REUSE_FROM closesim_test_pch)
    endif()
    # The test files are half of each build's compiling; a batch parses doctest and the headers
    # under test once, not once per file.
    closesim_unity_batches(test_${area})
    target_compile_definitions(test_${area} PRIVATE CLOSESIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    if(CLOSESIM_SANITIZE)
      # A test may run a smaller sample of an expensive cross product under the sanitizers.
      target_compile_definitions(test_${area} PRIVATE CLOSESIM_SANITIZED=1)
    endif()
    add_test(NAME ${area} COMMAND test_${area})
    set_tests_properties(${area} PROPERTIES LABELS unit)
  endif()
endfunction()
