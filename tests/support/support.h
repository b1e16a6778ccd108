// What tests of several areas share: where the source tree is, and running a scenario given as
// text the way `closesim run` runs a file (parse, name check, run). One copy, not one per test.
#pragma once

#include <string>
#include <string_view>

#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"
#include "closesim/world/mutant.h"

namespace closesim::support {

// CLOSESIM_SOURCE_DIR + "/" + `relative` ("scenarios/x.scn" or "/scenarios/x.scn"): a bundled
// file, wherever the build runs.
std::string source_path(std::string_view relative);

// Runs `text` as the scenario file `file`; the test fails (REQUIRE) if it does not parse or
// names something no step makes.
RunResult run_text(const std::string& text, const RunOptions& options = {},
                   const std::string& file = "t.scn");

// Runs a bundled scenario by its path relative to the source tree, under that path (so reports
// name `scenarios/...`, not the machine's folder).
RunResult run_bundled(const std::string& relative, const RunOptions& options = {});

// The options of a run under profile `p`, with mutant `m` in the provider.
RunOptions profile(ProfileKind p, Mutant m = Mutant::None);

// Everything that went wrong in a run, a line each: failed expectations, rule violations
// (divergences too), stuck threads. Empty for a clean run; CHECKed as a string so a failing
// test prints them.
std::string failures(const RunResult& r);

}  // namespace closesim::support
