// SPDX-License-Identifier: MIT
// Umbrella header of the core: units, formulas, scenarios and the estimate. Pulls in neither
// fmt, toml++ nor iostream (presets.hpp and format.hpp are opt-in).
#pragma once

#include "costmodel/compute.hpp"
#include "costmodel/cost_inputs.hpp"
#include "costmodel/cost_methods.hpp"
#include "costmodel/datacenter.hpp"
#include "costmodel/dimensions.hpp"
#include "costmodel/efficiency.hpp"
#include "costmodel/energy.hpp"
#include "costmodel/error.hpp"
#include "costmodel/estimate.hpp"
#include "costmodel/estimate_costs.hpp"
#include "costmodel/flops.hpp"
#include "costmodel/goodput.hpp"
#include "costmodel/hardware.hpp"
#include "costmodel/parse.hpp"
#include "costmodel/pricing.hpp"
#include "costmodel/provenance.hpp"
#include "costmodel/quantity.hpp"
#include "costmodel/scenario.hpp"
#include "costmodel/units.hpp"
#include "costmodel/version.hpp"
