# SPDX-License-Identifier: MIT
# Configures and builds the consumer project SRC in BIN (cache arguments in ARGS, separated by '|'),
# installs it when INSTALL is set, then runs RUN with COSTMODEL_PRESET_PATH unset and checks
# that the output contains every string of EXPECT (separated by '|'; plain text, not regexes).
# With PKG_CONFIG set, builds SRC/main.cpp with the compiler CXX and `pkg-config costmodel`
# instead of CMake.
cmake_minimum_required(VERSION 3.23)
unset(ENV{COSTMODEL_PRESET_PATH})
# '|' separates list items on the command line; a ';' would not survive add_test.
string(REPLACE "|" ";" ARGS "${ARGS}")
string(REPLACE "|" ";" EXPECT "${EXPECT}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${BIN}")
file(MAKE_DIRECTORY "${BIN}")
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/lib/pkgconfig")
  run(${PKG_CONFIG} --cflags --libs costmodel)
  string(STRIP "${out}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  separate_arguments(extra UNIX_COMMAND "${CXXFLAGS}")
  run(${CXX} -std=c++20 ${extra} "${SRC}/main.cpp" -o "${BIN}/costmodel_consumer" ${flags})
else()
  run(${CMAKE_COMMAND} -S "${SRC}" -B "${BIN}" ${ARGS})
  run(${CMAKE_COMMAND} --build "${BIN}")
  if(INSTALL)
    run(${CMAKE_COMMAND} --install "${BIN}")
  endif()
endif()
run(${RUN})
message("${out}")
foreach(e IN LISTS EXPECT)
  string(FIND "${out}" "${e}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "the output does not contain '${e}'")
  endif()
endforeach()
