# The libFuzzer target, in the project's own build when CLOSESIM_FUZZ is on (clang only): every
# closesim target is compiled with the fuzzer's coverage (closesim_targets.cmake), so the fuzzer
# links the same objects the clang build's command line and tests use and costs one extra link,
# not a second build of the simulator. `make test-clang` (CI) runs it for 60 s as the ctest case
# fuzz:60s; `make fuzz` for FUZZ_SECONDS. Both go through fuzz/run.sh.
if(CLOSESIM_FUZZ)
  add_executable(fuzz_scenario ${PROJECT_SOURCE_DIR}/fuzz/fuzz_target.cc
                 ${PROJECT_SOURCE_DIR}/fuzz/fuzz_scenario.cc)
  target_include_directories(fuzz_scenario PRIVATE ${PROJECT_SOURCE_DIR}/fuzz)
  target_link_libraries(fuzz_scenario PRIVATE closesim_explore closesim_report)
  closesim_target_defaults(fuzz_scenario)
  target_link_options(fuzz_scenario PRIVATE -fsanitize=fuzzer)
  if(CLOSESIM_BUILD_TESTS)
    add_test(NAME fuzz:60s COMMAND sh ${PROJECT_SOURCE_DIR}/fuzz/run.sh
                                   ${PROJECT_BINARY_DIR}/fuzz 60 $<TARGET_FILE:fuzz_scenario>)
    # Started first (COST) so the other lane runs the command-line tests beside it: the fuzzer
    # is one process and stops on the clock, not on the work done.
    set_tests_properties(fuzz:60s PROPERTIES LABELS fuzz TIMEOUT 600 COST 1000)
  endif()
endif()
