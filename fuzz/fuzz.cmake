# The fuzz target for 60 seconds as a ctest case of its own (label "fuzz") in the sanitizer
# build that CI runs (make test-asan); it skips (77) when clang is missing. make fuzz runs it
# for FUZZ_SECONDS instead.
if(CLOSESIM_SANITIZE)
  add_test(NAME fuzz:60s COMMAND sh ${PROJECT_SOURCE_DIR}/fuzz/run.sh ${PROJECT_BINARY_DIR}/fuzz 60)
  set_tests_properties(fuzz:60s PROPERTIES LABELS fuzz SKIP_RETURN_CODE 77 TIMEOUT 3600
                       RUN_SERIAL TRUE)
endif()
