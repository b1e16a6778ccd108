# The real-stack backend (docs/realstack.md): the closesim_real library (plan writer, trace
# reader, judge, diff), the Windows runner cross-compiled with mingw-w64 when the compiler is
# there, its tests, and the Wine tests (label "wine"), which skip when Wine or the runner is
# missing. Included by the top-level CMakeLists.txt after the CLI and closesim_tests().
find_package(nlohmann_json REQUIRED)

closesim_library(closesim_real real closesim_report closesim_rules closesim_base)
closesim_unity_batches(closesim_real)
# Header-only and private: the installed package does not ask consumers for it.
target_link_libraries(closesim_real PRIVATE $<BUILD_INTERFACE:nlohmann_json::nlohmann_json>)
set(CLOSESIM_REALSTACK_EXE ${PROJECT_BINARY_DIR}/realstack/realstack.exe)
target_compile_definitions(closesim_real PRIVATE
  CLOSESIM_REALSTACK_EXE="${CLOSESIM_REALSTACK_EXE}"
  CLOSESIM_WINEPREFIX="${PROJECT_BINARY_DIR}/wineprefix")
if(TARGET closesim_cli)
  target_link_libraries(closesim_cli PUBLIC closesim_real)
endif()

# The runner: a standalone Windows program. libgcc, libstdc++ and winpthreads are linked in so
# that Wine (or a bare Windows) needs no DLL beyond the system's.
find_program(CLOSESIM_MINGW_CXX x86_64-w64-mingw32-g++-posix)
if(CLOSESIM_MINGW_CXX)
  file(GLOB realstack_ccs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/realstack/*.cc)
  # The poll and set names are spelled where the simulator spells them, so the two print alike.
  list(APPEND realstack_ccs ${PROJECT_SOURCE_DIR}/sim/base/poll_events.cc)
  # One object per file, so the build runs them side by side (one command compiling them all
  # was the last minute of a build on two cores); each object's header dependencies come from
  # the compiler's depfile.
  set(realstack_objs "")
  # Fatal warnings only in our own builds, as for every other target (closesim_targets.cmake).
  set(realstack_werror "")
  if(CLOSESIM_WERROR)
    set(realstack_werror -Werror)
  endif()
  foreach(cc IN LISTS realstack_ccs)
    get_filename_component(stem ${cc} NAME_WE)
    set(obj ${PROJECT_BINARY_DIR}/realstack/${stem}.o)
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/realstack
      COMMAND ${CLOSESIM_MINGW_CXX} -std=c++20 -O2 -Wall -Wextra ${realstack_werror}
              -I${PROJECT_SOURCE_DIR}/include -MD -MF ${obj}.d -c ${cc} -o ${obj}
      DEPENDS ${cc}
      DEPFILE ${obj}.d
      COMMENT "Cross-compiling ${stem}.cc for the Windows runner"
      VERBATIM)
    list(APPEND realstack_objs ${obj})
  endforeach()
  add_custom_command(
    OUTPUT ${CLOSESIM_REALSTACK_EXE}
    COMMAND ${CLOSESIM_MINGW_CXX} -static -static-libgcc -static-libstdc++
            -o ${CLOSESIM_REALSTACK_EXE} ${realstack_objs} -lws2_32 -lntdll
    DEPENDS ${realstack_objs}
    COMMENT "Linking the Windows runner realstack.exe"
    VERBATIM)
  # A sanitized build does not build it by default: the runner is not sanitized, and the Wine
  # tests it serves run in the plain build (make test-asan leaves them out).
  if(CLOSESIM_SANITIZE)
    set(realstack_in_all "")
  else()
    set(realstack_in_all ALL)
  endif()
  add_custom_target(realstack_runner ${realstack_in_all} DEPENDS ${CLOSESIM_REALSTACK_EXE})
else()
  message(STATUS "x86_64-w64-mingw32-g++-posix not found: the Windows runner is not built "
                 "(make real installs it); the wine tests will skip")
  add_custom_target(realstack_runner
    COMMAND ${CMAKE_COMMAND} -E echo "realstack.exe not built: x86_64-w64-mingw32-g++-posix is missing")
endif()

if(NOT CLOSESIM_BUILD_TESTS)
  return()
endif()
closesim_tests(real closesim_real closesim_run closesim_report)

# Plays the scenarios of tests/real/wine_record.txt under Wine and compares each outcome with the
# record. Exit 77 (skipped) when Wine or the runner cannot be had.
if(TARGET closesim)
  add_test(NAME real_wine_record
           COMMAND ${PROJECT_SOURCE_DIR}/tests/real/wine_record_test.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR}/tests/real/wine_record.txt ${CLOSESIM_REALSTACK_EXE}
                   ${PROJECT_BINARY_DIR}/wineprefix
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(real_wine_record PROPERTIES LABELS "wine" SKIP_RETURN_CODE 77 TIMEOUT 600
                       RUN_SERIAL TRUE)
endif()

# The runner's plan reader is portable: the Linux tests read closesim's plans back with it.
if(TARGET test_real)
  target_sources(test_real PRIVATE ${PROJECT_SOURCE_DIR}/realstack/plan_file.cc)
  target_include_directories(test_real PRIVATE ${PROJECT_SOURCE_DIR}/realstack)
endif()

# `closesim diff --between` needs no Wine: C18's scenario differs between the two profiles (exit
# 1), and a profile against itself does not (exit 0).
if(TARGET closesim)
  add_test(NAME real_diff_between_profiles_differ
           COMMAND ${CMAKE_COMMAND} -DCLOSESIM=$<TARGET_FILE:closesim> -DEXPECT=1
                   -DARGS=diff|--between|documented,windows|scenarios/windows/recv_pending_aborts_connection.scn
                   -P ${PROJECT_SOURCE_DIR}/tests/real/exit_status.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME real_diff_between_same_profile
           COMMAND ${CMAKE_COMMAND} -DCLOSESIM=$<TARGET_FILE:closesim> -DEXPECT=0
                   -DARGS=diff|--between|windows,windows|scenarios/windows/recv_pending_aborts_connection.scn
                   -P ${PROJECT_SOURCE_DIR}/tests/real/exit_status.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME real_judge_bad_trace
           COMMAND ${CMAKE_COMMAND} -DCLOSESIM=$<TARGET_FILE:closesim> -DEXPECT=2
                   -DARGS=judge|--trace|tests/real/bad_trace.jsonl
                   -P ${PROJECT_SOURCE_DIR}/tests/real/exit_status.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endif()
