// SPDX-License-Identifier: MIT
// The catalogue of bad input (tests/data/bad/): for each kind, the error kind, the place and what
// was expected. tests/cli/CMakeLists.txt runs the same files through the calculator and checks
// the exit code and an empty stdout.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/presets.hpp"

using namespace costmodel;
namespace fs = std::filesystem;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string bad = std::string(COSTMODEL_TEST_DATA) + "/bad";

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

/// Loads and estimates `path`; returns the error it must raise.
template <class E>
E error_of(const std::string& path, const std::vector<override_entry>& sets = {}) {
  try {
    (void)estimate(load_scenario(path, cat(), sets), cat());
  } catch (const E& e) {
    return e;
  }
  FAIL("no error for " << path);
  throw;  // unreachable
}

/// A folder under the system's temp folder for files made at test time, removed at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    path = fs::temp_directory_path() / ("costmodel-bad-" + std::to_string(::getpid()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::permissions(path / "unreadable.toml", fs::perms::owner_all, ec);
    fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};
}  // namespace

TEST_CASE("each kind of bad file is refused with its kind, place and what was expected",
          "[bad_input]") {
  struct row {
    const char* file;
    errc kind;
    const char* key;
    std::size_t line;
    std::size_t column;
    const char* expected;  // part of the message that says what was expected
  };
  // clang-format off
  const std::vector<row> rows{
      {"malformed.toml",            errc::preset_syntax,      "",                     5,  0, "expected ']'"},
      {"wrong_type.toml",           errc::preset_bad_value,   "model.parameters",     4, 14, "expected a positive number, got a string"},
      {"unknown_key.toml",          errc::preset_unknown_key, "efficiency.mfuu",     13,  1, "expected one of: mfu, hfu, achieved_tflops, goodput"},
      {"missing_key.toml",          errc::preset_missing_key, "hardware.accelerator", 1,  1, "missing key"},
      {"negative.toml",             errc::preset_bad_value,   "training.tokens",      6, 10, "expected a positive number, got -2e+12"},
      {"zero.toml",                 errc::preset_bad_value,   "hardware.count",      10,  9, "expected a positive whole number, got 0"},
      {"nan.toml",                  errc::preset_bad_value,   "training.tokens",      6, 10, "expected a positive number, got nan"},
      {"infinite.toml",             errc::preset_bad_value,   "model.parameters",     4, 14, "expected a positive number, got inf"},
      {"too_large.toml",            errc::preset_syntax,      "",                     6, 15, "'1e400' could not be interpreted"},
      {"mfu_above_one.toml",        errc::preset_bad_value,   "efficiency.mfu",      12,  7, "expected a ratio in (0, 1], got 1.5"},
      {"unknown_accelerator.toml",  errc::preset_bad_value,   "hardware.accelerator", 8, 15, "unknown accelerator 'h1000'; expected one of: "},
      {"unknown_precision.toml",    errc::preset_bad_value,   "hardware.precision",   9, 13, "unknown precision 'fp3'; expected one of: "},
      {"cycle_a.toml",              errc::preset_bad_value,   "extends",              2, 11, "a cycle of extends: "},
      {"non_utf8.toml",             errc::preset_syntax,      "",                     2,  0, "invalid utf-8"},
      {"non_ascii_outside_string.toml",  errc::preset_syntax, "",                     4, 10, "outside a string or comment"},
      {"non_ascii_after_backslash.toml", errc::preset_syntax, "",                     4,  1, "line-ending backslash"},
      {"non_ascii_after_escape.toml", errc::preset_syntax, "", 3, 14, "right after a backslash; expected an escape"},
      {"non_ascii_after_bare_quote.toml", errc::preset_syntax, "",                    4, 14, "outside a string or comment"},
      {"extends_misspelled_phase.toml", errc::preset_bad_value, "phases.pretraining.name", 6, 8, "did you mean 'pre-training'? To add a phase, say so with new_phase = true"},
      {"does_not_exist.toml",       errc::preset_io,          "",                     0,  0, "no such file"},
  };
  // clang-format on
  for (const auto& r : rows) {
    CAPTURE(r.file);
    const auto e = error_of<preset_error>(bad + "/" + r.file);
    CHECK(e.kind() == r.kind);
    CHECK(e.key() == r.key);
    CHECK(e.line() == r.line);
    if (r.column > 0) CHECK(e.column() == r.column);
    CHECK(has(e.file(), r.file == std::string("cycle_a.toml") ? "cycle_b.toml" : r.file));
    CHECK(has(e.what(), r.expected));
    // The message reads like a compiler's: file:line:column: key 'k': what was expected.
    if (r.line > 0) CHECK(has(e.what(), ".toml:" + std::to_string(r.line) + ":"));
    if (*r.key) CHECK(has(e.what(), std::string("key '") + r.key + "'"));
  }
}

TEST_CASE("a directory instead of a file is a preset_io error", "[bad_input]") {
  const auto e = error_of<preset_error>(bad);
  CHECK(e.kind() == errc::preset_io);
  CHECK(has(e.what(), "is a directory, expected a .toml file"));
}

TEST_CASE("numbers that overflow are refused, never estimated as inf", "[bad_input]") {
  SECTION("6ND of 1e300 parameters and 1e300 tokens") {
    const auto e = error_of<input_error>(bad + "/overflow.toml");
    CHECK(has(e.what(), "overflow.toml: phase 'training': model.parameters and training.tokens"));
    CHECK(has(e.what(), "expected inputs of realistic magnitude"));
  }
  SECTION("an implied price of 1e300 USD over 1e-300 GPU-hours (found by scenario_fuzz)") {
    const auto e = error_of<input_error>(bad + "/implied_overflow.toml");
    CHECK(has(e.what(), "implied_overflow.toml: phase 'training': the implied USD per GPU-hour"));
    CHECK(has(e.what(), "not a finite number"));
  }
  SECTION("a --set that makes the product overflow") {
    const auto e = error_of<input_error>(
        "gpt-4", {{"training.compute_flop", "1e300"}, {"efficiency.mfu", "1e-300"}});
    CHECK(has(e.what(), "gpt-4.toml: phase 'training': the GPU-hours overflow a double"));
    CHECK(has(e.what(), "expected inputs of realistic magnitude"));
  }
  SECTION("a --set number that a double cannot hold") {
    const auto e = error_of<preset_error>("gpt-4", {{"training.tokens", "1e400"}});
    CHECK(e.kind() == errc::preset_bad_value);
    CHECK(e.file() == "--set");
    CHECK(e.key() == "training.tokens");
    CHECK(has(e.what(), "expected a number, got '1e400'"));
  }
}

TEST_CASE("bad --set values are refused like bad file values", "[bad_input]") {
  struct row {
    const char* set;
    const char* key;
    const char* expected;
  };
  const std::vector<row> rows{
      {"efficiency.mfu=nan", "efficiency.mfu", "expected a ratio in (0, 1], got nan"},
      {"efficiency.mfu=150%", "efficiency.mfu", "expected a ratio in (0, 1], got 1.5"},
      {"hardware.count=inf", "hardware.count", "expected a positive whole number, got inf"},
      {"hardware.count=0", "hardware.count", "expected a positive whole number, got 0"},
      {"hardware.count=1,,0", "hardware.count", "expected a number, got '1,,0'"},
      {"model.parameters=seven", "model.parameters", "expected a positive number, got a string"},
      {"hardware.precision=fp3", "hardware.precision", "unknown precision 'fp3'"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.set);
    const auto e = error_of<preset_error>("gpt-4", {parse_override(r.set)});
    CHECK(e.file() == "--set");
    CHECK(e.key() == r.key);
    CHECK(has(e.what(), r.expected));
  }
  CHECK_THROWS_AS(parse_override("efficiency.mfu"), input_error);
  CHECK_THROWS_AS(parse_override("=0.4"), input_error);
  CHECK_THROWS_AS(parse_override("efficiency.mfu="), input_error);
}

TEST_CASE("thousands separators sit between digits (found by number_fuzz seeds)", "[bad_input]") {
  CHECK(parse_number("1,000,000") == 1e6);
  CHECK(parse_number("1_000") == 1e3);
  CHECK_FALSE(parse_number("1,,0"));
  CHECK_FALSE(parse_number("1,.5"));
  CHECK_FALSE(parse_number("1._5"));
  CHECK_FALSE(parse_number("1e,5"));
}

TEST_CASE("non-ASCII text in strings and comments is read (toml++ issue 190 guard)",
          "[bad_input]") {
  const auto s = load_scenario(std::string(COSTMODEL_TEST_DATA) + "/non_ascii_ok.toml", cat());
  CHECK(s.name == "caf\xc3\xa9 \xce\xa2 \xe3\x80\x80");
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0] == "\xce\xa2 okstill ok \xce\xa2");  // the backslash trims the newline
  // A --set value with non-ASCII text is a string, never handed to toml++ as TOML.
  CHECK(load_scenario("gpt-4", cat(), {{"name", "caf\xc3\xa9"}}).name == "caf\xc3\xa9");
}

TEST_CASE("files made at test time: huge, a FIFO, unreadable", "[bad_input]") {
  temp_dir dir;
  SECTION("a file over 1 MiB is refused before it is parsed") {
    const auto huge = dir.path / "huge.toml";
    {
      std::ofstream out(huge, std::ios::binary);
      out << "schema = 1\nname = \"huge\"\n";
      const std::string comment = "# " + std::string(1022, 'x') + "\n";
      for (int i = 0; i < 1100; ++i) out << comment;
    }
    REQUIRE(fs::file_size(huge) > (1U << 20U));
    const auto e = error_of<preset_error>(huge.string());
    CHECK(e.kind() == errc::preset_io);
    CHECK(has(e.what(), "presets are at most 1048576 bytes"));
  }
  SECTION("a FIFO is not read (it could block forever)") {
    const auto fifo = dir.path / "fifo.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto e = error_of<preset_error>(fifo.string());
    CHECK(e.kind() == errc::preset_io);
    CHECK(has(e.what(), "is not a regular file"));
  }
  SECTION("a file without read permission") {
    const auto f = dir.path / "unreadable.toml";
    fs::copy_file(std::string(COSTMODEL_TEST_DATA) + "/small_dense.toml", f);
    fs::permissions(f, fs::perms::none);
    if (::geteuid() == 0) {
      // root reads a mode-000 file anyway, so there is nothing to refuse; the FIFO and the
      // directory cases cover files that cannot be read.
      WARN("running as root: mode 000 does not stop root from reading, case skipped");
    } else {
      const auto e = error_of<preset_error>(f.string());
      CHECK(e.kind() == errc::preset_io);
      CHECK(has(e.what(), "cannot open for reading"));
    }
  }
}
