// SPDX-License-Identifier: MIT
// Scenarios in Python: load a preset or a file, build one from a dict, override keys; list the
// bundled runs and accelerators.
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"

namespace costmodel::python {

namespace {
/// The current catalogue. Replaced, never changed, by reload(): a call that took a copy of the
/// pointer keeps its catalogue alive to the end, even while another thread reloads with the
/// GIL released, or a callback (an `__array__` method) reloads in the middle of the call.
std::shared_ptr<const catalogue>& catalogue_slot() {
  static std::shared_ptr<const catalogue> c;
  return c;
}
}  // namespace

std::shared_ptr<const catalogue> shared_catalogue() {
  auto& c = catalogue_slot();
  if (!c) c = std::make_shared<const catalogue>(load_catalogue());
  return c;
}

void reload_catalogue() { catalogue_slot() = std::make_shared<const catalogue>(load_catalogue()); }

py_scenario reload(const py_scenario& from, std::vector<override_entry> overrides) {
  py_scenario out;
  out.id_or_path = from.id_or_path;
  out.text = from.text;
  out.source_name = from.source_name;
  out.overrides = std::move(overrides);
  out.allow_paths = from.allow_paths;
  const allowed_paths_scope allowed({out.allow_paths.begin(), out.allow_paths.end()});
  const auto held = shared_catalogue();
  const auto& cat = *held;
  out.s = out.id_or_path.empty() ? parse_scenario(out.text, out.source_name, cat, out.overrides)
                                 : load_scenario(out.id_or_path, cat, out.overrides);
  return out;
}

std::string override_text(const py::handle& value, const std::string& key) {
  const std::string type = py::str(py::type::handle_of(value).attr("__name__"));
  if (py::isinstance<py::bool_>(value) || type == "bool_") {
    return py::cast<bool>(py::bool_(py::reinterpret_borrow<py::object>(value))) ? "true" : "false";
  }
  if (py::isinstance<py::str>(value)) return py::cast<std::string>(value);
  if (py::isinstance<py::int_>(value) || py::hasattr(value, "__index__")) {
    return py::str(py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr())));
  }
  if (py::isinstance<py::float_>(value) || py::hasattr(value, "__float__")) {
    // Python's float repr is the shortest text that reads back as the same double, and TOML
    // reads it ("0.45", "1e+25", "inf"); numpy scalars go through float first.
    const double d = py::cast<double>(py::float_(py::reinterpret_borrow<py::object>(value)));
    return py::repr(py::float_(d));
  }
  throw py::type_error("override '" + key + "': expected a str, bool, int or float, got " + type);
}

std::vector<override_entry> overrides_of(const py::handle& dict) {
  std::vector<override_entry> out;
  if (dict.is_none()) return out;
  if (!py::isinstance<py::dict>(dict)) {
    throw py::type_error("overrides: expected a dict {\"efficiency.mfu\": 0.45, ...}");
  }
  for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(dict)) {
    if (!py::isinstance<py::str>(k)) throw py::type_error("overrides: keys must be str");
    const auto key = py::cast<std::string>(k);
    // The calculator's own check of KEY=VALUE, so errors read the same.
    out.push_back(parse_override(key + "=" + override_text(v, key)));
  }
  return out;
}

std::vector<std::string> paths_of(const py::handle& list) {
  std::vector<std::string> out;
  if (!list || list.is_none()) return out;
  if (py::isinstance<py::str>(list) || !py::isinstance<py::sequence>(list)) {
    throw py::type_error("allow_paths: expected a list of folders, e.g. ['/data/runs']");
  }
  const auto fspath = py::module_::import("os").attr("fspath");
  for (const auto& p : py::reinterpret_borrow<py::sequence>(list)) {
    out.push_back(py::str(fspath(p)));
  }
  return out;
}

py_scenario scenario_of(const py::handle& what, const py::handle& overrides,
                        const py::handle& allow_paths) {
  auto extra = overrides_of(overrides);
  if (py::isinstance<py_scenario>(what)) {
    const auto& base = py::cast<const py_scenario&>(what);
    if (extra.empty()) return base;
    auto all = base.overrides;
    all.insert(all.end(), extra.begin(), extra.end());
    return reload(base, std::move(all));
  }
  if (py::isinstance<py::str>(what) || py::hasattr(what, "__fspath__")) {
    py_scenario from;
    from.allow_paths = paths_of(allow_paths);
    from.id_or_path = py::str(py::module_::import("os").attr("fspath")(what));
    return reload(from, std::move(extra));
  }
  throw py::type_error("expected a preset id, a path or a Scenario, got " +
                       std::string(py::str(py::type::handle_of(what).attr("__name__"))));
}

// --- dicts as TOML --------------------------------------------------------------------------

namespace {

std::string toml_key(const std::string& k) {
  bool bare = !k.empty();
  for (char c : k) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-')) {
      bare = false;
    }
  }
  if (bare) return k;
  std::string q = "\"";
  for (char c : k) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string toml_string(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        q += "\\\"";
        break;
      case '\\':
        q += "\\\\";
        break;
      case '\n':
        q += "\\n";
        break;
      case '\t':
        q += "\\t";
        break;
      case '\r':
        q += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          q += "\\u00";
          q += hex[(static_cast<unsigned char>(c) >> 4U) & 0xFU];
          q += hex[static_cast<unsigned char>(c) & 0xFU];
        } else {
          q += c;
        }
    }
  }
  return q + "\"";
}

bool is_list(const py::handle& v) {
  return py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v);
}

bool is_table_list(const py::handle& v) {
  if (!is_list(v)) return false;
  const auto seq = py::reinterpret_borrow<py::sequence>(v);
  if (py::len(seq) == 0) return false;
  for (const auto& item : seq) {
    if (!py::isinstance<py::dict>(item)) return false;
  }
  return true;
}

/// Deeper dicts and lists are refused: a dict that contains itself recursed until the stack
/// overflowed, and the loader refuses nesting past 100 levels anyway.
constexpr int max_dict_depth = 64;

void check_depth(int depth, const std::string& key) {
  if (depth > max_dict_depth) {
    throw input_error("scenario: '" + key + "': nested more than " +
                      detail::integer_text(max_dict_depth) +
                      " levels deep; expected a scenario's sections (a dict or list that "
                      "contains itself?)");
  }
}

std::string toml_value(const py::handle& v, const std::string& key, int depth = 0) {
  check_depth(depth, key);
  if (py::isinstance<py::dict>(v)) {
    std::string s = "{ ";
    bool first = true;
    for (const auto& [k, x] : py::reinterpret_borrow<py::dict>(v)) {
      const auto name = py::cast<std::string>(py::str(k));
      if (!first) s += ", ";
      first = false;
      s += toml_key(name) + " = " + toml_value(x, key + "." + name, depth + 1);
    }
    return s + " }";
  }
  if (is_list(v)) {
    std::string s = "[";
    bool first = true;
    for (const auto& x : py::reinterpret_borrow<py::sequence>(v)) {
      if (!first) s += ", ";
      first = false;
      s += toml_value(x, key, depth + 1);
    }
    return s + "]";
  }
  if (py::isinstance<py::str>(v)) return toml_string(py::cast<std::string>(v));
  return override_text(v, key);  // bool, int, float: TOML reads these as they are
}

/// Splits dotted keys ("model.parameters") into nested dicts, keeping the order of first use.
py::dict nest(const py::dict& flat, int depth = 0) {
  check_depth(depth, "");
  py::dict out;
  for (const auto& [k, v] : flat) {
    if (!py::isinstance<py::str>(k)) throw py::type_error("scenario: keys must be str");
    const auto key = py::cast<std::string>(k);
    py::dict cur = out;
    std::size_t start = 0;
    for (;;) {
      const auto dot = key.find('.', start);
      const auto part = key.substr(start, dot == std::string::npos ? dot : dot - start);
      if (part.empty()) throw input_error("scenario: key '" + key + "': empty part in the key");
      if (dot == std::string::npos) {
        if (py::isinstance<py::dict>(v) && cur.contains(part) &&
            py::isinstance<py::dict>(cur[py::str(part)])) {
          py::dict existing = cur[py::str(part)];
          for (const auto& [kk, vv] : nest(py::reinterpret_borrow<py::dict>(v), depth + 1)) {
            existing[kk] = vv;
          }
        } else if (py::isinstance<py::dict>(v)) {
          cur[py::str(part)] = nest(py::reinterpret_borrow<py::dict>(v), depth + 1);
        } else {
          cur[py::str(part)] = v;
        }
        break;
      }
      if (!cur.contains(part)) cur[py::str(part)] = py::dict();
      py::object next = cur[py::str(part)];
      if (!py::isinstance<py::dict>(next)) {
        throw input_error("scenario: key '" + key + "': '" + part + "' is not a table of keys");
      }
      cur = py::reinterpret_borrow<py::dict>(next);
      start = dot + 1;
    }
  }
  return out;
}

/// A sourced value `{value = ..., source = ...}` is written inline; other dicts are tables.
bool is_sourced(const py::handle& v) {
  return py::isinstance<py::dict>(v) && py::reinterpret_borrow<py::dict>(v).contains("value");
}

void write_table(std::string& out, const std::string& prefix, const py::dict& t, int depth = 0) {
  check_depth(depth, prefix);
  for (const auto& [k, v] : t) {
    const auto name = py::cast<std::string>(py::str(k));
    if ((py::isinstance<py::dict>(v) && !is_sourced(v)) || is_table_list(v)) continue;
    out += toml_key(name) + " = " + toml_value(v, prefix + name) + "\n";
  }
  for (const auto& [k, v] : t) {
    const auto name = py::cast<std::string>(py::str(k));
    const auto path = prefix + toml_key(name);
    if (py::isinstance<py::dict>(v) && !is_sourced(v)) {
      out += "\n[" + path + "]\n";
      write_table(out, path + ".", py::reinterpret_borrow<py::dict>(v), depth + 1);
    } else if (is_table_list(v)) {
      for (const auto& item : py::reinterpret_borrow<py::sequence>(v)) {
        out += "\n[[" + path + "]]\n";
        write_table(out, path + ".", nest(py::reinterpret_borrow<py::dict>(item), depth + 1),
                    depth + 1);
      }
    }
  }
}

}  // namespace

/// The TOML scenario file that a dict describes; `schema = 1` is added when absent.
std::string toml_of(const py::dict& d) {
  py::dict t = nest(d);
  std::string out;
  if (!t.contains("schema")) out += "schema = 1\n";
  write_table(out, "", t);
  return out;
}

// --- bindings ---------------------------------------------------------------------------------

namespace {

py::dict accelerator_dict(const accelerator_spec& a) {
  py::dict d;
  d["id"] = a.id;
  d["name"] = a.name;
  d["vendor"] = a.vendor;
  d["kind"] = a.kind;
  d["launch"] = a.launch;
  py::dict peaks;
  for (auto p : all_precisions) {
    if (a.supports(p)) peaks[py::str(std::string(to_string(p)))] = tflops_of(a.peak_at(p));
  }
  d["peak_dense_tflops"] = peaks;
  auto opt = [](const auto& o, auto f) -> py::object { return o ? py::cast(f(*o)) : py::none(); };
  d["hbm_gb"] = opt(a.hbm, [](memory m) { return value_in(m, units::byte) / 1e9; });
  d["bandwidth_tb_per_s"] = opt(a.bandwidth_tb_per_s, [](double v) { return v; });
  d["tdp_watts"] = opt(a.tdp_watts, [](double v) { return v; });
  auto rate = [](price_rate r) { return value_in(r, units::usd_per_gpu_hour); };
  d["usd_per_gpu_hour_on_demand"] = opt(a.prices.on_demand, rate);
  d["usd_per_gpu_hour_1y"] = opt(a.prices.one_year, rate);
  d["usd_per_gpu_hour_3y"] = opt(a.prices.three_year, rate);
  d["usd_per_gpu_hour_gpu_cloud"] = opt(a.prices.gpu_cloud, rate);
  d["purchase_usd"] = opt(a.prices.purchase, [](money m) { return value_in(m, units::usd); });
  d["sources"] = a.sources;
  return d;
}

std::string repr_of(const py_scenario& p) {
  std::string r = "<Scenario '" + p.s.id + "': " + p.s.name;
  for (const auto& o : p.s.overrides) r += ", " + o;
  return r + ">";
}

}  // namespace

void bind_scenario(py::module_& m) {
  py::class_<py_scenario>(m, "Scenario",
                          "A training scenario as loaded from a preset, a file or a dict. "
                          "Immutable: with_overrides() returns a new one.")
      .def_property_readonly("id", [](const py_scenario& p) { return p.s.id; })
      .def_property_readonly("name", [](const py_scenario& p) { return p.s.name; })
      .def_property_readonly("developer", [](const py_scenario& p) { return p.s.developer; })
      .def_property_readonly("date", [](const py_scenario& p) { return p.s.date; })
      .def_property_readonly("description", [](const py_scenario& p) { return p.s.description; })
      .def_property_readonly("source_file", [](const py_scenario& p) { return p.s.source_file; })
      .def_property_readonly("sources", [](const py_scenario& p) { return p.s.sources; })
      .def_property_readonly("caveats", [](const py_scenario& p) { return p.s.caveats; })
      .def_property_readonly("notes", [](const py_scenario& p) { return p.s.notes; })
      .def_property_readonly(
          "overrides", [](const py_scenario& p) { return p.s.overrides; },
          "The overrides applied, as the calculator's --set text ('efficiency.mfu=0.45').")
      .def_property_readonly(
          "phases",
          [](const py_scenario& p) {
            std::vector<std::string> names;
            for (const auto& ph : p.s.phases) names.push_back(ph.name);
            return names;
          },
          "Phase names, empty for a single-phase run.")
      .def(
          "with_overrides",
          [](const py_scenario& p, const py::dict& o) { return scenario_of(py::cast(p), o); },
          py::arg("overrides"),
          "A copy with more overrides applied, like the calculator's --set: "
          "s.with_overrides({\"efficiency.mfu\": 0.45, \"hardware.accelerator\": \"h100-sxm\"}).\n"
          "Throws: PresetError or InputError, with the calculator's message.")
      .def("__repr__", &repr_of);

  m.def(
      "load",
      [](const py::object& what, const py::object& o, const py::object& allow) {
        return scenario_of(what, o, allow);
      },
      py::arg("id_or_path"), py::arg("overrides") = py::none(), py::kw_only(),
      py::arg("allow_paths") = py::none(),
      "Loads a bundled preset by id ('deepseek-v3') or a scenario file by path, then applies "
      "`overrides` ({dotted key: value}).\nThrows: InputError for an unknown id, PresetError "
      "for a broken file or override. `extends` reads bundled ids and files in the "
      "scenario's folder or on the preset search path; `allow_paths` ([folder, ...]) opens "
      "more folders.");
  m.def(
      "loads",
      [](const std::string& text, const std::string& source_name, const py::object& o,
         const py::object& allow) {
        py_scenario from;
        from.text = text;
        from.source_name = source_name;
        from.allow_paths = paths_of(allow);
        return reload(from, overrides_of(o));
      },
      py::arg("text"), py::arg("source_name") = "<string>/custom.toml",
      py::arg("overrides") = py::none(), py::kw_only(), py::arg("allow_paths") = py::none(),
      "Parses scenario TOML text; `source_name` names it in errors and its stem is the id. "
      "`extends` reads bundled ids and files in source_name's folder or on the preset search "
      "path only, so text from elsewhere cannot read the host's files; `allow_paths` "
      "([folder, ...]) opens more folders.");
  m.def(
      "scenario",
      [](const py::object& d, const py::object& o, const py::kwargs& kw) {
        py::dict all;
        if (!d.is_none()) {
          if (!py::isinstance<py::dict>(d)) throw py::type_error("scenario: expected a dict");
          for (const auto& [k, v] : py::reinterpret_borrow<py::dict>(d)) all[k] = v;
        }
        std::string id = "custom";
        for (const auto& [k, v] : kw) {
          if (py::cast<std::string>(k) == "id") {
            id = py::cast<std::string>(v);
          } else {
            all[k] = v;
          }
        }
        py_scenario from;
        from.text = toml_of(all);
        from.source_name = "<dict>/" + id + ".toml";
        return reload(from, overrides_of(o));
      },
      py::arg("data") = py::none(), py::arg("overrides") = py::none(),
      "Builds a scenario from a dict and/or keyword arguments laid out as a scenario file: "
      "sections as dicts or dotted keys, phases as a list of dicts, sourced values as "
      "{'value': ..., 'source': ...}. The dict is written as TOML and read by the same loader "
      "as files, so errors name the key. `id=` sets the id (default 'custom').\n"
      "Example: scenario(name='my run', model={'parameters': 7e9}, "
      "training={'tokens': 2e12}, hardware={'accelerator': 'h100-sxm', 'count': 512})");
  m.def("to_toml", &toml_of, py::arg("data"),
        "The TOML scenario text that scenario(data) reads (for inspection or saving).");
  m.def(
      "list_presets",
      [] {
        std::vector<std::string> ids;
        for (const auto& r : list_runs()) ids.push_back(r.id);
        return ids;
      },
      "The ids of the bundled runs (and of COSTMODEL_PRESET_PATH's), sorted.");
  m.def(
      "list_accelerators",
      [] {
        py::list out;
        const auto held = shared_catalogue();
        for (const auto& [id, a] : held->accelerators) out.append(accelerator_dict(a));
        return out;
      },
      "The accelerator catalogue as a list of dicts (dense peaks in TFLOPS, prices in USD).");
  m.def("reload", &reload_catalogue,
        "Reads the accelerator catalogue again (after changing COSTMODEL_PRESET_PATH or files).");
}

}  // namespace costmodel::python
