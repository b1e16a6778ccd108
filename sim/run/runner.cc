#include "closesim/runner.h"

#include <algorithm>
#include <memory>

#include "closesim/engine/schedule.h"
#include "closesim/parser.h"
#include "closesim/rules.h"
#include "run/expectations.h"
#include "run/interpreter.h"
#include "closesim/runner.h"

namespace closesim {

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  RunResult out;
  out.scenario = scenario;
  out.rules_mode = options.rules;
  out.mutant = std::string(mutant_name(options.mutant));

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

  Interpreter interpreter(out.scenario, options, recorder, out);
  interpreter.run();
  out.schedule = format_schedule(recorder.answers());
  out.schedule_mismatch = recorder.mismatched();
  if (out.schedule_mismatch) {
    // A named string: GCC 12 warns falsely (-Warray-bounds) on push_back of a long literal here.
    const std::string why =
        "the schedule names an option that a choice point does not have: it was recorded for "
        "another version of this scenario";
    out.stuck.push_back(why);
  }

  if (options.expectations) {
    check_expectations(out.scenario, out.trace, interpreter.names(), out.failures);
    std::stable_sort(out.failures.begin(), out.failures.end(),
                     [](const ExpectationFailure& a, const ExpectationFailure& b) {
                       return a.line < b.line;
                     });
  }
  if (options.rules != RulesMode::Off) {
    CheckerOptions co;
    co.profile = options.profile.value_or(scenario.profile);
    out.rules = check_rules(out.trace, co);
  }
  return out;
}

RunResult run_file(const std::string& path, const RunOptions& options) {
  ParseResult parsed = parse_scenario_file(path, options.max_file_size);
  if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);
  if (!parsed.ok()) {
    RunResult out;
    out.scenario = std::move(parsed.scenario);
    out.scenario.file = path;
    out.diagnostics = std::move(parsed.diagnostics);
    out.rules_mode = options.rules;
    return out;
  }
  return run_scenario(parsed.scenario, options);
}

}  // namespace closesim
