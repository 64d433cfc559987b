// SPDX-License-Identifier: MIT
// Where a figure comes from and how far to trust it.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace costmodel {

/// The trust levels of a published figure (see presets/README.md).
/// "primary" (the developers' own paper or card), "primary-transcribed", "estimate" (whose is in
/// the source), "press", "blog", "derived" (arithmetic on cited inputs), "recalled",
/// "assumption".
inline const std::vector<std::string>& known_statuses() {
  static const std::vector<std::string> s{
      "primary",  "primary-transcribed", "estimate", "press", "blog", "derived",
      "recalled", "assumption"};
  return s;
}

/// Another published value for the same figure, kept where sources disagree.
struct alternative {
  double value = 0.0;
  std::string source;
  std::string status;
  bool operator==(const alternative&) const = default;
};

/// The source of one figure.
struct provenance {
  std::string source;  ///< where it was published
  std::string status;  ///< one of known_statuses()
  std::string note;
  std::string date;
  std::vector<alternative> alternatives;
  bool operator==(const provenance&) const = default;
};

using provenance_map = std::map<std::string, provenance>;

}  // namespace costmodel
