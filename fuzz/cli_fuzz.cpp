// SPDX-License-Identifier: MIT
// libFuzzer target: the calculator's command line, in process, for every command. The first
// byte picks the command and the second a bundled scenario; the rest is the arguments, one per
// line. Whatever the arguments, the calculator must print valid JSON whose numbers are all
// finite, or refuse with a costmodel::error or a usage error: a crash, a sanitizer report,
// invalid JSON or an inf/nan is a finding. Reaches the Monte Carlo (estimate, compare with
// --range), sweep, sensitivity, plan and audit, which the file-level targets never run.
#include <CLI/CLI.hpp>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr std::array<const char*, 8> commands{"estimate", "compare", "sweep", "sensitivity",
                                              "plan",     "audit",   "show",  "list"};
constexpr std::array<const char*, 5> scenarios{"deepseek-v3", "gpt-4", "llama-3-8b", "deepseek-r1",
                                               "llama-2-70b"};
constexpr std::size_t max_args = 12;
constexpr std::size_t max_arg_length = 200;

/// Aborts unless every number in `j` is finite (nlohmann refuses a bare inf or nan already).
void require_finite(const nlohmann::json& j) {
  if (j.is_number_float() && !std::isfinite(j.get<double>())) std::abort();
  if (j.is_structured()) {
    for (const auto& x : j) require_finite(x);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string command = commands[data[0] % commands.size()];
  const std::string scenario = scenarios[data[1] % scenarios.size()];
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  std::vector<std::string> args{"costmodel", command};
  if (command != "plan" && command != "list")
    args.push_back(command == "show" ? "h100-sxm" : scenario);
  std::size_t start = 0;
  while (start < text.size() && args.size() < max_args) {
    const auto nl = text.find('\n', start);
    const auto line = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (line.size() > max_arg_length) return 0;
    args.emplace_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  // Few samples keep an execution fast; a second --samples in the input is a usage error.
  const bool uncertain = command == "estimate" || command == "compare";
  if (uncertain) {
    args.emplace_back("--samples");
    args.emplace_back("500");
  }
  args.emplace_back("--format");
  args.emplace_back("json");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());

  CLI::App app{"costmodel"};
  costmodel::cli::options opts;
  costmodel::cli::add_options(app, opts);
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError&) {
    return 0;  // a usage error, reported by CLI11
  }
  if (opts.samples > 20000) return 0;  // a valid but slow run: not what this target looks for
  std::string out;
  try {
    out = costmodel::cli::execute(opts);
  } catch (const costmodel::error&) {
    return 0;  // refused with a message
  }
  costmodel::fuzz::require_no_bare_non_finite(out);
  const auto j = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) std::abort();  // not valid JSON
  require_finite(j);
  return 0;
}
