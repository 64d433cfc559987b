// SPDX-License-Identifier: MIT
// Accelerators: peak dense throughput per precision, memory, power, prices.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "costmodel/cost_methods.hpp"
#include "costmodel/datacenter.hpp"
#include "costmodel/error.hpp"
#include "costmodel/provenance.hpp"
#include "costmodel/quantity.hpp"

namespace costmodel {

/// Numeric formats with a published peak. Peaks are always dense, never 2:4-sparse. fp32 (plain
/// single precision, no tensor cores) and int8 (integer operations per second) are for the older
/// accelerators of Epoch AI's database (Tesla K80, TPU v1); appended so that the older values
/// keep their places.
enum class precision { fp64, tf32, bf16, fp16, fp8, fp4, fp32, int8 };

inline constexpr std::array<precision, 8> all_precisions{
    precision::fp64, precision::tf32, precision::bf16, precision::fp16,
    precision::fp8,  precision::fp4,  precision::fp32, precision::int8};

[[nodiscard]] constexpr std::string_view to_string(precision p) noexcept {
  switch (p) {
    case precision::fp64:
      return "fp64";
    case precision::tf32:
      return "tf32";
    case precision::bf16:
      return "bf16";
    case precision::fp16:
      return "fp16";
    case precision::fp8:
      return "fp8";
    case precision::fp4:
      return "fp4";
    case precision::fp32:
      return "fp32";
    case precision::int8:
      return "int8";
  }
  return "?";
}

/// Every precision's name, "fp64, tf32, ...", for errors and help texts.
[[nodiscard]] inline std::string precision_names() {
  std::string out;
  for (auto p : all_precisions) {
    if (!out.empty()) out += ", ";
    out += to_string(p);
  }
  return out;
}

/// The precision named `name` ("bf16"), or nothing.
[[nodiscard]] inline std::optional<precision> parse_precision(std::string_view name) noexcept {
  for (auto p : all_precisions) {
    if (to_string(p) == name) return p;
  }
  return std::nullopt;
}

/// One dated price: what a source asked for an accelerator, and when.
struct price_point {
  std::string date;    ///< "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::string kind;    ///< purchase, purchase-system, on-demand, 1y, 3y, gpu-cloud
  double value = 0.0;  ///< USD per accelerator (purchase) or per accelerator-hour (rental)
  std::string source;
  std::string status;
  std::string note;
  bool operator==(const price_point&) const = default;
};

/// The kinds a price point may have.
[[nodiscard]] inline bool known_price_kind(std::string_view kind) noexcept {
  for (std::string_view k : {"purchase", "purchase-system", "on-demand", "1y", "3y", "gpu-cloud"}) {
    if (k == kind) return true;
  }
  return false;
}

/// Prices of one accelerator as the catalogue records them (all optional).
struct accelerator_prices {
  std::optional<money> purchase;          ///< USD per accelerator
  bool purchase_includes_server = false;  ///< true when derived from a DGX/HGX system price
  std::optional<price_rate> on_demand;    ///< hyperscaler list price, USD/(GPU*h)
  std::optional<price_rate> one_year;     ///< 1-year commitment
  std::optional<price_rate> three_year;   ///< 3-year commitment
  std::optional<price_rate> gpu_cloud;    ///< specialised GPU cloud, on demand
  std::vector<price_point> points;        ///< every dated price, including the ones above
  bool operator==(const accelerator_prices&) const = default;

  /// The year a price point is dated in (cost_methods.hpp year_of, which checks the date as the
  /// loader does). Throws: input_error naming the point when the date cannot be read (the loader
  /// refuses such a date with its place; this guards points built in C++).
  [[nodiscard]] static int year_of(const price_point& p) {
    if (const auto y = costmodel::year_of(p.date)) return *y;
    throw input_error("price point '" + p.kind + "' has date '" + p.date +
                      "': expected YYYY, YYYY-MM or YYYY-MM-DD");
  }

  /// The price of a kind "as of" `year`: the latest point dated in or before that year, else the
  /// earliest after it (Epoch's `find_price_for_vendor_and_hardware_model` looks before, then
  /// after). `kind` "purchase" also matches "purchase-system".
  [[nodiscard]] std::optional<price_point> as_of(std::string_view kind, int year) const {
    const price_point* before = nullptr;
    const price_point* after = nullptr;
    for (const auto& p : points) {
      const bool match = p.kind == kind || (kind == "purchase" && p.kind == "purchase-system");
      if (!match) continue;
      const int y = year_of(p);
      if (y <= year) {
        if (!before || p.date > before->date) before = &p;
      } else if (!after || p.date < after->date) {
        after = &p;
      }
    }
    if (before) return *before;
    if (after) return *after;
    return std::nullopt;
  }
};

/// One accelerator of the catalogue.
struct accelerator_spec {
  std::string id;      ///< "h100-sxm"
  std::string name;    ///< "NVIDIA H100 SXM5 80GB"
  std::string vendor;  ///< "NVIDIA"
  std::string kind;    ///< "gpu", "tpu" or "other"
  std::string launch;  ///< as published, e.g. "2022-03"
  std::array<std::optional<compute_rate>, all_precisions.size()> peak{};  ///< dense peaks
  std::optional<memory> hbm;                                              ///< bytes
  std::optional<double> bandwidth_tb_per_s;                               ///< TB/s
  std::optional<double> tdp_watts;                                        ///< W, board power
  std::optional<double> scale_up_gb_per_s;   ///< GB/s per accelerator, NVLink-class, both ways
  std::optional<double> scale_out_gb_per_s;  ///< GB/s per accelerator between nodes, one way
  accelerator_prices prices;
  std::vector<std::string> sources;
  std::vector<std::string> notes;
  provenance_map provenance;  ///< keyed by dotted key, "peak_dense_tflops.bf16"
  std::string source_file;
  /// When a file from COSTMODEL_PRESET_PATH replaces a bundled one of the same id: a note that
  /// says so (every estimate on this accelerator repeats it); else empty.
  std::string shadows;

  [[nodiscard]] bool supports(precision p) const noexcept {
    return peak[static_cast<std::size_t>(p)].has_value();
  }
  /// The precisions this accelerator has a peak for, as "fp64, bf16, ...".
  [[nodiscard]] std::string supported_precisions() const {
    std::string out;
    for (auto p : all_precisions) {
      if (!supports(p)) continue;
      if (!out.empty()) out += ", ";
      out += to_string(p);
    }
    return out;
  }
  /// Dense peak at `p`, FLOP/(GPU*h).
  /// Throws: input_error when the accelerator has no peak at that precision.
  [[nodiscard]] compute_rate peak_at(precision p) const {
    const auto& r = peak[static_cast<std::size_t>(p)];
    if (!r) {
      throw input_error("accelerator '" + id + "' has no " + std::string(to_string(p)) +
                        " peak; expected one of: " + supported_precisions());
    }
    return *r;
  }
  bool operator==(const accelerator_spec&) const = default;
};

/// The accelerators known to a run of the library, by id.
struct catalogue {
  std::map<std::string, accelerator_spec, std::less<>> accelerators;
  datacenter_constants datacenter;  ///< presets/datacenter.toml

  /// Throws: input_error naming the known ids when `id` is not in the catalogue.
  [[nodiscard]] const accelerator_spec& at(std::string_view id) const {
    auto it = accelerators.find(id);
    if (it == accelerators.end()) {
      std::string known;
      for (const auto& [k, v] : accelerators) {
        if (!known.empty()) known += ", ";
        known += k;
      }
      throw input_error("unknown accelerator '" + std::string(id) + "'; expected one of: " + known);
    }
    return it->second;
  }
  [[nodiscard]] bool contains(std::string_view id) const {
    return accelerators.find(id) != accelerators.end();
  }
};

}  // namespace costmodel
