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
