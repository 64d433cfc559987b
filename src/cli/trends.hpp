// SPDX-License-Identifier: MIT
// `costmodel trends`: Epoch AI's database costed by the model, the frontier's growth fitted, and
// runs placed on the trend.
#pragma once

#include <string>

#include "costmodel/trends.hpp"

namespace CLI {
class App;
}

namespace costmodel {
struct catalogue;
struct scenario;
}  // namespace costmodel

namespace costmodel::cli {

struct options;

/// Declares `trends` on `app`; returns it so that the caller can add --format.
CLI::App* add_trends_command(CLI::App& app, options& o);

/// Runs `trends`. Throws: input_error, preset_error.
std::string cmd_trends(const options& o, const catalogue& cat);

/// The trend of `o.trends` (database, --top-n, ...), for `audit --trends`.
/// Throws: what run_trends() throws.
trend_result trends_of(const options& o, const catalogue& cat, const epoch_database& db);

/// "On the trend of <method> costs (N systems, ...): $X against $Y at its date, Z x the line;
/// k of N systems of the fit are as far from it." for a cost of a run dated `date`.
std::string trend_sentence(const trend_result& r, const std::string& what, double cost_usd,
                           const std::string& date);

}  // namespace costmodel::cli
