// SPDX-License-Identifier: MIT
// Errors as Python exceptions, and estimate results as read-only objects with unit-named
// attributes whose to_dict() has the keys of the calculator's JSON (src/cli/report.cpp).
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app.hpp"
#include "common.hpp"
#include "render.hpp"
#include "report.hpp"
#include "uncertainty_report.hpp"

namespace costmodel::python {

namespace {

// --- errors -------------------------------------------------------------------------------------

const char* kind_name(errc k) {
  switch (k) {
    case errc::invalid_input:
      return "invalid_input";
    case errc::preset_syntax:
      return "preset_syntax";
    case errc::preset_missing_key:
      return "preset_missing_key";
    case errc::preset_unknown_key:
      return "preset_unknown_key";
    case errc::preset_bad_value:
      return "preset_bad_value";
    case errc::preset_io:
      return "preset_io";
  }
  return "unknown";
}

// The exception types live as long as the process: never destroyed after the interpreter.
py::object* error_type = nullptr;
py::object* input_error_type = nullptr;
py::object* preset_error_type = nullptr;

}  // namespace

py::object python_error(const error& e) {
  const py::object* type = error_type;
  if (dynamic_cast<const preset_error*>(&e)) {
    type = preset_error_type;
  } else if (dynamic_cast<const input_error*>(&e)) {
    type = input_error_type;
  }
  py::object inst = (*type)(e.what());
  inst.attr("kind") = kind_name(e.kind());
  if (const auto* p = dynamic_cast<const preset_error*>(&e)) {
    inst.attr("file") = p->file();
    inst.attr("line") = p->line();
    inst.attr("column") = p->column();
    inst.attr("key") = p->key();
  }
  return inst;
}

namespace {

// --- results ------------------------------------------------------------------------------------

/// An estimate with the scenario it came from (for source_file, overrides, caveats, sources).
struct py_estimate {
  scenario s;
  estimate_result e;
  std::optional<uncertainty_result> u;  ///< the Monte Carlo, when the scenario has ranges
};

template <class T, class F>
py::object opt(const std::optional<T>& o, F f) {
  return o ? py::cast(f(*o)) : py::none();
}
py::object opt_num(const std::optional<double>& o) { return o ? py::cast(*o) : py::none(); }
double flop_of(compute c) { return value_in(c, units::flop); }
double usd_of(money m) { return value_in(m, units::usd); }
double per_hour(price_rate p) { return value_in(p, units::usd_per_gpu_hour); }
double gpu_hours_of(gpu_time t) { return value_in(t, units::gpu_hour); }
std::string prec_name(precision p) { return std::string(to_string(p)); }

/// Every cost method the result carries, by name: new methods appear without binding changes.
py::dict cost_dict(const phase_result& p) {
  py::dict d;
  for (const auto& [method, m] : p.cost) d[py::str(method)] = usd_of(m);
  return d;
}

py::dict reported_dict(const reported_figures& r) {
  py::dict d;
  d["gpu_hours"] = opt(r.gpu_hours, gpu_hours_of);
  d["cost_usd"] = opt(r.cost, usd_of);
  d["compute_flop"] = opt(r.compute_flop, flop_of);
  d["wall_clock_days"] = opt(r.wall_clock, days_of);
  d["mfu"] = opt_num(r.mfu);
  d["usd_per_gpu_hour"] = opt(r.price, per_hour);
  d["energy_mwh"] = opt_num(r.energy_mwh);
  d["co2_tonnes"] = opt_num(r.co2_tonnes);
  return d;
}

py::dict implied_dict(const implied_figures& im) {
  py::dict d;
  d["mfu"] = opt_num(im.mfu);
  d["mfu_precision"] = opt(im.mfu_precision, prec_name);
  py::dict by;
  for (const auto& [p, v] : im.mfu_by_precision) by[py::str(prec_name(p))] = v;
  d["mfu_by_precision"] = by;
  d["usd_per_gpu_hour"] = opt(im.price, per_hour);
  d["wall_clock_days"] = opt(im.wall_clock, days_of);
  return d;
}

/// The calculator's JSON, parsed: the same code writes both, so the keys cannot drift.
py::object json_object(const cli::json& j) {
  return py::module_::import("json").attr("loads")(j.str());
}

/// phase_json() of src/cli/report.cpp, as a dict.
py::object phase_dict(const phase_result& p) { return json_object(cli::phase_json(p)); }

/// estimate_json() of src/cli/report.cpp, with the Monte Carlo's percentiles when it ran, as a
/// dict.
py::object estimate_dict(const py_estimate& r) {
  return json_object(cli::estimate_json(r.s, r.e, r.u ? &*r.u : nullptr));
}

/// The calculator's estimate: the model, then its Monte Carlo by the calculator's own rule
/// (run_uncertainty: only when the scenario has ranges and `samples` is not 0).
py_estimate run_estimate(const py::handle& what, const py::handle& overrides, std::size_t samples,
                         std::uint64_t seed) {
  auto ps = scenario_of(what, overrides);
  const auto held = shared_catalogue();  // alive for the whole call, whatever reload() does
  const auto& cat = *held;
  auto e = estimate(ps.s, cat);
  cli::options o;
  o.samples = samples;
  o.seed = seed;
  auto u = cli::run_uncertainty(o, ps.s, cat);
  return {std::move(ps.s), std::move(e), std::move(u)};
}

/// Attributes shared by a phase and a whole estimate (which reads its total).
template <class Class, class Get>
void phase_properties(Class& c, Get get) {
  using T = typename Class::type;
  c.def_property_readonly(
       "accelerator", [get](const T& x) { return get(x).accelerator; },
       "Catalogue id, or 'mixed' in a total over different hardware.")
      .def_property_readonly(
          "count",
          [get](const T& x) {
            return opt(get(x).count, [](gpu_count n) { return value_in(n, units::gpu); });
          },
          "Accelerators, or None.")
      .def_property_readonly("precision",
                             [get](const T& x) { return opt(get(x).precision, prec_name); })
      .def_property_readonly(
          "peak_tflops", [get](const T& x) { return opt(get(x).peak, tflops_of); },
          "Dense peak per accelerator, TFLOPS.")
      .def_property_readonly(
          "compute_flop", [get](const T& x) { return opt(get(x).compute_flop, flop_of); },
          "Training compute, FLOP, or None when unknown.")
      .def_property_readonly("compute_basis", [get](const T& x) { return get(x).compute_basis; })
      .def_property_readonly(
          "gpu_hours", [get](const T& x) { return gpu_hours_of(get(x).gpu_hours); },
          "Accelerator time, GPU-hours.")
      .def_property_readonly("gpu_hours_basis",
                             [get](const T& x) { return get(x).gpu_hours_basis; })
      .def_property_readonly(
          "wall_clock_days", [get](const T& x) { return opt(get(x).wall_clock, days_of); },
          "Wall-clock time, days, or None.")
      .def_property_readonly("wall_clock_basis",
                             [get](const T& x) { return get(x).wall_clock_basis; })
      .def_property_readonly(
          "mfu", [get](const T& x) { return opt_num(get(x).mfu); },
          "The MFU used (a phase) or the effective MFU (a whole run), a ratio, or None.")
      .def_property_readonly("mfu_basis", [get](const T& x) { return get(x).mfu_basis; })
      .def_property_readonly(
          "goodput", [get](const T& x) { return get(x).goodput.ratio(); },
          "Share of reserved time that trains, a ratio.")
      .def_property_readonly(
          "usd_per_gpu_hour", [get](const T& x) { return opt(get(x).price, per_hour); },
          "Price, USD per GPU-hour (the average over phases for a whole run), or None.")
      .def_property_readonly("price_basis", [get](const T& x) { return get(x).price_basis; })
      .def_property_readonly(
          "cost_usd", [get](const T& x) { return cost_dict(get(x)); },
          "Cost by method ('rental', ...), USD; a method is absent when its inputs are.")
      .def_property_readonly(
          "reported", [get](const T& x) { return reported_dict(get(x).reported); },
          "The published figures (gpu_hours, cost_usd, ...), None where not published.")
      .def_property_readonly(
          "implied", [get](const T& x) { return implied_dict(get(x).implied); },
          "What the published figures imply (mfu, mfu_by_precision, usd_per_gpu_hour, ...).");
}

}  // namespace

void bind_errors(py::module_& m) {
  // InputError and PresetError share a base, and both are ValueErrors.
  error_type = new py::object(py::exception<error>(m, "Error", PyExc_ValueError));
  input_error_type = new py::object(py::exception<input_error>(m, "InputError", error_type->ptr()));
  preset_error_type =
      new py::object(py::exception<preset_error>(m, "PresetError", error_type->ptr()));
  for (const char* name : {"Error", "InputError", "PresetError"}) {
    m.attr(name).attr("__module__") = "costmodel";  // tracebacks read costmodel.PresetError
  }
  m.attr("Error").attr("__doc__") = "Base of costmodel errors; a ValueError.";
  m.attr("InputError").attr("__doc__") =
      "A bad argument value (unknown id, MFU above 1...). `.kind` names the error.";
  m.attr("PresetError").attr("__doc__") =
      "A scenario file or override that cannot be used: `.file`, `.line`, `.column`, `.key`.";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const error& e) {
      // Sets the Python error; pybind11 then returns to Python.
      const py::object inst = python_error(e);
      PyErr_SetObject(py::type::handle_of(inst).ptr(), inst.ptr());
    }
  });
}

void bind_estimate(py::module_& m) {
  auto phase = py::class_<phase_result>(m, "Phase", "The model's answer for one phase.");
  phase.def_property_readonly("name", [](const phase_result& p) { return p.name; });
  phase_properties(phase, [](const phase_result& p) -> const phase_result& { return p; });
  phase.def("to_dict", &phase_dict, "The calculator's JSON object for this phase, as a dict.");
  phase.def("__repr__", [](const phase_result& p) {
    return "<Phase '" + p.name + "': " + cli::human(gpu_hours_of(p.gpu_hours)) + " GPU-hours>";
  });

  auto est = py::class_<py_estimate>(
      m, "Estimate",
      "An estimate of a whole scenario: the run's totals as attributes, phases, assumptions.");
  est.def_property_readonly("id", [](const py_estimate& r) { return r.e.id; })
      .def_property_readonly("name", [](const py_estimate& r) { return r.e.name; })
      .def_property_readonly("source_file", [](const py_estimate& r) { return r.s.source_file; })
      .def_property_readonly("overrides", [](const py_estimate& r) { return r.s.overrides; })
      .def_property_readonly("caveats", [](const py_estimate& r) { return r.s.caveats; })
      .def_property_readonly("sources", [](const py_estimate& r) { return r.s.sources; })
      .def_property_readonly(
          "assumptions", [](const py_estimate& r) { return r.e.assumptions; },
          "Every default the model had to use.")
      .def_property_readonly(
          "phases", [](const py_estimate& r) { return r.e.phases; }, "Phase results, in order.")
      .def_property_readonly(
          "total", [](const py_estimate& r) { return r.e.total; }, "The whole run as a Phase.");
  phase_properties(est, [](const py_estimate& r) -> const phase_result& { return r.e.total; });
  est.def("to_dict", &estimate_dict,
          "The calculator's `estimate --format json` object, as a dict (same keys).");
  est.def("__repr__", [](const py_estimate& r) {
    std::string s = "<Estimate '" + r.e.id + "': " + cli::human(gpu_hours_of(r.e.total.gpu_hours)) +
                    " GPU-hours";
    if (auto it = r.e.total.cost.find("rental"); it != r.e.total.cost.end()) {
      s += ", rental " + cli::usd(usd_of(it->second));
    }
    return s + ">";
  });

  m.def("estimate", &run_estimate, py::arg("scenario"), py::arg("overrides") = py::none(),
        py::arg("samples") = std::size_t{100000}, py::arg("seed") = std::uint64_t{1},
        "Runs the model on a preset id, a path or a Scenario, with optional overrides "
        "({dotted key: value}); a scenario with ranges also gets the calculator's Monte Carlo "
        "(`samples` draws, 0 for none, from `seed`), whose P5/P50/P95 are in to_dict() as in "
        "`costmodel estimate --format json`.\n"
        "Example: costmodel.estimate('gpt-4', seed=7).to_dict()['gpu_hours_p50']\n"
        "Throws: InputError or PresetError, with the calculator's message.");
  m.def(
      "compare",
      [](const py::sequence& items, const py::object& overrides, std::size_t samples,
         std::uint64_t seed) {
        std::vector<py_estimate> out;
        for (const auto& it : items) out.push_back(run_estimate(it, overrides, samples, seed));
        return out;
      },
      py::arg("scenarios"), py::arg("overrides") = py::none(),
      py::arg("samples") = std::size_t{100000}, py::arg("seed") = std::uint64_t{1},
      "Estimates several scenarios, each with the same overrides, like `costmodel compare`.");
}

}  // namespace costmodel::python
