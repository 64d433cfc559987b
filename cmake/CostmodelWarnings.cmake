# SPDX-License-Identifier: MIT
# Developer warnings: linked PRIVATE by our own tests, examples, CLI and bindings, never exported.
add_library(costmodel_warnings INTERFACE)
target_compile_options(costmodel_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond -Wlogical-op>
  # GCC 12's -Wnull-dereference reports paths inside libstdc++'s std::string at -O2 that cannot
  # happen (seen on app.cpp); clang's version of the warning does not, so only clang gets it.
  $<$<CXX_COMPILER_ID:Clang>:-Wnull-dereference>)
