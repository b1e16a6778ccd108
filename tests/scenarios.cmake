# Every bundled scenario is a ctest case of its own, run exactly as a user runs it; then the
# suite-level gates: rule coverage, the mutant gate, and the exit-status contract of the CLI.
# All of them run the command line and nothing else: label cli (what `make test-clang` runs).
if(TARGET closesim)
  file(GLOB_RECURSE scenario_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/scenarios/*.scn)
  foreach(f ${scenario_files})
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${f})
    add_test(NAME "scenario:${rel}" COMMAND closesim run ${rel}
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties("scenario:${rel}" PROPERTIES LABELS "scenario;cli")
  endforeach()

  add_test(NAME suite:coverage COMMAND closesim check scenarios --require-coverage
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  add_test(NAME suite:mutants COMMAND closesim mutants scenarios
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(suite:coverage suite:mutants PROPERTIES LABELS "suite;cli")

  # The exit-status contract: 1 for a failed verdict, 2 for input that cannot be used.
  function(closesim_expect_status name status)
    add_test(NAME ${name}
             COMMAND sh -c "exe=\"$1\"; shift; \"$exe\" \"$@\" >/dev/null 2>&1; test $? -eq ${status}"
                     sh $<TARGET_FILE:closesim> ${ARGN})
    set_tests_properties(${name} PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} LABELS cli)
  endfunction()
  closesim_expect_status(cli:wrong-expectation-exits-1 1 run tests/fixtures/wrong_expectation.scn)
  closesim_expect_status(cli:malformed-exits-2 2 run tests/fixtures/malformed.scn)
  closesim_expect_status(cli:missing-file-exits-2 2 check tests/fixtures/no-such-folder)
  closesim_expect_status(cli:unknown-option-exits-2 2 run --no-such-option scenarios)
  closesim_expect_status(cli:mutant-caught-exits-1 1
    run --mutant hand-back-twice --expectations=off scenarios/basics/graceful_close.scn)
  closesim_expect_status(cli:explore-clean-exits-0 0 explore scenarios/races/close_vs_blocking_recv.scn)
  # What ran is what is reported: a command-line provider wins over the file's directive.
  add_test(NAME cli:provider-override-reported
           COMMAND closesim run --provider lsp:ifs scenarios/basics/graceful_close.scn
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:provider-override-reported PROPERTIES
                       PASS_REGULAR_EXPRESSION "provider: lsp:ifs")
  closesim_expect_status(cli:explore-finds-race-exits-1 1
    explore --mutant leave-blocked-call scenarios/races/close_vs_blocking_recv.scn)
  closesim_expect_status(cli:explore-malformed-exits-2 2 explore tests/fixtures/malformed.scn)
  closesim_expect_status(cli:merge-missing-file-exits-2 2 merge tests/fixtures/no-such-summary.json)
endif()

if(TARGET closesim)
  # `check --format junit` on standard output is the same document as `check --junit FILE`.
  add_test(NAME cli:check-format-junit-matches-file
           COMMAND sh -c "exe=\"$1\"; out=\"$2\"; \"$exe\" check scenarios/basics --format junit > \"$out.a\"; \"$exe\" check scenarios/basics --junit \"$out.b\" > /dev/null; cmp \"$out.a\" \"$out.b\""
                   sh $<TARGET_FILE:closesim> ${PROJECT_BINARY_DIR}/junit-compare
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:check-format-junit-matches-file PROPERTIES LABELS cli)
endif()
