// Options shared by the subcommands, and the glue that turns them into RunOptions. Every number
// an option takes has a documented range (README, "Limits") checked here; durations are read by
// the scenario language's own quantity parser, so `--max-time 1.5ms` means what a file means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"

namespace CLI {
class App;  // CLI11 is heavy to compile: only the files that build the command line include it
}

namespace closesim::cli {

// Exit statuses (README, "Exit status").
inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;      // a verdict failed
inline constexpr int kExitBadInput = 2;  // the input or the command line could not be used
inline constexpr int kExitInternal = 3;  // closesim broke one of its own invariants

struct CommonOptions {
  std::string provider;
  std::string profile;
  std::string seed;  // strings, so a sign or a stray unit is refused with a hint, not wrapped
  bool random = false;
  std::string schedule;
  std::string mutant;
  std::string rules = "on";
  std::string expectations = "on";
  std::string max_events = "5000000";
  std::string max_time = "24h";
  std::string max_trace_records = "200000";
  std::string max_file_size = "1MiB";
};

// Which of the common options a subcommand accepts: --help lists only these.
struct CommonSet {
  bool schedule = true;  // --schedule and --random: explore runs every schedule itself
};

void add_common_options(CLI::App& app, CommonOptions& o, CommonSet which = {});

// Turns the options into RunOptions; on a bad value prints "closesim: error: ..." with a hint
// and returns nullopt (the caller exits 2).
std::optional<RunOptions> to_run_options(const CommonOptions& o);

// Prints "closesim: error: WHAT" and "  hint: HINT" on standard error; returns kExitBadInput.
int bad_input(const std::string& what, const std::string& hint);

// "--max-events" takes a whole number in [min, max]; nullopt (after a message) otherwise.
std::optional<std::uint64_t> parse_count(const std::string& option, const std::string& text,
                                         std::uint64_t min, std::uint64_t max);
// "--max-time 1.5ms": a duration exactly as a scenario file writes one, 1ns to 1000000s.
std::optional<Time> parse_duration_option(const std::string& option, const std::string& text);
// "--max-file-size 4MiB": a byte count as a scenario file writes one, in [min, max].
std::optional<std::int64_t> parse_size_option(const std::string& option, const std::string& text,
                                              std::int64_t min, std::int64_t max);

// Collects the scenarios under paths; prints every error; false if any path or entry was bad.
bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files);

// Prints parse or file diagnostics with their source lines, in colour on a terminal.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics,
                       const std::vector<std::string>& lines);

class Output;

// What `run` and `check` print, besides the common options.
struct RunView {
  std::string format = "text";  // run: text, json, mermaid, chrome, junit, tap; check: text, junit, tap
  bool explain = false;
  std::string output;           // run: -o FILE ("" = standard output)
};

int cmd_run(Output& out, const std::vector<std::string>& files, const CommonOptions& common,
            const RunView& view);
int cmd_check(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
              const std::string& format, const std::string& junit, bool require_coverage);
int cmd_rules(Output& out, const std::vector<std::string>& paths, const CommonOptions& common);
int cmd_mutants(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
                bool list, const std::string& only);
int cmd_report(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
               const std::string& output);
// Each scenario under the paths with its title and the rules it declares.
int cmd_list(Output& out, const std::vector<std::string>& paths, const CommonOptions& common);

}  // namespace closesim::cli
