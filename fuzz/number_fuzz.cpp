// SPDX-License-Identifier: MIT
// libFuzzer target: the number parser behind `--set` values ("5.6M", "$100M", "45%").
// A number it accepts must be finite, and must survive a round trip through its shortest
// decimal form (so that the locale or a suffix never changes the value silently); a comma
// that is no thousands separator is refused with input_error.
#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "costmodel/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    if (const auto v = costmodel::parse_number(text)) {
      if (!std::isfinite(*v)) std::abort();
      const auto again = costmodel::parse_number(fmt::format("{}", *v));
      if (!again || *again != *v) std::abort();
    }
  } catch (const costmodel::input_error&) {
    // a decimal comma ("2,5"), refused with a message that suggests the point
  }
  return 0;
}
