// Options shared by the subcommands, and the glue that turns them into RunOptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "closesim/run_result.h"
#include "closesim/runner.h"

namespace CLI {
class App;  // CLI11 is heavy to compile: only the files that build the command line include it
}

namespace closesim::cli {

struct CommonOptions {
  std::string provider;
  std::string profile;
  std::optional<std::uint64_t> seed;
  bool random = false;
  std::string schedule;
  std::string mutant;
  std::string rules = "on";
  std::string expectations = "on";
  std::uint64_t max_events = 5'000'000;
  std::string max_time = "24h";
};

void add_common_options(CLI::App& app, CommonOptions& o);

// Turns the options into RunOptions; on a bad value prints "closesim: error: ..." and returns
// nullopt (the caller exits 2).
std::optional<RunOptions> to_run_options(const CommonOptions& o);

// Writes text to a file (or stdout for "" / "-"); false with a message on failure.
bool write_output(const std::string& path, const std::string& text);

// Collects the scenarios under paths; prints errors; false if any path was bad.
bool collect(const std::vector<std::string>& paths, std::vector<std::string>& files);

int cmd_run(const std::vector<std::string>& files, const CommonOptions& common,
            const std::string& format, bool explain, const std::string& output);
int cmd_check(const std::vector<std::string>& paths, const CommonOptions& common,
              const std::string& junit, bool tap, bool require_coverage, bool junit_stdout = false);
int cmd_rules(const std::vector<std::string>& paths, const CommonOptions& common);
int cmd_mutants(const std::vector<std::string>& paths, const CommonOptions& common, bool list,
                const std::string& only);
int cmd_report(const std::vector<std::string>& paths, const CommonOptions& common,
               const std::string& output);

}  // namespace closesim::cli
