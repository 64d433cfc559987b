# SPDX-License-Identifier: MIT
# Runs EXE with ARGS (a ;-list) with stdout (STREAM=out) or stderr (STREAM=err) on /dev/full,
# where every write fails; fails unless it exits with CODE (a lost write must not exit 0, and a
# failing error path must not abort with 134), and, for STREAM=out, stderr matches ERR and for
# STREAM=err, stdout is empty.
if(STREAM STREQUAL "out")
  execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_FILE /dev/full
                  ERROR_VARIABLE err)
  if(NOT err MATCHES "${ERR}")
    message(FATAL_ERROR "stderr does not match '${ERR}':\n${err}")
  endif()
else()
  execute_process(COMMAND ${EXE} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_FILE /dev/full)
  if(NOT out STREQUAL "")
    message(FATAL_ERROR "expected no output on stdout, got:\n${out}")
  endif()
endif()
if(NOT rc EQUAL CODE)
  message(FATAL_ERROR "exit code ${rc}, expected ${CODE}")
endif()
