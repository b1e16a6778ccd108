// closesim's command line: run, check, rules, mutants, report (and explore, merge).
// Exit status: 0 all good, 1 a verdict failed, 2 the input could not be used.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/explore_command.h"
#include "cli/options.h"
#include "cli/real_command.h"

int main(int argc, char** argv) {
  using namespace closesim::cli;
  CLI::App app{"closesim: a deterministic simulator of how a Winsock 2 service provider closes "
               "sockets, checked against the documented close rules"};
  app.set_version_flag("--version", std::string("closesim ") + CLOSESIM_VERSION);
  app.require_subcommand(1);

  CommonOptions common;
  std::vector<std::string> paths;

  std::string format = "text";
  bool explain = false;
  std::string output;
  CLI::App* run = app.add_subcommand("run", "Run scenarios and print their timeline and verdict");
  run->add_option("files", paths, "Scenario files")->required();
  run->add_option("--format", format, "text, json, mermaid, chrome, junit or tap")
      ->check(CLI::IsMember({"text", "json", "mermaid", "chrome", "junit", "tap"}));
  run->add_flag("--explain", explain, "Say under each step why it happened, citing the rule");
  run->add_option("-o,--output", output, "Write to this file instead of standard output");
  add_common_options(*run, common);

  std::string junit;
  bool tap = false;
  bool require_coverage = false;
  CLI::App* check = app.add_subcommand("check", "Run a suite for CI: one line per scenario and a summary");
  check->add_option("paths", paths, "Scenario files or folders")->required();
  check->add_option("--junit", junit, "Also write JUnit XML to this file");
  check->add_flag("--tap", tap, "Print TAP version 13 instead of the summary");
  std::string check_format = "text";
  check->add_option("--format", check_format, "text (the summary), junit or tap, on standard output")
      ->check(CLI::IsMember({"text", "junit", "tap"}));
  check->add_flag("--require-coverage", require_coverage, "Fail when a rule is never exercised");
  add_common_options(*check, common);

  CLI::App* rules = app.add_subcommand("rules", "List the close rules and the scenarios that exercise each");
  rules->add_option("paths", paths, "Scenario files or folders");
  add_common_options(*rules, common);

  bool list = false;
  CLI::App* mutants = app.add_subcommand("mutants", "Run the suite under every deliberate provider bug");
  mutants->add_option("paths", paths, "Scenario files or folders");
  mutants->add_flag("--list", list, "Name each mutant and what it breaks");
  add_common_options(*mutants, common);

  CLI::App* report = app.add_subcommand("report", "Write a self-contained HTML report of a suite");
  report->add_option("paths", paths, "Scenario files or folders")->required();
  report->add_option("-o,--output", output, "The HTML file to write")->required();
  add_common_options(*report, common);

  ExploreCommand explore_command(app, common);
  RealCommand real_command(app, common);  // real, judge, diff (docs/realstack.md)

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // a usage error is bad input
  }

  if (run->parsed()) return cmd_run(paths, common, format, explain, output);
  if (check->parsed()) {
    if (check_format == "tap") tap = true;
    if (check_format == "junit") return cmd_check(paths, common, junit, false, require_coverage, true);
    return cmd_check(paths, common, junit, tap, require_coverage);
  }
  if (rules->parsed()) return cmd_rules(paths, common);
  if (mutants->parsed()) {
    if (!list && paths.empty()) {
      fmt::print(stderr, "closesim: error: mutants needs scenario paths (or --list)\n");
      return 2;
    }
    return cmd_mutants(paths, common, list, common.mutant);
  }
  if (report->parsed()) return cmd_report(paths, common, output);
  if (int status = real_command.dispatch(); status >= 0) return status;
  return explore_command.dispatch();
}
