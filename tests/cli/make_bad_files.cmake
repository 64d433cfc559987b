# SPDX-License-Identifier: MIT
# Makes the bad inputs that are not committed, in DIR: a file over 1 MiB, a FIFO, files nested
# 40,000 levels deep, an extends chain of 40 files, extends targets that are a directory or a
# loop of symbolic links, a file with a byte order mark, 5,000 phases with ranges, a preset
# folder that shadows bundled ids (PRESETS: the bundled presets), and a working directory with
# a file named like a bundled id.
file(MAKE_DIRECTORY "${DIR}")
string(REPEAT "x" 1022 line)
string(REPEAT "# ${line}\n" 1100 body)
file(WRITE "${DIR}/huge.toml" "schema = 1\nname = \"huge\"\n${body}")
file(REMOVE "${DIR}/fifo.toml")
execute_process(COMMAND mkfifo "${DIR}/fifo.toml" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mkfifo ${DIR}/fifo.toml failed: ${rc}")
endif()

# Nesting that overflowed toml++'s recursion (issue 17): 40,000 levels in about 100 KB.
string(REPEAT "a." 40000 dots)
file(WRITE "${DIR}/deep_key.toml" "schema = 1\n${dots}b = 1\n")
file(WRITE "${DIR}/deep_header.toml" "schema = 1\n[${dots}b]\n")
string(REPEAT "[" 40000 open)
file(WRITE "${DIR}/deep_array.toml" "schema = 1\nx = ${open}\n")
string(REPEAT "{a=" 30000 inline)
file(WRITE "${DIR}/deep_inline.toml" "schema = 1\nx = ${inline}\n")
file(WRITE "${DIR}/deep_claims.toml" "schema = 1\nname = \"deep\"\n${dots}b = 1\n")

# An extends chain of 40 files (an 11,000-file chain overflowed the stack).
foreach(i RANGE 0 39)
  math(EXPR next "${i} + 1")
  file(WRITE "${DIR}/chain_${i}.toml" "schema = 1\nextends = \"chain_${next}.toml\"\n")
endforeach()
file(WRITE "${DIR}/chain_40.toml" "schema = 1\nextends = \"deepseek-v3\"\n")

# extends naming a directory, a FIFO and a loop of symbolic links.
file(MAKE_DIRECTORY "${DIR}/a_dir.toml")
file(WRITE "${DIR}/extends_dir.toml" "schema = 1\nextends = \"a_dir.toml\"\n")
file(WRITE "${DIR}/extends_fifo.toml" "schema = 1\nextends = \"fifo.toml\"\n")
file(REMOVE "${DIR}/loop_a.toml" "${DIR}/loop_b.toml")
file(CREATE_LINK "loop_b.toml" "${DIR}/loop_a.toml" SYMBOLIC)
file(CREATE_LINK "loop_a.toml" "${DIR}/loop_b.toml" SYMBOLIC)
file(WRITE "${DIR}/extends_loop.toml" "schema = 1\nextends = \"loop_a.toml\"\n")

# A UTF-8 byte order mark, as some editors write it.
string(ASCII 239 187 191 bom)
file(READ "${DATA}/small_dense.toml" small)
file(WRITE "${DIR}/bom.toml" "${bom}${small}")

# 5,000 phases with a range each: the Monte Carlo would need 30 GB at 100,000 samples.
set(phases "schema = 1\nname = \"many phases\"\n[hardware]\naccelerator = \"h100-sxm\"\ncount = 256\nprecision = \"bf16\"\n[pricing]\nusd_per_gpu_hour = 2.0\n")
foreach(i RANGE 1 5000)
  string(APPEND phases "[[phases]]\nname = \"p${i}\"\nmodel.parameters = 7e9\ntraining.tokens = { value = 1e9, low = 5e8, high = 2e9 }\nefficiency.mfu = 0.4\n")
endforeach()
file(WRITE "${DIR}/many_phases.toml" "${phases}")

# A preset folder that replaces the bundled gpt-4 and h800-sxm (COSTMODEL_PRESET_PATH).
file(MAKE_DIRECTORY "${DIR}/shadow/runs" "${DIR}/shadow/accelerators")
file(COPY "${PRESETS}/runs/gpt-4.toml" "${PRESETS}/runs/deepseek-v3.toml"
     DESTINATION "${DIR}/shadow/runs")
file(COPY "${PRESETS}/accelerators/h800-sxm.toml" DESTINATION "${DIR}/shadow/accelerators")

# A working directory with files named like a bundled id and like no id.
file(MAKE_DIRECTORY "${DIR}/cwd")
file(WRITE "${DIR}/cwd/gpt-4" "schema = 1\nname = \"not the bundled gpt-4\"\n")
file(WRITE "${DIR}/cwd/my-run" "schema = 1\nname = \"a file without .toml\"\n")
