# Runs closesim with ARGS ('|'-separated: a ';' would split the ctest command) and checks its
# exit status is EXPECT; prints its output either way.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${CLOSESIM} ${args} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXPECT)
  message(FATAL_ERROR "closesim ${args}: exit status ${status}, expected ${EXPECT}")
endif()
