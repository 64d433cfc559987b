// SPDX-License-Identifier: MIT
// Umbrella header of the core: units, formulas, scenarios and the estimate. Pulls in neither
// fmt, toml++ nor iostream (presets.hpp and format.hpp are opt-in).
#pragma once

#include "costmodel/batch.hpp"
#include "costmodel/compute.hpp"
#include "costmodel/dimensions.hpp"
#include "costmodel/efficiency.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/provenance.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/units.hpp"
#include "costmodel/version.hpp"
