// SPDX-License-Identifier: MIT
// Reading the accelerator catalogue and scenario files (TOML). Declarations only: toml++ stays
// in src/presets.cpp.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "costmodel/hardware.hpp"
#include "costmodel/scenario.hpp"

namespace costmodel {

/// One `--set KEY=VALUE` what-if override; KEY is dotted as in the file ("efficiency.mfu").
struct override_entry {
  std::string key;
  std::string value;
  bool operator==(const override_entry&) const = default;
};

/// Splits "efficiency.mfu=0.45".
/// Throws: input_error when there is no '=' or the key is empty.
[[nodiscard]] override_entry parse_override(std::string_view text);

/// Folders searched for presets, in order: each entry of COSTMODEL_PRESET_PATH (separated by
/// ':'), then the bundled presets. Each folder holds `accelerators/*.toml` and `runs/*.toml`.
[[nodiscard]] std::vector<std::filesystem::path> preset_search_path();

/// Parses one accelerator file's text; `source_name` is used in error messages and must end in
/// `<id>.toml` for the id check.
/// Throws: preset_error naming the file, line, column and key.
[[nodiscard]] accelerator_spec parse_accelerator(std::string_view toml_text,
                                                 const std::string& source_name);

/// Parses the data-centre constants (`datacenter.toml`): PUE, power, overheads, electricity
/// prices, grid intensities, depreciation and reliability defaults, each with its source.
/// Throws: preset_error naming the file, line, column and key.
[[nodiscard]] datacenter_constants parse_datacenter(std::string_view toml_text,
                                                    const std::string& source_name);

/// Reads every `accelerators/*.toml` in `dirs`; the first folder that defines an id wins.
/// The first `datacenter.toml` found in `dirs` gives the data-centre constants.
/// Throws: preset_error for a broken file.
[[nodiscard]] catalogue load_catalogue(
    const std::vector<std::filesystem::path>& dirs = preset_search_path());

/// Parses a scenario file's text, resolving `extends` through `dirs`, then applies `overrides`
/// and checks accelerators and precisions against `cat`.
/// Throws: preset_error (file, line, column, key) or input_error.
[[nodiscard]] scenario parse_scenario(
    std::string_view toml_text, const std::string& source_name, const catalogue& cat,
    const std::vector<override_entry>& overrides = {},
    const std::vector<std::filesystem::path>& dirs = preset_search_path());

/// Loads a scenario by bundled id ("deepseek-v3") or by path ("runs/my.toml").
/// Throws: input_error for an unknown id (naming the known ones); preset_error for a broken
/// file.
[[nodiscard]] scenario load_scenario(
    std::string_view id_or_path, const catalogue& cat,
    const std::vector<override_entry>& overrides = {},
    const std::vector<std::filesystem::path>& dirs = preset_search_path());

/// A bundled or user run preset.
struct preset_entry {
  std::string id;
  std::filesystem::path file;
};

/// Every `runs/*.toml` in `dirs`, by id; the first folder that defines an id wins.
[[nodiscard]] std::vector<preset_entry> list_runs(
    const std::vector<std::filesystem::path>& dirs = preset_search_path());

/// The file of run `id`. Throws: input_error naming the known ids.
[[nodiscard]] std::filesystem::path find_run(
    std::string_view id, const std::vector<std::filesystem::path>& dirs = preset_search_path());

}  // namespace costmodel
