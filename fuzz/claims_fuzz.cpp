// SPDX-License-Identifier: MIT
// libFuzzer target: claims, both ways they reach the audit.
// 1. Each line of the input is a `--claim METRIC=VALUE` (up to four); they go through
//    `costmodel audit` against DeepSeek-V3 or GPT-4 (the first byte picks), rendered as JSON and
//    as a table, as the calculator would print them.
// 2. The whole input is a claims file (`presets/claims/*.toml`): parse_claims_file, then every
//    claim it holds (up to eight) is solved backwards against the same run.
// Any costmodel::error is an accepted refusal; a crash, a sanitizer report, a non-finite figure
// or a verdict outside the three is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"
#include "audit.hpp"
#include "costmodel/audit.hpp"
#include "fuzz_common.hpp"

namespace {

using namespace costmodel;

struct loaded_run {
  scenario s;
  estimate_result e;
};

loaded_run load_run(std::string_view id) {
  auto s = load_scenario(id, fuzz::bundled_catalogue(), {}, {COSTMODEL_PRESET_DIR});
  auto e = estimate(s, fuzz::bundled_catalogue());
  return loaded_run{std::move(s), std::move(e)};
}

const loaded_run& run_named(bool gpt4) {
  static const loaded_run runs[2] = {load_run("deepseek-v3"), load_run("gpt-4")};
  return runs[gpt4 ? 1 : 0];
}

void require_finite(const std::optional<double>& v) {
  if (v && !std::isfinite(*v)) std::abort();
}

/// The properties every checked claim must have.
void require_sane(const claim_result& r) {
  if (r.verdict == "out of scope") {  // not a training cost (an API price): no training verdict
    if (r.reason.empty() || r.reported || r.modelled) std::abort();
    return;
  }
  if (r.verdict != "consistent" && r.verdict != "plausible" && r.verdict != "implausible") {
    std::abort();
  }
  if (r.reason.empty() || !std::isfinite(r.what.value) || !(r.what.value > 0.0)) std::abort();
  require_finite(r.reported);
  require_finite(r.modelled);
  for (const auto& im : r.implied) {
    require_finite(im.mfu);
    for (const auto& [p, m] : im.mfu_by_precision) require_finite(m);
    if (im.price && !std::isfinite(detail::usd_per_hour_of(*im.price))) std::abort();
    if (im.gpu_hours && !std::isfinite(detail::gpu_hours_of(*im.gpu_hours))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bool gpt4 = size > 0 && (data[0] & 1U) != 0U;

  // 1. Lines as --claim, through the calculator's audit.
  cli::options o;
  o.command = "audit";
  o.scenarios = {gpt4 ? "gpt-4" : "deepseek-v3"};
  std::size_t start = 0;
  while (start <= text.size() && o.claims.size() < 4) {
    const auto nl = text.find('\n', start);
    o.claims.emplace_back(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  for (const auto format : {cli::output_format::json, cli::output_format::table}) {
    o.format = format;
    try {
      const auto out = cli::cmd_audit(o, fuzz::bundled_catalogue());
      if (format == cli::output_format::json) fuzz::require_no_bare_non_finite(out);
    } catch (const costmodel::error&) {
      // refused with a message
    }
  }

  // 2. The whole input as a claims file.
  try {
    const auto file = parse_claims_file(text, "fuzz.toml");
    const auto& run = run_named(gpt4);
    std::size_t n = 0;
    for (const auto& c : file.claims) {
      if (++n > 8) break;
      try {
        require_sane(check_claim(c.what, run.s, run.e, fuzz::bundled_catalogue()));
      } catch (const costmodel::error&) {
        // refused with a message
      }
    }
  } catch (const costmodel::error&) {
    // refused with a message
  }
  return 0;
}
