// The explore and merge subcommands (schedule exploration, docs/explore.md). Registered on the
// app by the constructor; dispatch() runs whichever was parsed and returns the exit status.
// explore takes several files; --json and --shrink, which write one file's result, take one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace closesim {
struct ExploreOptions;
}

namespace closesim::cli {

class Output;

class ExploreCommand {
 public:
  ExploreCommand(CLI::App& app, CommonOptions& common, Output& out);
  // The exit status of whichever was parsed; -1 when neither was.
  int dispatch();

 private:
  int explore();
  int explore_file(const std::string& file, const ExploreOptions& base);
  int merge();

  // Fixed at construction.
  CommonOptions& common_;
  Output& out_;
  CLI::App* explore_ = nullptr;
  CLI::App* merge_ = nullptr;
  // Filled by the parser.
  std::vector<std::string> files_;
  std::string strategy_ = "auto";
  std::string max_schedules_ = "10000";  // counts are read as text so signs and units are refused
  std::string preemption_bound_;
  std::string runs_ = "1000";
  std::string depth_ = "3";
  std::string shard_;
  std::string shard_depth_ = "4";
  std::string json_;
  std::string shrink_;
  std::string shrink_schedules_ = "2000";
  bool check_determinism_ = false;
  bool expect_all_ = false;
  bool signatures_ = false;
  bool require_exhaustive_ = false;
  std::vector<std::string> summaries_;
  // Read from the options by explore().
  std::optional<std::uint64_t> seed_;
  std::uint64_t shrink_max_ = 2000;
  std::string merge_output_;
};

}  // namespace closesim::cli
