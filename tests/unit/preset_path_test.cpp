// SPDX-License-Identifier: MIT
// The order in which the library looks for presets (preset_search_path).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
namespace fs = std::filesystem;

namespace {

/// A scratch folder laid out like a build tree, a source tree and two install prefixes.
struct scratch {
  fs::path root;
  scratch() {
    root = fs::temp_directory_path() /
           ("costmodel_preset_path_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    fs::remove_all(root);
    for (const char* d : {"src/presets", "build/tools", "usr/share/costmodel/presets", "usr/bin",
                          "moved/share/costmodel/presets", "moved/bin", "elsewhere/bin"}) {
      fs::create_directories(root / d);
    }
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;

  [[nodiscard]] preset_search_inputs inputs(const std::string& exe) const {
    preset_search_inputs in;
    in.executable = root / exe;
    in.build_dir = root / "build";
    in.source_preset_dir = root / "src/presets";
    in.install_preset_dir = root / "usr/share/costmodel/presets";
    return in;
  }
  [[nodiscard]] fs::path at(const std::string& p) const { return fs::weakly_canonical(root / p); }
};

}  // namespace

TEST_CASE("presets are searched in COSTMODEL_PRESET_PATH, beside the program, then built in",
          "[presets]") {
  const scratch s;
  SECTION("an installed program reads its own prefix's presets first") {
    const auto dirs = preset_search_path(s.inputs("usr/bin/costmodel"));
    CHECK(dirs == std::vector<fs::path>{s.at("usr/share/costmodel/presets"), s.at("src/presets")});
  }
  SECTION("a moved prefix still finds its presets, beside the program") {
    const auto dirs = preset_search_path(s.inputs("moved/bin/costmodel"));
    REQUIRE(dirs.size() == 3);
    CHECK(dirs[0] == s.at("moved/share/costmodel/presets"));
    CHECK(dirs[1] == s.at("usr/share/costmodel/presets"));
  }
  SECTION("a program outside the prefix uses the configured install folder") {
    const auto dirs = preset_search_path(s.inputs("elsewhere/bin/tool"));
    CHECK(dirs == std::vector<fs::path>{s.at("usr/share/costmodel/presets"), s.at("src/presets")});
  }
  SECTION("a program in the build tree reads the source tree, never an older install") {
    const auto dirs = preset_search_path(s.inputs("build/tools/costmodel"));
    CHECK(dirs == std::vector<fs::path>{s.at("src/presets"), s.at("usr/share/costmodel/presets")});
  }
  SECTION("COSTMODEL_PRESET_PATH comes first, in order, empty entries skipped") {
    auto in = s.inputs("usr/bin/costmodel");
    in.env = "/my/presets::relative/dir:";
    const auto dirs = preset_search_path(in);
    REQUIRE(dirs.size() == 4);
    CHECK(dirs[0] == fs::path("/my/presets"));
    CHECK(dirs[1] == fs::path("relative/dir"));
    CHECK(dirs[2] == s.at("usr/share/costmodel/presets"));
  }
  SECTION("folders that do not exist are left out") {
    auto in = s.inputs("usr/bin/costmodel");
    in.install_preset_dir = s.root / "nowhere";
    in.source_preset_dir.clear();
    const auto dirs = preset_search_path(in);
    CHECK(dirs == std::vector<fs::path>{s.at("usr/share/costmodel/presets")});
  }
  SECTION("an unknown executable skips the folder beside it") {
    auto in = s.inputs("");
    in.executable.clear();
    const auto dirs = preset_search_path(in);
    CHECK(dirs == std::vector<fs::path>{s.at("usr/share/costmodel/presets"), s.at("src/presets")});
  }
}

TEST_CASE("the tests themselves read the source tree's presets", "[presets]") {
  // This binary runs from the build tree, so the bundled presets are the source tree's.
  const auto in = current_preset_search_inputs();
  CHECK_FALSE(in.executable.empty());
  const auto dirs = preset_search_path();
  REQUIRE_FALSE(dirs.empty());
  const auto src = fs::weakly_canonical(in.source_preset_dir);
  const bool env_set = std::getenv("COSTMODEL_PRESET_PATH") != nullptr;
  if (!env_set) CHECK(dirs.front() == src);
}
