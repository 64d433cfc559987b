// SPDX-License-Identifier: MIT
// costmodel version: the one place it is written; CMake reads it by regex.
#pragma once

#define COSTMODEL_VERSION_MAJOR 0
#define COSTMODEL_VERSION_MINOR 1
#define COSTMODEL_VERSION_PATCH 0
#define COSTMODEL_VERSION "0.1.0"
