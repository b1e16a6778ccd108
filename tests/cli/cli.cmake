# The command line's exit statuses and messages, as a table run against the built program.
if(TARGET closesim)
  add_test(NAME cli:table
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/cli/cli_table.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:table PROPERTIES LABELS cli TIMEOUT 600)
endif()
if(TARGET closesim)
  add_test(NAME cli:explore-progress
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/cli/explore_progress.sh $<TARGET_FILE:closesim>
                   ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:explore-progress PROPERTIES LABELS cli SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
# docs/fidelity.md's case table is what `closesim fidelity` writes from docs/cases.tsv, the
# scenarios and the Wine record: stale, it fails with the differing lines. A scenario citing a
# case the index lacks is an input error (exit 2).
if(TARGET closesim)
  add_test(NAME cli:fidelity-page COMMAND closesim fidelity --check WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:fidelity-page PROPERTIES LABELS "cli;docs" TIMEOUT 600)
  add_test(NAME cli:fidelity-unknown-case
           COMMAND ${CMAKE_COMMAND} -DCLOSESIM=$<TARGET_FILE:closesim> -DEXPECT=2
                   -DARGS=fidelity|tests/fixtures/cites_unknown_case.scn|--check
                   -P ${PROJECT_SOURCE_DIR}/tests/real/exit_status.cmake
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(cli:fidelity-unknown-case PROPERTIES LABELS cli)
endif()
