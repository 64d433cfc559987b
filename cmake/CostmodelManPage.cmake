# SPDX-License-Identifier: MIT
# Writes the man page OUT from the calculator's own help (EXE --help and each subcommand's), so
# the page and `costmodel --help` cannot disagree. Run at build time: cmake -DEXE=... -DOUT=...
# -DVERSION=... -P man.cmake
function(help var)
  execute_process(COMMAND "${EXE}" ${ARGN} --help RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${EXE} ${ARGN} --help exited ${rc}")
  endif()
  # roff: escape backslashes, keep lines starting with '.' or "'" literal, preformatted blocks.
  string(REPLACE "\\" "\\e" out "${out}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" out "${out}")
  string(REGEX REPLACE "Usage: [^ \n]*costmodel" "Usage: costmodel" out "${out}")
  set(${var} ".nf\n${out}.fi\n" PARENT_SCOPE)
endfunction()

help(top)
set(page ".TH COSTMODEL 1 \"\" \"costmodel ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\ncostmodel \\- what it costs to train an AI model, and why\n")
string(APPEND page ".SH SYNOPSIS\n.B costmodel\n[\\fIOPTIONS\\fR] \\fISUBCOMMAND\\fR ...\n")
string(APPEND page ".SH DESCRIPTION\n${top}")
foreach(sub estimate compare list show)
  help(text ${sub})
  string(TOUPPER "${sub}" title)
  string(APPEND page ".SH ${title}\n${text}")
endforeach()
string(APPEND page ".SH ENVIRONMENT\n.TP\n.B COSTMODEL_PRESET_PATH\nFolders (separated by ':') searched for presets before the installed ones.\n")
string(APPEND page ".SH EXIT STATUS\n0 success; 2 a broken preset or scenario file; 3 bad input; 100 and up usage errors.\n")
string(APPEND page ".SH SEE ALSO\nThe documentation in docs/ of the source tree: methodology, scenario files, calculator reference.\n")
file(WRITE "${OUT}" "${page}")
