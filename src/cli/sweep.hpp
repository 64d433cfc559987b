// SPDX-License-Identifier: MIT
// `costmodel sweep`: the estimate over a grid of input values.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costmodel {
struct catalogue;
}

namespace costmodel::cli {

struct options;

/// Declares `sweep` on `app`; returns it so that the caller can add --set and --format.
CLI::App* add_sweep_command(CLI::App& app, options& o);

/// Runs `sweep`. Throws: input_error, preset_error.
std::string cmd_sweep(const options& o, const catalogue& cat);

}  // namespace costmodel::cli
