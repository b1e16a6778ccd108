// Runs scenarios: binds a parsed Scenario to a fresh engine and world, plays its steps on
// virtual time, checks every call's result and every expect line against the trace, runs the
// rule checker, and returns a RunResult. Also finds the scenario files under a set of paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "closesim/base/diagnostic.h"
#include "closesim/engine/choice_source.h"
#include "closesim/result/run_result.h"
#include "closesim/scenario/scenario.h"
#include "closesim/world/mutant.h"

namespace closesim {

struct RunOptions {
  // Override the file's directives when set.
  std::optional<ProviderKind> provider;
  std::optional<ProfileKind> profile;
  // Choices: an explicit schedule wins; else a seeded random order when `randomize`; else the
  // script's own order. `seed` overrides the file's `seed` directive.
  std::optional<std::vector<std::size_t>> schedule;
  bool randomize = false;
  std::optional<std::uint64_t> seed;
  ChoiceSource* choices = nullptr;  // the explorer's own source; wins over all of the above
  // Called once, before the run starts, with the trace the run will fill: partial-order
  // reduction reads each event's records as they are written.
  std::function<void(const Trace&)> watch_trace;
  Mutant mutant = Mutant::None;
  RulesMode rules = RulesMode::On;
  bool expectations = true;
  // Budgets (README, "Limits"): each stops the run with a message naming its option.
  std::uint64_t max_events = 5'000'000;
  Time max_time = 24 * 3600 * kSecond;
  std::uint64_t max_trace_records = 200'000;  // bounds the model's memory and every view's size
  std::size_t max_file_size = std::size_t{1} << 20;  // run_file: the scenario file's size cap
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options);
// The same, keeping `scenario` in the result without a copy.
RunResult run_scenario(Scenario&& scenario, const RunOptions& options);
// The configuration a run of `scenario` with `options` uses (what RunResult::config reports).
EffectiveConfig effective_config(const Scenario& scenario, const RunOptions& options);
// Every name a scenario's steps use must be made by an earlier step and be the right kind of
// object, and no process or thread a typo of another; returns located diagnostics (empty when
// sound), in line order. Steps after `last_line` are not checked (a file with parse errors is
// checked up to its first broken line, whose names are unknown). run_file reports both at once.
std::vector<Diagnostic> check_names(const Scenario& scenario, int last_line = 1 << 30);

// Parses then runs; parse errors come back as RunResult::diagnostics (Verdict::Error).
RunResult run_file(const std::string& path, const RunOptions& options);
// The same for scenario text already in memory; `file` names it in diagnostics.
RunResult run_source(const std::string& file, const std::string& text, const RunOptions& options);

// Every *.scn file under the paths (a file is taken as is, "-" is standard input), sorted by
// path so a suite always runs in the same order. Symbolic links are followed. Every path or
// entry that cannot be read (missing, a broken link, a folder it may not list, a .scn that is
// not a regular file, a link loop) is a Diagnostic: a walk never skips silently.
std::vector<std::string> find_scenarios(const std::vector<std::string>& paths,
                                        std::vector<Diagnostic>* errors);

}  // namespace closesim
