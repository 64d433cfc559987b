// SPDX-License-Identifier: MIT
// The costmodel calculator: parsing and printing live in app.cpp.
#include "app.hpp"

int main(int argc, char** argv) { return costmodel::cli::run(argc, argv); }
