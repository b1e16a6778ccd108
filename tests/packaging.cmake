# The package as its users meet it (label packaging): the install tree serves a consumer through
# find_package(closesim), closesim builds as a subdirectory of another project, the man page
# renders, and the bash completion knows every subcommand and option. They reuse this build's
# compiler and generator; each works in its own folder under <build>/packaging.
set(closesim_packaging ${PROJECT_BINARY_DIR}/packaging)

if(TARGET closesim)
  set(closesim_consumer_flags "")
  if(CLOSESIM_SANITIZE)
    # The installed libraries are sanitized: so must the consumer that links them be.
    set(closesim_consumer_flags "-fsanitize=address,undefined")
  endif()
  if(TARGET closesim_man)
    set(closesim_has_man 1)
  else()
    set(closesim_has_man 0)
  endif()
  add_test(NAME packaging:install-and-consume
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/packaging/install_consume.sh ${CMAKE_COMMAND}
                   ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${closesim_packaging}/install
                   ${CMAKE_CXX_COMPILER} "${CMAKE_GENERATOR}" "${closesim_consumer_flags}"
                   ${closesim_has_man})
  set_tests_properties(packaging:install-and-consume PROPERTIES LABELS packaging TIMEOUT 300)

  add_test(NAME packaging:man-page-renders
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/packaging/man_page.sh $<TARGET_FILE:closesim>
                   ${closesim_man_page})
  set_tests_properties(packaging:man-page-renders PROPERTIES LABELS packaging SKIP_RETURN_CODE 77)

  find_program(CLOSESIM_BASH bash)
  if(CLOSESIM_BASH)
    add_test(NAME packaging:completion-names-everything
             COMMAND ${CLOSESIM_BASH} ${PROJECT_SOURCE_DIR}/tests/packaging/completion.sh
                     $<TARGET_FILE:closesim> ${closesim_completion})
    set_tests_properties(packaging:completion-names-everything PROPERTIES LABELS packaging)
  endif()
endif()

add_test(NAME packaging:as-subdirectory
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/packaging/subdirectory.sh ${CMAKE_COMMAND}
                 ${PROJECT_SOURCE_DIR} ${closesim_packaging}/subdirectory ${CMAKE_CXX_COMPILER}
                 "${CMAKE_GENERATOR}")
set_tests_properties(packaging:as-subdirectory PROPERTIES LABELS packaging TIMEOUT 300)
