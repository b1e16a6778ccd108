#include "closesim/run/runner.h"

#include <algorithm>
#include <memory>

#include "closesim/engine/schedule.h"
#include "closesim/scenario/parser.h"
#include "closesim/rules/rules.h"
#include "run/expectations.h"
#include "run/interpreter.h"
#include "closesim/run/runner.h"

namespace closesim {

EffectiveConfig effective_config(const Scenario& scenario, const RunOptions& options) {
  EffectiveConfig c;
  c.provider = options.provider.value_or(scenario.provider);
  c.profile = options.profile.value_or(scenario.profile);
  c.link = scenario.link;
  c.mutant = std::string(mutant_name(options.mutant));
  if (options.randomize || options.seed) c.seed = options.seed.value_or(scenario.seed);
  c.max_time = options.max_time;
  c.max_events = options.max_events;
  if (options.provider && *options.provider != scenario.provider)
    c.overrides.push_back("provider " + provider_name(*options.provider));
  if (options.profile && *options.profile != scenario.profile)
    c.overrides.push_back("profile " + profile_name(*options.profile));
  if (options.seed && (!scenario.has_seed || *options.seed != scenario.seed))
    c.overrides.push_back("seed " + std::to_string(*options.seed));
  if (options.schedule) c.overrides.push_back("schedule " + format_schedule(*options.schedule));
  return c;
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  return run_scenario(Scenario(scenario), options);
}

// The result keeps the scenario (reports quote its lines): moved in, not copied, which for a
// large scenario is as much memory as its trace.
RunResult run_scenario(Scenario&& scenario_in, const RunOptions& options) {
  RunResult out;
  out.scenario = std::move(scenario_in);
  const Scenario& scenario = out.scenario;
  out.rules_mode = options.rules;
  out.config = effective_config(scenario, options);

  // Choices: the explorer's source, else a schedule (option or directive) over a seeded or
  // first-option fallback. ScheduleChoice records what was chosen, for replay lines.
  std::unique_ptr<ChoiceSource> random;
  const bool randomize = options.randomize || options.seed.has_value();
  if (randomize) random = std::make_unique<SeededChoice>(options.seed.value_or(scenario.seed));
  std::vector<std::size_t> prefix;
  if (options.schedule) {
    prefix = *options.schedule;
  } else if (!scenario.schedule.empty()) {
    prefix = parse_schedule(scenario.schedule).value_or(std::vector<std::size_t>{});
  }
  ScheduleChoice recorder(prefix, options.choices ? options.choices : random.get());

  {
    Interpreter interpreter(out.scenario, options, recorder, out);
    if (options.watch_trace) options.watch_trace(out.trace);
    interpreter.run();
    out.config.schedule = format_schedule(recorder.answers());
    out.schedule_mismatch = recorder.mismatched();
    if (out.schedule_mismatch) {
      // A named string: GCC 12 warns falsely (-Warray-bounds) on push_back of a long literal.
      const std::string why =
          "the schedule names an option that a choice point does not have: it was recorded for "
          "another version of this scenario";
      out.stuck.push_back(why);
    }

    if (options.expectations) {
      check_expectations(out.scenario, out.trace, interpreter.names(), out.failures);
      // A run cut by its budget never reached the later expectations: say so, not just "none".
      if (out.cut_short)
        for (ExpectationFailure& f : out.failures)
          if (f.time > out.end_time) f.message += " (not reached within the budget)";
      std::stable_sort(out.failures.begin(), out.failures.end(),
                       [](const ExpectationFailure& a, const ExpectationFailure& b) {
                         return a.line < b.line;
                       });
    }
  }  // the model and the engine end here: the checker reads the trace only, and its shadow
     // need not share the peak with them
  if (options.rules != RulesMode::Off) {
    CheckerOptions co;
    co.profile = options.profile.value_or(scenario.profile);
    co.run_cut = out.cut_short;
    out.rules = check_rules(out.trace, co);
  }
  return out;
}

namespace {

RunResult run_parsed(ParseResult parsed, const std::string& file, const RunOptions& options) {
  // Every error of the file at once: the name check covers the lines above the first parse
  // error (below it, a name the broken line would have made is unknown).
  const int first_broken = parsed.ok() ? 1 << 30 : parsed.diagnostics.front().line - 1;
  if (first_broken > 0) {
    std::vector<Diagnostic> names = check_names(parsed.scenario, first_broken);
    parsed.diagnostics.insert(parsed.diagnostics.end(), names.begin(), names.end());
    std::stable_sort(parsed.diagnostics.begin(), parsed.diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  }
  if (!parsed.ok()) {
    RunResult out;
    out.scenario = std::move(parsed.scenario);
    out.scenario.file = file;
    out.config = effective_config(out.scenario, options);
    out.diagnostics = std::move(parsed.diagnostics);
    out.rules_mode = options.rules;
    return out;
  }
  return run_scenario(std::move(parsed.scenario), options);
}

}  // namespace

RunResult run_file(const std::string& path, const RunOptions& options) {
  return run_parsed(parse_scenario_file(path, options.max_file_size), path, options);
}

RunResult run_source(const std::string& file, const std::string& text, const RunOptions& options) {
  return run_parsed(parse_scenario(file, text), file, options);
}

}  // namespace closesim
