// list: each scenario under the paths, with its title and the rules it declares, without
// running anything.
#include <algorithm>

#include <fmt/format.h>

#include "cli/options.h"
#include "cli/output.h"
#include "closesim/scenario/parser.h"
#include "closesim/base/rule_id.h"

namespace closesim::cli {

int cmd_list(Output& out, const std::vector<std::string>& paths, const CommonOptions& common) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return kExitBadInput;
  std::vector<std::string> files;
  if (!collect(paths, files)) return kExitBadInput;
  std::size_t width = 0;
  for (const std::string& f : files) width = std::max(width, f.size());
  std::string text;
  int status = kExitPass;
  for (const std::string& f : files) {
    ParseResult parsed = parse_scenario_file(f, options->max_file_size);
    if (!parsed.ok()) {
      print_diagnostics(parsed.diagnostics, parsed.scenario.lines);
      text += fmt::format("{:<{}}  ERROR  (closesim run {} shows why)\n", f, width, f);
      status = kExitBadInput;
      continue;
    }
    std::vector<std::string> rules;
    for (int id : parsed.scenario.rules) rules.push_back(rule_name(static_cast<RuleId>(id)));
    const std::string title = parsed.scenario.title.empty() ? "(no title)" : parsed.scenario.title;
    text += fmt::format("{:<{}}  {}  [{}]\n", f, width, title, fmt::join(rules, " "));
  }
  return std::max(status, out.write("", text));
}

}  // namespace closesim::cli
