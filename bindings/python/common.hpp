// SPDX-License-Identifier: MIT
// Shared pieces of the Python bindings: the catalogue cache, scenarios that remember where they
// came from (so overrides can be applied again), and Python values as `--set` text.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <string>
#include <vector>

#include "costmodel/costmodel.hpp"
#include "costmodel/presets.hpp"

namespace costmodel::python {

namespace py = pybind11;

/// The accelerator catalogue, read once per process (or again after reload()). Hold the
/// pointer for the whole call: reload() replaces it.
std::shared_ptr<const catalogue> shared_catalogue();
void reload_catalogue();

/// A scenario and what it was loaded from: a bundled id or path, or TOML text.
struct py_scenario {
  std::string id_or_path;   ///< empty when loaded from text
  std::string text;         ///< TOML, when built from a dict or a string
  std::string source_name;  ///< for errors, when built from text
  std::vector<override_entry> overrides;
  std::vector<std::string> allow_paths;  ///< folders `extends` may read too (allow_paths=)
  scenario s;
};

/// Loads (again) with `overrides`, through load_scenario or parse_scenario.
py_scenario reload(const py_scenario& from, std::vector<override_entry> overrides);
/// A bundled id or path, or a Scenario object, with extra `overrides` (a dict or None).
/// `allow_paths`: None or a list of folders that `extends` may read beyond the scenario's own
/// folder and the preset search path (the calculator's --allow-path).
py_scenario scenario_of(const py::handle& what, const py::handle& overrides,
                        const py::handle& allow_paths = py::handle());
/// A list of folders (str or os.PathLike) as text; None gives none.
std::vector<std::string> paths_of(const py::handle& list);
/// A dict {key: value} as override entries; values as the calculator's `--set` text.
std::vector<override_entry> overrides_of(const py::handle& dict);
/// One Python value as `--set` text: str as is, bool as true/false, int as digits, float as its
/// shortest round-trip repr ("0.45", "1e+25").
std::string override_text(const py::handle& value, const std::string& key);

/// The TOML scenario text that a dict describes (sections as dicts or dotted keys).
std::string toml_of(const py::dict& d);

/// The Python exception (InputError, PresetError or Error) for `e`, with its attributes.
py::object python_error(const error& e);

void bind_errors(py::module_& m);
void bind_scenario(py::module_& m);
void bind_estimate(py::module_& m);
void bind_evaluate(py::module_& m);
void bind_cli(py::module_& m);

}  // namespace costmodel::python
