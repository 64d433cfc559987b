// SPDX-License-Identifier: MIT
// The calculator as a whole process: `costmodel compare <every bundled run>`, fork + exec +
// wait, output to /dev/null (target: under 50 ms).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "costmodel/presets.hpp"

extern char** environ;

namespace {

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

void bm_compare_all_runs(benchmark::State& state) {
  std::vector<std::string> args{COSTMODEL_EXE, "compare"};
  for (const auto& r : costmodel::list_runs()) args.push_back(r.id);
  if (run_process(args) != 0) {
    state.SkipWithError("costmodel compare failed");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(run_process(args));
  state.counters["runs"] = static_cast<double>(args.size() - 2);
}
BENCHMARK(bm_compare_all_runs)->Unit(benchmark::kMillisecond)->UseRealTime();

void bm_version_only(benchmark::State& state) {
  // The floor: starting the process, loading shared libraries, printing the version.
  for (auto _ : state) benchmark::DoNotOptimize(run_process({COSTMODEL_EXE, "--version"}));
}
BENCHMARK(bm_version_only)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
