// SPDX-License-Identifier: MIT
// libFuzzer target: a scenario file's text through the loader (extends, schema walker,
// catalogue checks), then the estimate and the JSON and text reports.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace costmodel;
  const auto& cat = fuzz::bundled_catalogue();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // "fuzz.toml" in the current folder: a relative `extends` resolves next to it, a bare id
    // through the bundled presets.
    const auto s = parse_scenario(text, "fuzz.toml", cat, {}, {COSTMODEL_PRESET_DIR});
    fuzz::estimate_and_render(s);
  } catch (const costmodel::error&) {
    // refused with a message
  }
  return 0;
}
