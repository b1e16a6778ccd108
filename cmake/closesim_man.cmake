# cmake -DCLOSESIM=<exe> -DHELP2MAN=<help2man> -DOUTPUT=<closesim.1> -P closesim_man.cmake
#
# Writes the man page closesim(1) from the command line's own help: help2man turns
# `closesim --help` into NAME, SYNOPSIS, DESCRIPTION and OPTIONS, and this script adds a
# SUBCOMMANDS section with each subcommand's `closesim SUB --help`, as the subcommands that
# `closesim --help` lists. Run at build time, so the page always matches the options.
cmake_minimum_required(VERSION 3.20)

function(closesim_help out)
  execute_process(COMMAND ${CLOSESIM} ${ARGN} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "closesim ${ARGN} --help failed (${rc})")
  endif()
  # The usage line names the program as it was called: name it as a user calls it.
  string(REPLACE "${CLOSESIM}" "closesim" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

closesim_help(top)
string(REGEX MATCH "\nSubcommands:\n.*" listing "${top}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*" names "${listing}")

set(include "[SUBCOMMANDS]\n")
foreach(name ${names})
  string(STRIP "${name}" name)
  closesim_help(help ${name})
  # Roff: a backslash is an escape, and a line starting with '.' or ' is a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND include ".SS ${name}\n.nf\n${help}.fi\n")
endforeach()
get_filename_component(dir ${OUTPUT} DIRECTORY)
file(WRITE ${dir}/closesim.h2m "${include}")

execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --include=${dir}/closesim.h2m
                        "--name=simulate and check how a Winsock 2 provider closes sockets"
                        --output=${OUTPUT} ${CLOSESIM}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
