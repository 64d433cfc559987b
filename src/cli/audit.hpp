// SPDX-License-Identifier: MIT
// `costmodel audit`: reported figures against the model and each other, and claims checked.
#pragma once

#include <string>

#include "app.hpp"
#include "costmodel/hardware.hpp"

namespace CLI {
class App;
}

namespace costmodel::cli {

/// Declares the audit's own arguments on `sub` (the scenario, --claim, --claims).
void add_audit_options(CLI::App* sub, options& opts);

/// Runs `costmodel audit` and returns the whole output.
/// Throws: input_error for a bad claim or missing arguments; preset_error for a broken file.
[[nodiscard]] std::string cmd_audit(const options& o, const catalogue& cat);

}  // namespace costmodel::cli
