// SPDX-License-Identifier: MIT
// How an estimate is shown: JSON objects, tables and the text report.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "costmodel/costmodel.hpp"
#include "render.hpp"

namespace costmodel::cli {

double gpu_h(gpu_time t);
double dollars(money m);
double per_hour(price_rate p);
double flop(compute c);
/// The rental cost of a phase, if a price was known.
std::optional<double> rental(const phase_result& p);
/// The cost of a phase by `method`, if known.
std::optional<double> cost_of(const phase_result& p, const std::string& method);
/// The cost methods side by side (rows), per phase and total, with how each was counted.
std::string cost_methods_text(const estimate_result& e, bool markdown);
/// "+3.5%": how far `modelled` is from `reported`.
std::string diff(double modelled, double reported);
/// One phase (or the total) as a JSON object; the keys are a public contract.
json phase_json(const phase_result& p, bool with_name = true);
/// A whole estimate as a JSON object (the `estimate --format json` contract); with `u`, every
/// output that has a distribution gets `_p5`, `_p50` and `_p95` beside it, and "uncertainty".
json estimate_json(const scenario& s, const estimate_result& e,
                   const uncertainty_result* u = nullptr);
/// The per-phase table; `for_people` picks rounded figures with units or raw numbers.
table phase_table(const estimate_result& e, bool for_people);
/// "MFU 17.3% of the fp8 dense peak (...); $2.00 per GPU-hour; ..." or "".
std::string implied_text(const phase_result& p);
/// "--set k=v --range k=lo:hi ..." from scenario::overrides.
std::string what_if(const std::vector<std::string>& overrides);
std::string hardware_line(const phase_result& p, const catalogue& cat);
/// "Model: chat (tuned to follow instructions; not a reasoning model)" for model.kind, or ""
/// when the scenario does not say.
std::string model_kind_line(const scenario& s);
/// "DSV3-TR, EPOCH-DB": the tags of a Sources list, for one line.
std::string source_tags(const std::vector<std::string>& sources);
/// Refuses --brief with a machine format (it is for people).
/// Throws: input_error.
void check_brief_format(bool brief, bool machine_format);
/// One entry of the glossary (`costmodel explain TERM`, and the legends under tables).
struct glossary_entry {
  std::string term;      ///< as shown: "MFU"
  std::string aliases;   ///< other spellings, comma-separated, lower case: "mfu,utilisation"
  std::string shown_as;  ///< how tables show it, comma-separated ("MFU"); "" for no legend
  std::string brief;     ///< the first sentence: what it means, with its source (the legend)
  std::string more;      ///< the rest of the explanation, or ""
};
/// Every term the output uses that a reader may not know.
const std::vector<glossary_entry>& glossary();
/// `costmodel explain [TERM]`: one entry, or the list of terms.
/// Throws: input_error for an unknown term, listing the known ones.
std::string explain_text(const std::string& term);
/// Whether tables get their legend (false for --no-legend); set by execute() for each run, which
/// also starts a new output (each term is explained once per output).
void set_legends(bool on);
/// "Legend:" and the brief of every glossary term the table shows (in its header or cells) and
/// the output has not explained yet, or "" when there is none or legends are off. For people
/// only: JSON and CSV never call it.
std::string legend(const table& t);
/// The table for people (Markdown or text) with its legend under it.
std::string render_table(const table& t, bool markdown);
/// The one table of source tags: "TAG: title, where" lines of the datacenter constants, the
/// accelerators and `own` (a run's or an accelerator's Sources), by tag.
std::vector<std::pair<std::string, std::string>> source_table(const catalogue& cat,
                                                              const std::vector<std::string>& own);
/// The Sources block of an output: `own`, then the definition of every other tag of
/// source_table() (and of `pool`: more sources, shown only when cited) that `text` (the output
/// above it) cites, so that no tag is left undefined.
std::string sources_block(const std::string& text, const std::vector<std::string>& own,
                          const catalogue& cat, const std::vector<std::string>& pool = {});
/// What may make this estimate silently wrong, for the reader: 6ND at a long sequence (with
/// the attention share), an implied MFU outside 5%-70%, a run without a date.
std::vector<std::string> run_warnings(const scenario& s, const estimate_result& e);
/// The terminal (or Markdown) report of an estimate; `after_total` goes below the totals.
std::string estimate_text(const scenario& s, const estimate_result& e, const catalogue& cat,
                          bool markdown, const std::string& after_total = "");

}  // namespace costmodel::cli
