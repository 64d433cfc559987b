// SPDX-License-Identifier: MIT
// The calculator inside the package: `python -m costmodel ...` runs its commands, and the
// command functions of costmodel/commands.py get the calculator's own JSON for their results, so
// Python and the command line cannot disagree.
#include <pybind11/stl.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace costmodel::python {

namespace {

std::vector<const char*> argv_of(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  argv.reserve(args.size() + 2);
  argv.push_back("costmodel");
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  return argv;
}

}  // namespace

void bind_cli(py::module_& m) {
  // compare's one basis for every run (pricing.hpp), so Python's compare() uses the same.
  m.attr("default_price_basis") = std::string(to_string(default_price_basis));
  m.def(
      "_main",
      [](const std::vector<std::string>& args) {
        const auto argv = argv_of(args);
        int code = 0;
        {
          py::gil_scoped_release release;
          code = cli::run(static_cast<int>(args.size() + 1), argv.data());
          if (std::fflush(stdout) != 0 && code == 0) code = 1;
        }
        return code;
      },
      py::arg("args"),
      "Runs the calculator with `args` (without the program name), printing as it does; returns "
      "its exit code.");
  m.def(
      "_execute",
      [](const std::vector<std::string>& args) {
        cli::options opts;
        CLI::App app;
        cli::add_options(app, opts);
        const auto argv = argv_of(args);
        try {
          app.parse(static_cast<int>(args.size() + 1), argv.data());
        } catch (const CLI::ParseError& e) {
          throw input_error(std::string("usage: ") + e.what());
        }
        return cli::execute(opts);
      },
      py::arg("args"),
      "The calculator's output for `args` as text (what it would print), or the error it would "
      "report, raised as InputError or PresetError.");
  m.def(
      "_set_package_presets", [](const std::string& dir) { set_package_preset_dir(dir); },
      py::arg("dir"), "Makes `dir` the first bundled presets folder searched.");
  m.def(
      "preset_dirs",
      [] {
        std::vector<std::string> out;
        for (const auto& d : preset_search_path()) out.push_back(d.string());
        return out;
      },
      "The folders searched for presets, in order (COSTMODEL_PRESET_PATH first, then the "
      "package's own presets).");
}

}  // namespace costmodel::python
