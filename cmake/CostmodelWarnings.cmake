# SPDX-License-Identifier: MIT
# Developer warnings: linked PRIVATE by our own tests, examples, CLI and bindings, never exported.
add_library(costmodel_warnings INTERFACE)
target_compile_options(costmodel_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond -Wlogical-op>)
