// SPDX-License-Identifier: MIT
// `costmodel sensitivity`: each uncertain input between its low and high value, as a tornado.
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

/// Declares `sensitivity` on `app`; returns it so that the caller can add --set and --format.
CLI::App* add_sensitivity_command(CLI::App& app, options& o);

/// Runs `sensitivity`. Throws: input_error, preset_error.
std::string cmd_sensitivity(const options& o, const catalogue& cat);

}  // namespace costmodel::cli
