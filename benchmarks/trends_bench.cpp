// SPDX-License-Identifier: MIT
// `costmodel trends` on Epoch AI's whole database (about 1,500 rows in the 2024-12 snapshot):
// read, every system costed by estimate(), the frontier fitted (issue 13's target: under 0.5 s
// as a whole process; with `--samples`, the Monte Carlo band, under 5 s). The database is
// COSTMODEL_EPOCH_DB, else the shared snapshot beside the project (../shared/data/epoch-2024-12/);
// the benchmarks are skipped without it.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "costmodel/presets.hpp"
#include "costmodel/trends.hpp"
#include "run_process.hpp"

namespace {

std::string database() {
  if (const char* env = std::getenv("COSTMODEL_EPOCH_DB")) return env;
  const std::filesystem::path p = std::filesystem::path(COSTMODEL_SOURCE_DIR).parent_path() /
                                  "shared" / "data" / "epoch-2024-12" /
                                  "All ML Systems - full view.csv";
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? p.string() : std::string();
}

using costmodel::bench::run_process;

void bm_trends_process(benchmark::State& state) {
  const auto db = database();
  if (db.empty()) {
    state.SkipWithError("no database: set COSTMODEL_EPOCH_DB");
    return;
  }
  const std::vector<std::string> args{
      COSTMODEL_EXE,         "trends",     db,     "--top-n",  "10",
      "--exclude-finetunes", "--usd-year", "2023", "--format", "json"};
  if (run_process(args) != 0) {
    state.SkipWithError("costmodel trends failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(run_process(args));
}
BENCHMARK(bm_trends_process)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The whole process with the Monte Carlo band: state.range(0) samples.
void bm_trends_samples_process(benchmark::State& state) {
  const auto db = database();
  if (db.empty()) {
    state.SkipWithError("no database: set COSTMODEL_EPOCH_DB");
    return;
  }
  const std::vector<std::string> args{
      COSTMODEL_EXE, "trends", db,       "--top-n",     "10",        "--exclude-finetunes",
      "--usd-year",  "2023",   "--mark", "deepseek-v3", "--samples", std::to_string(state.range(0)),
      "--format",    "json"};
  if (run_process(args) != 0) {
    state.SkipWithError("costmodel trends --samples failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(run_process(args));
}
BENCHMARK(bm_trends_samples_process)
    ->Arg(1000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void bm_trends_library(benchmark::State& state) {
  const auto path = database();
  if (path.empty()) {
    state.SkipWithError("no database: set COSTMODEL_EPOCH_DB");
    return;
  }
  const auto cat = costmodel::load_catalogue();
  costmodel::trend_options o;
  o.exclude_finetunes = true;
  o.usd_year = 2023;
  for (auto _ : state) {
    const auto db = costmodel::read_epoch_database(path);
    benchmark::DoNotOptimize(costmodel::run_trends(db, cat, o).fit.growth_per_year);
  }
}
BENCHMARK(bm_trends_library)->Unit(benchmark::kMillisecond);

}  // namespace
