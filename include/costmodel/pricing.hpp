// SPDX-License-Identifier: MIT
// Cost methods over accelerator time, the price basis a run is rented at, and dollars of a year.
#pragma once

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costmodel/cost_methods.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/price_basis.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/text.hpp"

namespace costmodel {

/// Rental cost = GPU-hours * price per GPU-hour (the method of DeepSeek-V3's Table 1 and of
/// Epoch AI's cloud estimates for the AI Index 2024). Returns USD.
[[nodiscard]] inline money rental_cost(gpu_time used, price_rate price) { return used * price; }

/// The price per GPU-hour that a reported cost and reported GPU-hours imply.
[[nodiscard]] inline price_rate implied_price(money cost, gpu_time used) { return cost / used; }

/// The basis of a run without a published price, and of `compare` for every run: the 3-year
/// committed price of its hardware at acquisition, as Epoch AI's cloud method prices a run
/// (Cottier et al. 2024, arXiv:2405.21015, section 2.2: "we use the price for a three-year
/// commitment ... at the time the hardware was acquired"; EPOCH-CODE's default CUD of 3 years).
inline constexpr price_basis default_price_basis = price_basis::three_year;

/// The price chosen for one phase, with its basis and why.
struct price_choice {
  std::optional<price_rate> price;
  std::string basis = "unknown";  ///< to_string of the basis used, or "unknown"
  std::string source;             ///< where the figure comes from, in words
  std::string note;               ///< for the assumptions; empty when nothing was assumed
};

namespace detail {

/// Whether `key=...` (or `phases.X.key=...`) is among the scenario's `--set` overrides.
inline bool set_in_command(const scenario* sc, std::string_view key) {
  if (!sc) return false;
  for (const auto& o : sc->overrides) {
    const auto eq = o.find('=');
    const std::string_view k = std::string_view(o).substr(0, eq);
    if (k == key) return true;
    if (k.size() > key.size() && k.substr(k.size() - key.size()) == key &&
        k[k.size() - key.size() - 1] == '.' && k.substr(0, 7) == "phases.") {
      return true;
    }
  }
  return false;
}

inline void add_note(std::vector<std::string>& notes, std::string s) {
  for (const auto& n : notes) {
    if (n == s) return;
  }
  notes.push_back(std::move(s));
}

inline std::string usd_rate_text(double v) { return "$" + detail::fixed_number(v, 2); }

/// The catalogue's price of `kind` ("on-demand", "1y", "3y", "gpu-cloud") for `acc`, dated as of
/// `year` when given; for 1y and 3y without one, the on-demand (else GPU-cloud) price less the
/// default commitment discount of the catalogue.
std::optional<std::pair<double, std::string>> catalogue_price_of(const accelerator_spec& acc,
                                                                 const datacenter_constants& dc,
                                                                 price_basis kind,
                                                                 std::optional<int> year);

}  // namespace detail

/// The price of one phase on hardware `acc`: the basis asked for (pricing.basis; the older
/// pricing.rental names a catalogue kind; pricing.as_of alone means on-demand as of that year),
/// else the run's own published price. A price set with `--set pricing.usd_per_gpu_hour` in the
/// same command always wins. "reported" falls back to default_price_basis when the run has no
/// published price, or when its accelerator was changed (the price was published for another
/// one), with a note that says so. Catalogue prices are those dated at acquisition
/// (ownership.acquisition_date), or as of pricing.as_of.
[[nodiscard]] price_choice choose_price(const run_inputs& in, const accelerator_spec& acc,
                                        const datacenter_constants& dc, const scenario* sc);

/// The year whose dollars a run's figures are in: its date (publication), as Epoch AI converts
/// from the publication date; nothing without a date.
[[nodiscard]] inline std::optional<int> dollars_year_of(const scenario& s) {
  return year_of(s.date);
}

/// The factor that turns dollars of `from` into dollars of `to` with the catalogue's annual PPI
/// (BLS PCU518210518210). A year past the last in the table takes the last, with a note.
/// Throws: input_error when the table is empty or `to` is before its first year.
[[nodiscard]] double usd_year_factor(const datacenter_constants& dc, int from, int to,
                                     std::vector<std::string>& notes);

/// Which dollars a result prints: "nominal" or "2023 USD".
[[nodiscard]] inline std::string dollars_text(std::optional<int> usd_year) {
  return usd_year ? detail::integer_text(*usd_year) + " USD" : std::string("nominal");
}

namespace detail {

/// Every dollar figure of one phase result times `f`: costs, price, reported and implied.
template <class Phase>
void scale_dollars(Phase& p, double f) {
  for (auto& [method, m] : p.cost) {
    (void)method;
    m = m * f;
  }
  if (p.price) p.price = *p.price * f;
  if (p.reported.cost) p.reported.cost = *p.reported.cost * f;
  if (p.reported.price) p.reported.price = *p.reported.price * f;
  if (p.implied.price) p.implied.price = *p.implied.price * f;
}

/// A whole result in dollars of pricing.usd_year, from the run's dollars (dollars_year_of()),
/// noted in its assumptions; nothing to do without pricing.usd_year.
/// Throws: input_error when the run has no date or the PPI table lacks the year.
template <class Result>
void apply_usd_year(Result& r, const scenario& s, const datacenter_constants& dc) {
  r.dollars = dollars_text(s.base.usd_year);
  if (!s.base.usd_year) return;
  const auto from = dollars_year_of(s);
  if (!from) {
    throw input_error(
        "pricing.usd_year: the scenario has no date, so the year of its dollars is "
        "unknown (give date = YYYY-MM)");
  }
  const double f = usd_year_factor(dc, *from, *s.base.usd_year, r.assumptions);
  add_note(r.assumptions, "dollars: " + detail::integer_text(*s.base.usd_year) + " USD, from " +
                              detail::integer_text(*from) + " dollars (the run's date) x " +
                              detail::fixed_number(f, 4) +
                              ", the annual US PPI for data processing, hosting and related "
                              "services (BLS PCU518210518210)");
  for (auto& p : r.phases) scale_dollars(p, f);
  scale_dollars(r.total, f);
}

}  // namespace detail

}  // namespace costmodel
