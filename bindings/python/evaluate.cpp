// SPDX-License-Identifier: MIT
// Vectorised evaluation: numpy arrays of inputs in, arrays of outputs out, one C++ loop
// (costmodel/batch.hpp) with the GIL released.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common.hpp"
#include "costmodel/batch.hpp"
#include "costmodel/detail/budget.hpp"

namespace costmodel::python {

namespace {

using darray = py::array_t<double, py::array::c_style | py::array::forcecast>;

struct column {
  std::string key;
  darray data;
  bool scalar = false;
};

std::string shape_text(const std::vector<py::ssize_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    s += detail::integer_text(shape[i]);
    if (i + 1 < shape.size() || shape.size() == 1) s += ",";
    if (i + 1 < shape.size()) s += " ";
  }
  return s + ")";
}

/// The overrides that put point `i` into the scenario, after `base`'s own.
std::vector<override_entry> point_overrides(const py_scenario& base,
                                            const std::vector<column>& cols, std::size_t i) {
  auto o = base.overrides;
  for (const auto& c : cols) {
    const double v = c.data.data()[c.scalar ? 0 : i];
    o.push_back({c.key, override_text(py::float_(v), c.key)});
  }
  return o;
}

/// Runs `f`; a costmodel error is raised in Python with a note naming the point.
template <class F>
auto at_point(const std::vector<column>& cols, std::size_t i, F f) {
  try {
    return f();
  } catch (const error& e) {
    std::string note = "evaluate: at index " + detail::integer_text(i);
    for (const auto& c : cols) {
      note +=
          ", " + c.key + " = " + std::string(py::repr(py::float_(c.data.data()[c.scalar ? 0 : i])));
    }
    py::object inst = python_error(e);
    if (py::hasattr(inst, "add_note")) inst.attr("add_note")(note);  // Python 3.11+
    PyErr_SetObject(py::type::handle_of(inst).ptr(), inst.ptr());
    throw py::error_already_set();
  }
}

py::dict evaluate(const py::object& what, const py::dict& inputs, const py::object& overrides) {
  const auto base = scenario_of(what, overrides);
  const auto held = shared_catalogue();  // alive for the whole call, whatever reload() does
  const auto& cat = *held;

  std::vector<column> cols;
  std::vector<batch_key> keys;
  std::vector<py::ssize_t> shape;
  bool have_shape = false;
  std::string shape_key;
  for (const auto& [k, v] : inputs) {
    if (!py::isinstance<py::str>(k)) throw py::type_error("evaluate: keys must be str");
    column c;
    c.key = py::cast<std::string>(k);
    keys.push_back(parse_batch_key(c.key, base.s));
    if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v)) {
      throw py::type_error("evaluate: '" + c.key + "': expected numbers, got a string");
    }
    c.data = darray::ensure(v);
    if (!c.data) {
      PyErr_Clear();
      throw py::type_error("evaluate: '" + c.key + "': expected a number or an array of numbers");
    }
    c.scalar = c.data.ndim() == 0;
    if (!c.scalar) {
      std::vector<py::ssize_t> sh(c.data.shape(), c.data.shape() + c.data.ndim());
      if (!have_shape) {
        shape = sh;
        have_shape = true;
        shape_key = c.key;
      } else if (sh != shape) {
        throw input_error("evaluate: '" + c.key + "' has shape " + shape_text(sh) + " but '" +
                          shape_key + "' has shape " + shape_text(shape) +
                          "; give arrays of one shape, or scalars");
      }
    }
    cols.push_back(std::move(c));
  }
  std::size_t n = 1;
  for (auto d : shape) n *= static_cast<std::size_t>(d);
  detail::check_memory_budget(double(n), 5.0 * sizeof(double),  // five float64 outputs
                              "evaluate() of " + detail::integer_text(n) + " points",
                              "the number of points");

  // The template: the scenario with point 0's values, so every phase takes the branches that
  // estimate() takes for every point (they depend on which keys are set, not on the values).
  std::vector<override_entry> first = base.overrides;
  if (n > 0) first = point_overrides(base, cols, 0);
  const auto tmpl = at_point(cols, 0, [&] { return reload(base, first); });
  const auto model = at_point(cols, 0, [&] { return batch_model(tmpl.s, cat, keys); });
  const auto& has = model.presence();

  // One array per output: gpu_hours, compute_flop, wall_clock_days, mfu, then every cost method
  // the run has (cost_usd_<method>), energy and emissions where known.
  struct output_column {
    std::string name;
    darray data;
    double* out = nullptr;
  };
  std::vector<output_column> outs;
  auto add = [&](std::string name) {
    outs.push_back({std::move(name), darray(shape), nullptr});
    outs.back().out = outs.back().data.mutable_data();
  };
  add("gpu_hours");
  add("compute_flop");
  add("wall_clock_days");
  add("mfu");
  std::vector<cost_method> methods;
  for (auto m : all_cost_methods) {
    if (!has.has[static_cast<std::size_t>(m)]) continue;
    methods.push_back(m);
    add("cost_usd_" + std::string(to_string(m)));
  }
  if (has.energy) add("energy_kwh");
  if (has.emits) add("emissions_tco2e");
  if (has.emits_market) add("emissions_market_tco2e");
  const auto store = [&](std::size_t i, const batch_point& r) {
    std::size_t k = 0;
    outs[k++].out[i] = r.gpu_hours;
    outs[k++].out[i] = r.compute_flop;
    outs[k++].out[i] = r.wall_clock_days;
    outs[k++].out[i] = r.mfu;
    for (auto m : methods) outs[k++].out[i] = r.cost_usd[static_cast<std::size_t>(m)];
    if (has.energy) outs[k++].out[i] = r.energy_kwh;
    if (has.emits) outs[k++].out[i] = r.emissions_tco2e;
    if (has.emits_market) outs[k++].out[i] = r.emissions_market_tco2e;
  };

  std::vector<const double*> ptr;
  std::vector<std::size_t> step;
  for (const auto& c : cols) {
    ptr.push_back(c.data.data());
    step.push_back(c.scalar ? 0 : 1);
  }
  std::vector<std::size_t> rejected;
  {
    py::gil_scoped_release nogil;
    // Blocks of points through the kernel's lanes (batch_model::evaluate_block); a short last
    // block repeats its first point in the lanes past its end.
    constexpr std::size_t width = batch_model::block_size;
    std::vector<lanes> in(cols.size());
    auto block = std::make_unique<batch_model::block_result>();
    for (std::size_t b = 0; b < n; b += width) {
      const std::size_t m = std::min(width, n - b);
      for (std::size_t k = 0; k < in.size(); ++k) {
        for (std::size_t j = 0; j < width; ++j)
          in[k].v[j] = ptr[k][(b + (j < m ? j : 0)) * step[k]];
      }
      model.evaluate_block(in.data(), m, *block);
      for (std::size_t j = 0; j < m; ++j) {
        if (!block->ok[j]) {
          rejected.push_back(b + j);
          continue;
        }
        store(b + j, model.point_of(block->total, j));
      }
    }
  }
  // Points the fast path declined: the scalar path raises the calculator's error, or (when the
  // fast path's range check was stricter than the loader's) gives the answer.
  for (auto i : rejected) {
    const auto e = at_point(
        cols, i, [&] { return estimate(reload(base, point_overrides(base, cols, i)).s, cat); });
    const auto& t = e.total;
    const double nan = detail::nan_of();
    batch_point r;
    r.gpu_hours = value_in(t.gpu_hours, units::gpu_hour);
    r.compute_flop = t.compute_flop ? value_in(*t.compute_flop, units::flop) : nan;
    r.wall_clock_days = t.wall_clock ? days_of(*t.wall_clock) : nan;
    r.mfu = t.mfu.value_or(nan);
    for (auto m : all_cost_methods) {
      const auto it = t.cost.find(std::string(to_string(m)));
      r.cost_usd[static_cast<std::size_t>(m)] =
          it != t.cost.end() ? value_in(it->second, units::usd) : nan;
    }
    r.energy_kwh = t.energy_kwh.value_or(nan);
    r.emissions_tco2e = t.emissions_tco2e.value_or(nan);
    r.emissions_market_tco2e = t.emissions_market_tco2e.value_or(nan);
    store(i, r);
  }

  py::dict out;
  for (auto& c : outs) out[py::str(c.name)] = c.data;
  return out;
}

}  // namespace

void bind_evaluate(py::module_& m) {
  std::vector<std::string> supported;
  for (const auto& f : detail::batch_fields()) supported.push_back(f.section + "." + f.name);
  m.attr("evaluate_keys") = supported;
  m.def("evaluate", &evaluate, py::arg("scenario"), py::arg("inputs"),
        py::arg("overrides") = py::none(),
        "Evaluates a scenario at many values of a few numeric inputs at once.\n\n"
        "`inputs` maps keys (efficiency.mfu, efficiency.goodput, pricing.usd_per_gpu_hour, "
        "hardware.count, training.tokens, model.parameters, model.active_parameters, "
        "training.compute_flop; or phases.<name>.<key>) to numbers or arrays; arrays share one "
        "shape and scalars broadcast. Returns a dict of float64 arrays of that shape: "
        "gpu_hours (GPU-h), compute_flop (FLOP), wall_clock_days, mfu (effective), "
        "cost_usd_<method> (USD) for every cost method the scenario has (rental with a price; "
        "energy, ownership, purchase, program, rental_on_demand, ...), energy_kwh, "
        "emissions_tco2e and emissions_market_tco2e where known; NaN where estimate() gives "
        "None. "
        "Each point equals estimate() with the same overrides.\n"
        "Throws: InputError for an unsupported key or shapes that differ; the calculator's "
        "error (with a note naming the index) for an out-of-range value.\n"
        "Example: evaluate('deepseek-v3', {'efficiency.mfu': np.linspace(0.2, 0.6, 1_000_000)})");
}

}  // namespace costmodel::python
