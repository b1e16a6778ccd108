// The body of closesim's fuzz target, shared by the libFuzzer binary (fuzz_target.cc, built by
// fuzz/fuzz.cmake) and the regression test that replays fuzz/regressions/ in every build.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace closesim::fuzz {

// How much of the pipeline one input goes through. The fuzzer takes it all; the extreme-value
// sweep (thousands of inputs in the sanitizer build) one run and two views.
struct FuzzDepth {
  bool every_view = true;  // else the timeline and the JSON lines only
  bool rerun = true;       // run twice and compare every rendering byte for byte
  std::uint64_t max_trace_records = 2000;  // the run's budget (events: ten times as many)
};

// Parses `text` as a scenario, checks its names, runs it on a small budget, renders the output
// formats, and (rerun) runs it again to compare. Returns "" when every property held, else
// what broke: a diagnostic outside the file or without a hint, an internal error (the
// always-on check), any other exception, a run past its budget, or two runs that differ.
std::string fuzz_scenario(std::string_view text, FuzzDepth depth = {});

}  // namespace closesim::fuzz
