// SPDX-License-Identifier: MIT
// The private extension `_costmodel` of the `costmodel` Python package. Each area binds itself
// in its own file (bind_*); audit, sweep and plan add one file and one line here.
#include "common.hpp"
#include "costmodel/version.hpp"

PYBIND11_MODULE(_costmodel, m) {
  using namespace costmodel::python;
  m.doc() = "costmodel: what it costs to train an AI model (C++ core; use the `costmodel` package)";
  m.attr("__version__") = COSTMODEL_VERSION;
  bind_errors(m);
  bind_scenario(m);
  bind_estimate(m);
  bind_evaluate(m);
  bind_cli(m);
}
