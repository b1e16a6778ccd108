// The header of the text timeline (timeline_lines.h): the file, its title, and the configuration
// that ran (RunResult::config), so `closesim run --provider lsp:ifs` says `provider: lsp:ifs`.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/timeline_lines.h"

namespace closesim::report {

std::string timeline_header(const RunResult& result) {
  const Scenario& s = result.scenario;
  std::string out = fmt::format("scenario: {}\n", s.file);
  if (!s.title.empty()) out += fmt::format("title:    {}\n", s.title);
  if (!result.diagnostics.empty()) return out;
  out += fmt::format("provider: {}, profile {}, link latency {} rate {}/s sndbuf {}\n",
                     provider_name(result.config.provider), profile_name(result.config.profile),
                     format_time(result.config.link.latency), format_size(result.config.link.rate),
                     format_size(result.config.link.sndbuf));
  if (!s.rules.empty()) {
    std::vector<std::string> ids;
    for (int n : s.rules) ids.push_back(rule_name(static_cast<RuleId>(n)));
    out += fmt::format("rules:    {}\n", fmt::join(ids, " "));
  }
  if (s.has_seed || result.config.seed)
    out += fmt::format("seed:     {}\n", result.config.seed.value_or(s.seed));
  if (!result.config.schedule.empty()) out += fmt::format("schedule: {}\n", result.config.schedule);
  if (!result.config.mutant.empty()) out += fmt::format("mutant:   {}\n", result.config.mutant);
  if (!result.config.overrides.empty())
    out += fmt::format("set by the command line: {}\n", fmt::join(result.config.overrides, ", "));
  if (result.rules_mode != RulesMode::On)
    out += fmt::format("rules checked: {}\n", result.rules_mode == RulesMode::Off ? "off" : "warn only");
  return out;
}

}  // namespace closesim::report
