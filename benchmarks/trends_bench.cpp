// SPDX-License-Identifier: MIT
// `costmodel trends` on Epoch AI's whole database (about 1,500 rows in the 2024-12 snapshot):
// read, every system costed by estimate(), the frontier fitted (issue 13's target: under 0.5 s
// as a whole process). The database is COSTMODEL_EPOCH_DB, else the shared snapshot beside the
// project (../shared/data/epoch-2024-12/); the benchmarks are skipped without it.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "costmodel/presets.hpp"
#include "costmodel/trends.hpp"

extern char** environ;

namespace {

std::string database() {
  if (const char* env = std::getenv("COSTMODEL_EPOCH_DB")) return env;
  const std::filesystem::path p = std::filesystem::path(COSTMODEL_SOURCE_DIR).parent_path() /
                                  "shared" / "data" / "epoch-2024-12" /
                                  "All ML Systems - full view.csv";
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? p.string() : std::string();
}

int run_process(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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
