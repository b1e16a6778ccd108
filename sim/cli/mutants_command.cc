#include <algorithm>

#include <fmt/format.h>

#include "cli/options.h"
#include "cli/output.h"
#include "closesim/run/mutant_gate.h"

namespace closesim::cli {

int cmd_mutants(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
                bool list, const std::string& only) {
  std::string text;
  if (list) {
    for (const MutantInfo& m : mutant_catalogue())
      text += fmt::format("{:<28} {} (targets {})\n", m.name, m.breaks, rule_name(m.target));
    return out.write("", text);
  }
  CommonOptions without = common;
  without.mutant.clear();
  std::optional<RunOptions> options = to_run_options(without);
  if (!options) return 2;
  std::optional<Mutant> which;
  if (!only.empty()) {
    which = parse_mutant(only);
    if (!which) {
      return bad_input(fmt::format("unknown mutant '{}'", only), "closesim mutants --list");
    }
  }
  std::vector<std::string> files;
  if (!collect(paths, files)) return 2;
  MutantGateResult gate = run_mutant_gate(files, *options, which);
  for (const std::string& f : gate.unreadable)
    text += fmt::format("skipped {}: it does not parse (closesim run {} shows why)\n", f, f);
  for (const std::string& f : gate.baseline_violations)
    text += fmt::format("note: {} breaks a rule even without a mutant; those rules are not credited there\n", f);
  int survived = 0;
  for (const MutantOutcome& o : gate.outcomes) {
    if (!o.caught()) {
      ++survived;
      text += fmt::format("SURVIVED  {:<28} {}\n", o.info.name, o.info.breaks);
      continue;
    }
    std::vector<std::string> rules;
    for (RuleId id : o.caught_by) rules.push_back(rule_name(id));
    // The first few scenarios are enough to reproduce it; the count says how wide it is.
    constexpr std::size_t kShown = 3;
    std::vector<std::string> shown(o.scenarios.begin(),
                                   o.scenarios.begin() + std::min(kShown, o.scenarios.size()));
    std::string more = o.scenarios.size() > kShown
                           ? fmt::format(" and {} more", o.scenarios.size() - kShown)
                           : "";
    text += fmt::format("caught    {:<28} by {:<14} in {} scenario{}: {}{}\n", o.info.name,
                fmt::format("{}", fmt::join(rules, " ")), o.scenarios.size(), o.scenarios.size() == 1 ? "" : "s",
               fmt::join(shown, " "), more);
  }
  text += fmt::format("{} caught, {} survived\n", gate.outcomes.size() - survived, survived);
  const int status = survived == 0 && gate.unreadable.empty() ? kExitPass : kExitFail;
  return std::max(status, out.write("", text));
}

}  // namespace closesim::cli
