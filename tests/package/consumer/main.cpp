// SPDX-License-Identifier: MIT
// A tool that depends on costmodel: estimates DeepSeek-V3 at 45% MFU from the presets that the
// library finds by itself, and says which file it read.
#include <costmodel/costmodel.hpp>
#include <costmodel/presets.hpp>
#include <cstdio>

int main() {
  using namespace costmodel;
  const auto cat = load_catalogue();
  const auto run = load_scenario("deepseek-v3", cat, {{"efficiency.mfu", "0.45"}});
  const auto result = estimate(run, cat);
  std::printf("costmodel %s: %s costs %.3f M USD at 45%% MFU (%zu accelerators known)\n",
              COSTMODEL_VERSION, result.name.c_str(),
              value_in(result.total.cost.at("rental"), units::usd) / 1e6, cat.accelerators.size());
  std::printf("read from: %s\n", run.source_file.c_str());
  return 0;
}
