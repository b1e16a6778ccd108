// closesim's command line: run, check, list, rules, mutants, report, explore and merge.
// Exit status: 0 all good, 1 a verdict failed, 2 the input or the command line could not be
// used, 3 closesim broke one of its own invariants (a bug: the message says where). No
// exception leaves main.
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <new>
#include <optional>
#include <string>
#include <vector>
#include <system_error>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/completion.h"
#include "cli/explore_command.h"
#include "cli/fidelity_command.h"
#include "cli/options.h"
#include "cli/output.h"
#include "closesim/base/check.h"
#include "scenario/suggest.h"
#include "cli/real_command.h"

namespace {

using namespace closesim::cli;

// Options every subcommand takes that shape what is written rather than what is run.
struct OutputOptions {
  bool quiet = false;
  std::string max_output = "64MiB";
};

void add_output_options(CLI::App& app, OutputOptions& o) {
  app.add_flag("-q,--quiet", o.quiet, "Print nothing on standard output; the exit status tells");
  app.add_option("--max-output", o.max_output,
                 "Refuse to write more than this in all, up to 1048576MiB (default 64MiB)");
}

// The subcommands, as registered on the app. A new one is one more add_subcommand() in
// register_commands and one more line in dispatch.
struct Commands {
  CommonOptions common;
  OutputOptions output;
  std::vector<std::string> paths;
  RunView view;
  std::string check_format = "text";
  std::string junit;
  bool tap = false;
  bool require_coverage = false;
  bool mutant_list = false;
  std::string report_output;
  CLI::App* run = nullptr;
  CLI::App* check = nullptr;
  CLI::App* list = nullptr;
  CLI::App* rules = nullptr;
  CLI::App* mutants = nullptr;
  CLI::App* report = nullptr;
};

void register_commands(CLI::App& app, Commands& c) {
  c.run = app.add_subcommand("run", "Run scenarios and print their timeline and verdict");
  c.run->add_option("files", c.paths, "Scenario files (- reads standard input)")->required();
  c.run->add_option("--format", c.view.format, "text, json, mermaid, chrome, junit or tap")
      ->check(CLI::IsMember({"text", "json", "mermaid", "chrome", "junit", "tap"}));
  c.run->add_flag("--explain", c.view.explain, "Say under each step why it happened, citing the rule");
  c.run->add_option("-o,--output", c.view.output, "Write to this file instead of standard output");
  add_common_options(*c.run, c.common);

  c.check = app.add_subcommand("check", "Run a suite for CI: one line per scenario and a summary");
  c.check->add_option("paths", c.paths, "Scenario files or folders (- reads standard input)")->required();
  c.check->add_option("--junit", c.junit, "Also write JUnit XML to this file");
  c.check->add_flag("--tap", c.tap, "Print TAP version 13 instead of the summary (as --format tap)");
  c.check->add_option("--format", c.check_format, "text (the summary), junit or tap, on standard output")
      ->check(CLI::IsMember({"text", "junit", "tap"}));
  c.check->add_flag("--require-coverage", c.require_coverage, "Fail when a rule is never exercised");
  add_common_options(*c.check, c.common);

  c.list = app.add_subcommand("list", "List scenarios with their titles and rules, without running them");
  c.list->add_option("paths", c.paths, "Scenario files or folders")->required();
  c.list->add_option("--max-file-size", c.common.max_file_size,
                     "Refuse scenario files larger than this, up to 64MiB (default 1MiB)");

  c.rules = app.add_subcommand("rules", "List the close rules and the scenarios that exercise each");
  c.rules->add_option("paths", c.paths, "Scenario files or folders");
  add_common_options(*c.rules, c.common);

  c.mutants = app.add_subcommand("mutants", "Run the suite under every deliberate provider bug");
  c.mutants->add_option("paths", c.paths, "Scenario files or folders");
  c.mutants->add_flag("--list", c.mutant_list, "Name each mutant and what it breaks");
  add_common_options(*c.mutants, c.common);

  c.report = app.add_subcommand("report", "Write a self-contained HTML report of a suite");
  c.report->add_option("paths", c.paths, "Scenario files or folders")->required();
  c.report->add_option("-o,--output", c.report_output, "The HTML file to write")->required();
  add_common_options(*c.report, c.common);
}

int dispatch(Commands& c, ExploreCommand& explore, RealCommand& real, CompletionCommand& completion,
             Output& out) {
  if (completion.parsed()) return completion.dispatch(out);
  if (const int status = real.dispatch(); status >= 0) return status;
  if (c.run->parsed()) return cmd_run(out, c.paths, c.common, c.view);
  if (c.check->parsed()) {
    if (c.tap && c.check->count("--format") && c.check_format != "tap")
      return bad_input(fmt::format("--tap and --format {} conflict", c.check_format),
                       "--tap is --format tap; give one of them");
    const std::string format = c.tap ? "tap" : c.check_format;
    return cmd_check(out, c.paths, c.common, format, c.junit, c.require_coverage);
  }
  if (c.list->parsed()) return cmd_list(out, c.paths, c.common);
  if (c.rules->parsed()) return cmd_rules(out, c.paths, c.common);
  if (c.mutants->parsed()) {
    if (!c.mutant_list && c.paths.empty())
      return bad_input("mutants needs scenario paths (or --list)", "closesim mutants scenarios/");
    return cmd_mutants(out, c.paths, c.common, c.mutant_list, c.common.mutant);
  }
  if (c.report->parsed()) return cmd_report(out, c.paths, c.common, c.report_output);
  return explore.dispatch();
}

// Before CLI11 sees the words: no subcommand, or one it does not know, gets the usage and a
// suggestion rather than "A subcommand is required".
std::optional<int> precheck(CLI::App& app, int argc, char** argv) {
  std::vector<std::string_view> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (argc < 2) {
    fmt::print(stderr, "{}", app.help());
    return kExitBadInput;
  }
  const std::string_view first = argv[1];
  if (first == "-V") {
    fmt::print("closesim {}\n", CLOSESIM_VERSION);
    return kExitPass;
  }
  if (first.starts_with('-')) return std::nullopt;
  for (std::string_view n : names)
    if (n == first) return std::nullopt;
  bad_input(fmt::format("unknown command '{}'", first),
            closesim::lang::did_you_mean(first, names,
                                         "commands: " + closesim::lang::join_alternatives(names)));
  fmt::print(stderr, "\n{}", app.help());
  return kExitBadInput;
}

int run_main(int argc, char** argv, Output& out) {
  CLI::App app{"closesim: a deterministic simulator of how a Winsock 2 service provider closes "
               "sockets, checked against the documented close rules"};
  app.name("closesim");  // usage lines say "closesim", whatever path it was started by
  app.set_version_flag("-V,--version", std::string("closesim ") + CLOSESIM_VERSION);
  app.require_subcommand(1);
  Commands commands;
  register_commands(app, commands);
  ExploreCommand explore(app, commands.common, out);
  RealCommand real(app, commands.common, out);  // real, judge, diff (docs/realstack.md)
  FidelityCommand fidelity(app, out);  // docs/fidelity.md's case table
  for (CLI::App* sub : app.get_subcommands({})) add_output_options(*sub, commands.output);
  CompletionCommand completion(app);  // last: it describes every subcommand above

  if (std::optional<int> early = precheck(app, argc, argv)) return *early;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitPass : kExitBadInput;  // a usage error is bad input
  }
  std::optional<std::int64_t> budget =
      parse_size_option("--max-output", commands.output.max_output, 1, closesim::kMaxBytes);
  if (!budget) return kExitBadInput;
  out.set_budget(static_cast<std::uint64_t>(*budget));
  out.set_quiet(commands.output.quiet);
  if (const int status = fidelity.dispatch(); status >= 0) return status;
  return dispatch(commands, explore, real, completion, out);
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe on standard output is an EPIPE the writer handles (`closesim run x | head`
  // ends quietly), not a signal that kills the process mid-report.
  std::signal(SIGPIPE, SIG_IGN);
  Output out;
  try {
    const int status = run_main(argc, argv, out);
    const int flushed = out.finish();
    return status == kExitInternal ? status : std::max(status, flushed);
  } catch (const closesim::InternalError& e) {
    std::fprintf(stderr, "closesim: internal error: %s (at %s:%d)\n  hint: this is a bug in "
                 "closesim, not in the input: please report it\n", e.what(), e.file(), e.line());
    return kExitInternal;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "closesim: error: out of memory\n  hint: lower --max-trace-records or "
                 "--max-events, or run fewer scenarios at once\n");
    return kExitInternal;
  } catch (const std::system_error& e) {
    // fmt reports a failed write to standard error this way; there is nowhere left to say it.
    std::fprintf(stderr, "closesim: error: %s\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "closesim: internal error: %s\n", e.what());
    return kExitInternal;
  } catch (...) {
    std::fprintf(stderr, "closesim: internal error: an unknown exception\n");
    return kExitInternal;
  }
}
