// SPDX-License-Identifier: MIT
#include "costmodel/presets.hpp"

#include <filesystem>
#include <string>

#include "bundled_catalogue.hpp"
#include "catch.hpp"
#include "costmodel/costmodel.hpp"

using namespace costmodel;

namespace {
const catalogue& cat() { return costmodel::testing::bundled_catalogue(); }
const std::string data = COSTMODEL_TEST_DATA;

preset_error load_error(const std::string& file, const std::vector<override_entry>& o = {}) {
  try {
    (void)load_scenario(data + "/" + file, cat(), o);
  } catch (const preset_error& e) {
    return e;
  }
  FAIL("no preset_error for " << file);
  throw;  // unreachable
}
}  // namespace

TEST_CASE("the catalogue has every required accelerator with dense peaks", "[presets]") {
  for (const char* id : {"v100-sxm2", "a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h800-sxm",
                         "h200", "b200", "mi300x", "tpu-v3", "tpu-v4", "tpu-v5p"}) {
    CAPTURE(id);
    REQUIRE(cat().contains(id));
    CHECK_FALSE(cat().at(id).sources.empty());
  }
  // Dense, never the 2:4-sparse datasheet headline (NVIDIA: "1/2 lower without sparsity").
  CHECK_THAT(tflops_of(cat().at("h100-sxm").peak_at(precision::bf16)),
             Catch::Matchers::WithinRel(989.4, 1e-3));
  CHECK_THAT(tflops_of(cat().at("b200").peak_at(precision::fp8)),
             Catch::Matchers::WithinRel(4500.0, 1e-3));
  CHECK_FALSE(cat().at("v100-sxm2").supports(precision::bf16));
  CHECK(cat().at("h100-sxm").provenance.count("peak_dense_tflops.bf16") == 1);
}

TEST_CASE("an unknown accelerator id names the known ones", "[presets]") {
  try {
    (void)cat().at("h1000");
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(std::string(e.what()).find("h100-sxm") != std::string::npos);
  }
}

TEST_CASE("reported figures keep their source and status", "[presets]") {
  const auto s = load_scenario("deepseek-v3", cat());
  REQUIRE(s.provenance.count("phases.pre-training.reported.gpu_hours") == 1);
  CHECK(s.provenance.at("phases.pre-training.reported.gpu_hours").status == "primary");
  const auto g = load_scenario("gpt-4", cat());
  REQUIRE(g.provenance.count("hardware.count") == 1);
  CHECK(g.provenance.at("hardware.count").alternatives.size() == 1);
  CHECK(g.provenance.at("hardware.count").alternatives[0].value == 20000.0);
}

TEST_CASE("malformed TOML names the file, line and column", "[presets][errors]") {
  const auto e = load_error("broken_syntax.toml");
  CHECK(e.kind() == errc::preset_syntax);
  CHECK(e.file().find("broken_syntax.toml") != std::string::npos);
  CHECK(e.line() == 5);
}

TEST_CASE("an unknown key is refused with its place", "[presets][errors]") {
  const auto e = load_error("unknown_key.toml");
  CHECK(e.kind() == errc::preset_unknown_key);
  CHECK(e.key() == "efficiency.mfuu");
  CHECK(e.line() == 13);
  CHECK(std::string(e.what()).find("expected one of: mfu, hfu, achieved_tflops, goodput") !=
        std::string::npos);
}

TEST_CASE("a negative count is refused with its place", "[presets][errors]") {
  const auto e = load_error("negative_count.toml");
  CHECK(e.kind() == errc::preset_bad_value);
  CHECK(e.key() == "hardware.count");
  CHECK(e.line() == 10);
}

TEST_CASE("mfu above one, a wrong type and a missing key are refused", "[presets][errors]") {
  CHECK(load_error("mfu_above_one.toml").key() == "efficiency.mfu");
  CHECK(load_error("wrong_type.toml").key() == "model.parameters");
  const auto m = load_error("missing_name.toml");
  CHECK(m.kind() == errc::preset_missing_key);
  CHECK(m.key() == "name");
}

TEST_CASE("an unknown accelerator or a precision it lacks is refused", "[presets][errors]") {
  const auto a = load_error("unknown_accelerator.toml");
  CHECK(a.key() == "hardware.accelerator");
  CHECK(a.line() == 8);
  CHECK(std::string(a.what()).find("h100-sxm") != std::string::npos);
  const auto p = load_error("unsupported_precision.toml");
  CHECK(p.key() == "hardware.precision");
  CHECK(std::string(p.what()).find("fp16") != std::string::npos);
}

TEST_CASE("what-if values are checked like file values", "[presets][errors]") {
  const auto e = load_error("../../presets/runs/gpt-4.toml", {{"efficiency.mfu", "1.5"}});
  CHECK(e.kind() == errc::preset_bad_value);
  CHECK(e.file() == "--set");
  CHECK(e.key() == "efficiency.mfu");
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"hardware.count", "-5"}}), preset_error);
  CHECK_THROWS_AS(load_scenario("gpt-4", cat(), {{"efficiency.mfuu", "0.3"}}), preset_error);
  CHECK_THROWS_AS(load_scenario("deepseek-v3", cat(), {{"training.tokens", "1T"}}), input_error);
  CHECK_THROWS_AS(parse_override("efficiency.mfu"), input_error);
}

TEST_CASE("a what-if reaches a phase by name and accepts suffixed numbers", "[presets]") {
  const auto s =
      load_scenario("deepseek-v3", cat(), {{"phases.pre-training.training.tokens", "20T"}});
  REQUIRE(s.phases[0].tokens);
  CHECK(*s.phases[0].tokens == 20e12);
  CHECK_THROWS_AS(load_scenario("deepseek-v3", cat(), {{"phases.nope.training.tokens", "1"}}),
                  input_error);
}

TEST_CASE("an unknown scenario id lists the bundled ones", "[presets][errors]") {
  try {
    (void)load_scenario("deepseek-v9", cat());
    FAIL("no error");
  } catch (const input_error& e) {
    CHECK(std::string(e.what()).find("deepseek-v3") != std::string::npos);
  }
}

TEST_CASE("a missing file and a directory are preset_io errors", "[presets][errors]") {
  CHECK(load_error("does_not_exist.toml").kind() == errc::preset_io);
  try {
    (void)load_scenario(data, cat());
    FAIL("no error");
  } catch (const preset_error& e) {
    CHECK(e.kind() == errc::preset_io);
  }
}

TEST_CASE("extends merges a base scenario and detects cycles", "[presets]") {
  const auto s = load_scenario(data + "/extends_v3.toml", cat());
  CHECK(s.name == "V3 at 40% MFU");
  CHECK(s.phases.size() == 3);
  REQUIRE(s.base.mfu);
  CHECK(s.base.mfu->ratio() == 0.4);
  CHECK(*s.base.active_parameters == 37e9);
  const auto e = load_error("cycle_a.toml");
  CHECK(std::string(e.what()).find("cycle") != std::string::npos);
}
