// SPDX-License-Identifier: MIT
// Reading the accelerator catalogue and scenario files (TOML). Declarations only: toml++ stays
// in src/presets.cpp.
#pragma once

#include <cstddef>
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

/// Opens more folders to `extends` for the calls this thread makes while the scope lives (the
/// calculator's `--allow-path DIR`). Without it `extends` reads bundled ids and files inside
/// the scenario's own folder or the preset search path only: a scenario from elsewhere (text
/// given to Python's loads()) must not read any file the process can.
class allowed_paths_scope {
 public:
  explicit allowed_paths_scope(std::vector<std::filesystem::path> dirs);
  ~allowed_paths_scope();
  allowed_paths_scope(const allowed_paths_scope&) = delete;
  allowed_paths_scope& operator=(const allowed_paths_scope&) = delete;

 private:
  std::vector<std::filesystem::path> saved_;
};

/// Folders searched for presets, in order (each folder holds `accelerators/*.toml` and
/// `runs/*.toml`; the first folder that defines an id wins):
///  1. each entry of COSTMODEL_PRESET_PATH (separated by ':'), as given;
///  1b. the folder set by set_package_preset_dir() (the Python package's own `presets/`);
///  2. `<dir of the running executable>/../share/costmodel/presets`, so an installed
///     `costmodel` (or a consumer installed into the same prefix) finds the presets of its own
///     prefix even after the prefix was moved;
///  3. when the running executable lies inside the build tree the library was built in: the
///     source tree's `presets/`, so tests and examples never read an older installed copy;
///  4. the install folder configured at build time (`<prefix>/share/costmodel/presets`);
///  5. the source tree's `presets/` (a library used from its build tree).
/// Folders 2 to 5 are listed only if they exist, and each folder only once.
[[nodiscard]] std::vector<std::filesystem::path> preset_search_path();

/// What preset_search_path() decides from, made explicit so that the order can be tested.
struct preset_search_inputs {
  std::string env;                           ///< COSTMODEL_PRESET_PATH, "" when unset
  std::filesystem::path executable;          ///< the running program, "" when unknown
  std::filesystem::path build_dir;           ///< the build tree the library was built in
  std::filesystem::path source_preset_dir;   ///< presets/ of the source tree
  std::filesystem::path install_preset_dir;  ///< <prefix>/share/costmodel/presets as configured
  std::filesystem::path package_preset_dir;  ///< set_package_preset_dir(), "" when unset
};

/// Makes `dir` (the presets folder inside an installed Python package) the first bundled folder
/// searched, so that a package installed by pip reads its own copy and not the source tree it
/// was built from. "" unsets it. Thread-safe.
void set_package_preset_dir(const std::filesystem::path& dir);

/// The search order of preset_search_path() for `in`; see there.
[[nodiscard]] std::vector<std::filesystem::path> preset_search_path(const preset_search_inputs& in);

/// The inputs preset_search_path() uses in this process: the environment, /proc/self/exe and
/// the folders compiled into the library.
[[nodiscard]] preset_search_inputs current_preset_search_inputs();

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

/// A published claim about a run, as a claims file (`presets/claims/*.toml`) records it.
struct claim_entry {
  claim what;             ///< text, metric, value, source, status, note
  std::string scenario;   ///< the run it refers to: a bundled id or a path
  std::string refers_to;  ///< what the claim is about, in words ("V3's final run only")
  std::string file;       ///< the claims file, for messages
  std::size_t line = 0;   ///< line of the claim's table in the file
};

/// A claims file: `schema = 1`, `name`, `sources`, and `[[claims]]`.
struct claims_file {
  std::string file;
  std::string name;
  std::vector<std::string> sources;
  std::vector<claim_entry> claims;
};

/// Reads a claims file. A claim's `value` is a number or a string such as "5.6M" or "$100M".
/// Throws: preset_error (file, line, column, key) for a missing file or a bad key or value.
[[nodiscard]] claims_file load_claims_file(const std::filesystem::path& path);

/// Parses a claims file's text; `source_name` is used in error messages.
/// Throws: preset_error.
[[nodiscard]] claims_file parse_claims_file(std::string_view toml_text,
                                            const std::string& source_name);

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
