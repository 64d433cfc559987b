// SPDX-License-Identifier: MIT
// libFuzzer target: `--set` text. Each line of the input is one `--set KEY=VALUE`; they are split
// by parse_override and applied to a small single-phase scenario and to DeepSeek-V3 (phases,
// extends-free), then estimated and rendered.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.hpp"

namespace {

constexpr std::string_view small_dense = R"(schema = 1
name = "Small dense run"
sources = ["fuzz seed"]
[model]
parameters = 7e9
[training]
tokens = 2e12
[hardware]
accelerator = "h100-sxm"
count = 256
precision = "bf16"
[efficiency]
mfu = 0.4
[pricing]
usd_per_gpu_hour = 2.0
)";

const std::string& deepseek_v3() {
  static const std::string text = [] {
    std::ifstream in(std::string(COSTMODEL_PRESET_DIR) + "/runs/deepseek-v3.toml");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace costmodel;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<override_entry> sets;
  std::size_t start = 0;
  while (start <= text.size() && sets.size() < 8) {
    const auto nl = text.find('\n', start);
    const auto line = text.substr(start, nl == std::string_view::npos ? nl : nl - start);
    try {
      sets.push_back(parse_override(line));
    } catch (const input_error&) {
      // not KEY=VALUE: refused with a message
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  const auto& cat = fuzz::bundled_catalogue();
  for (const auto& [base, name] :
       {std::pair{small_dense, "small.toml"},
        std::pair{std::string_view(deepseek_v3()), "deepseek-v3.toml"}}) {
    try {
      const auto s = parse_scenario(base, name, cat, sets, {COSTMODEL_PRESET_DIR});
      fuzz::estimate_and_render(s);
    } catch (const costmodel::error&) {
      // refused with a message
    }
  }
  return 0;
}
