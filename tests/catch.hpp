// SPDX-License-Identifier: MIT
// The one place that names the Catch2 version: moving to v3 changes only this file.
#pragma once

#include <catch2/catch.hpp>
