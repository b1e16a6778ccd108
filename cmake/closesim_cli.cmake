# The command line, and what is made from its own description at build time: the man page
# closesim(1) (help2man reads `closesim --help` and each subcommand's help, closesim_man.cmake)
# and the bash completion script (`closesim completion bash`), so neither can fall out of step
# with the options.
# The command line is a library (all of sim/cli but main.cc) so tests/cli can drive it
# in-process; it is not installed.
file(GLOB closesim_cli_srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sim/cli/*.cc)
list(FILTER closesim_cli_srcs EXCLUDE REGEX "/main\\.cc$")
add_library(closesim_cli STATIC ${closesim_cli_srcs})
target_include_directories(closesim_cli PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/sim)
target_link_libraries(closesim_cli PUBLIC closesim_explore closesim_report closesim_run CLI11::CLI11)
closesim_target_defaults(closesim_cli)
closesim_fast_build(closesim_cli <CLI/CLI.hpp>)
closesim_unity_batches(closesim_cli)
add_executable(closesim ${PROJECT_SOURCE_DIR}/sim/cli/main.cc)
target_link_libraries(closesim PRIVATE closesim_cli)
closesim_target_defaults(closesim)
if(CLOSESIM_FAST_BUILD)
  target_precompile_headers(closesim REUSE_FROM closesim_cli)  # main.cc includes every command
endif()

set(closesim_completion ${CMAKE_CURRENT_BINARY_DIR}/share/closesim.bash)
add_custom_command(OUTPUT ${closesim_completion}
                   COMMAND closesim completion bash --output ${closesim_completion}
                   DEPENDS closesim VERBATIM
                   COMMENT "Writing the bash completion of closesim")
add_custom_target(closesim_completion ALL DEPENDS ${closesim_completion})

# Without help2man (Debian package help2man, which the Makefile installs) there is no man page;
# the build goes on and the man page test skips.
find_program(CLOSESIM_HELP2MAN help2man)
set(closesim_man_page ${CMAKE_CURRENT_BINARY_DIR}/share/closesim.1)
if(CLOSESIM_HELP2MAN)
  add_custom_command(OUTPUT ${closesim_man_page}
                     COMMAND ${CMAKE_COMMAND} -DCLOSESIM=$<TARGET_FILE:closesim>
                             -DHELP2MAN=${CLOSESIM_HELP2MAN} -DOUTPUT=${closesim_man_page}
                             -P ${PROJECT_SOURCE_DIR}/cmake/closesim_man.cmake
                     DEPENDS closesim ${PROJECT_SOURCE_DIR}/cmake/closesim_man.cmake VERBATIM
                     COMMENT "Writing the man page closesim(1)")
  add_custom_target(closesim_man ALL DEPENDS ${closesim_man_page})
else()
  message(STATUS "help2man not found: no man page (install Debian's help2man to get closesim(1))")
endif()
