# SPDX-License-Identifier: MIT
# Makes the bad inputs that are not committed, in DIR: a file over 1 MiB and a FIFO.
file(MAKE_DIRECTORY "${DIR}")
string(REPEAT "x" 1022 line)
string(REPEAT "# ${line}\n" 1100 body)
file(WRITE "${DIR}/huge.toml" "schema = 1\nname = \"huge\"\n${body}")
file(REMOVE "${DIR}/fifo.toml")
execute_process(COMMAND mkfifo "${DIR}/fifo.toml" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mkfifo ${DIR}/fifo.toml failed: ${rc}")
endif()
